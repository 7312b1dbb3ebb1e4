package station

import (
	"context"
)

// Clock is whether the system clock is kept right: a clock hours wrong
// makes a new certificate "not yet valid" and a signature's time wrong.
type Clock struct {
	// Sync: "synced" (the kernel says the clock is synchronised),
	// "unsynced" (it says it is not, or automatic time is off),
	// "automatic" (Windows: automatic time is on and its service can
	// run; whether it synchronised is not readable without
	// administrator rights), "unknown".
	Sync string `json:"sync"`
	// Source is what was read: "adjtimex" (Linux), "w32time" (Windows).
	Source string `json:"source,omitempty"`
	// Detail is technical: kernel state and flags, the time service's
	// configuration.
	Detail string `json:"detail,omitempty"`
	// MaxErrorMicros is the kernel's maximum error estimate (Linux).
	MaxErrorMicros int64 `json:"max_error_us,omitempty"`
	// Service is the Windows Time service (W32Time); NTPType its
	// Parameters\Type: NTP, NT5DS (domain), AllSync, NoSync (automatic
	// time off).
	Service *Service `json:"service,omitempty"`
	NTPType string   `json:"ntp_type,omitempty"`
	Error   string   `json:"error,omitempty"`
}

func init() { gatherers = append(gatherers, gatherClock) }

func gatherClock(_ context.Context, o Options) func(*Facts) {
	c := readClock(o)
	return func(f *Facts) { f.Clock = c }
}

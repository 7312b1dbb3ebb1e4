package station

import (
	"context"
)

// Reboot is whether the system says a restart is pending, typically after
// installing drivers or updates (INST-5: the procedure restarts the
// computer after installing the drivers).
type Reboot struct {
	// Pending: "yes" (a marker is there), "no" (none of the markers this
	// OS has), "unknown" (no marker could be read).
	Pending string `json:"pending"`
	// Markers are the markers found (or, when Pending is "no", looked at).
	Markers []RebootMarker `json:"markers"`
	// Items name what asked for the restart, when the system says: the
	// packages of /run/reboot-required.pkgs on Linux, the files waiting
	// to be replaced (PendingFileRenameOperations) on Windows. At most
	// maxRebootItems, as read.
	Items []string `json:"items,omitempty"`
	Error string   `json:"error,omitempty"`
}

// RebootMarker is one place the system records a pending restart.
type RebootMarker struct {
	Source string `json:"source"` // a path or a registry key (and value)
	Found  bool   `json:"found"`
}

// Limits of what is kept from the markers.
const (
	maxRebootItems = 20
	maxRebootItem  = 200 // bytes
)

// addItem keeps s (trimmed, not empty, not yet seen) within the limits.
func (r *Reboot) addItem(s string) {
	if len(s) > maxRebootItem {
		s = s[:maxRebootItem]
	}
	if s == "" || len(r.Items) >= maxRebootItems {
		return
	}
	for _, x := range r.Items {
		if x == s {
			return
		}
	}
	r.Items = append(r.Items, s)
}

func init() { gatherers = append(gatherers, gatherReboot) }

func gatherReboot(_ context.Context, o Options) func(*Facts) {
	r := readReboot(o)
	return func(f *Facts) { f.Reboot = r }
}

package station

import (
	"errors"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// readClock reads the Windows Time service (W32Time): its state and start
// type from the service manager, and whether automatic time is on from
// HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters\Type ("Imposta
// automaticamente l'ora" writes NTP when on, NoSync when off). Whether the
// last synchronisation succeeded is only readable by administrators
// (w32tm /query /status), so the best answer for a working set-up is
// "automatic", not "synced".
func readClock(Options) *Clock {
	c := &Clock{Source: "w32time", Service: queryService("W32Time")}
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\W32Time\Parameters`, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err == nil {
		if v, _, err := k.GetStringValue("Type"); err == nil {
			if len(v) > 64 {
				v = v[:64]
			}
			c.NTPType = v
		}
		k.Close()
	} else if !errors.Is(err, registry.ErrNotExist) {
		c.Error = winErr("RegOpenKeyEx W32Time", err)
	}
	svc := c.Service
	switch {
	case strings.EqualFold(c.NTPType, "NoSync"):
		c.Sync = "unsynced"
	case svc.StartType == "disabled":
		c.Sync = "unsynced"
	case c.NTPType != "" && (svc.State == "running" || svc.StartType == "manual" || svc.StartType == "auto"):
		c.Sync = "automatic"
	default:
		c.Sync = "unknown"
	}
	auto := "non impostata"
	if c.NTPType != "" {
		auto = c.NTPType
	}
	c.Detail = "sincronizzazione automatica: " + auto + "; servizio Ora di Windows (W32Time): " + svc.StateWords()
	if w := svc.StartWords(); w != "" {
		c.Detail += ", avvio " + w
	}
	return c
}

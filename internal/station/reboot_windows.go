package station

import (
	"errors"
	"path"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// The registry markers of a pending restart that Windows itself writes
// (the ones Microsoft's and the community's pending-reboot checks read):
// a key that exists, or a value that is set. Read in the 64-bit view, so
// that a 32-bit build is not redirected to WOW6432Node.
var rebootKeys = []string{
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired`,
}

const (
	sessionManager = `SYSTEM\CurrentControlSet\Control\Session Manager`
	maxRenameValue = 1 << 20 // bytes of PendingFileRenameOperations looked at
)

// readReboot reads the markers with golang.org/x/sys/windows/registry
// (read access to HKLM needs no administrator rights). The files that
// PendingFileRenameOperations will replace or delete at the next start
// (pairs of source and target, "\??\C:\...") are named by file name.
func readReboot(Options) *Reboot {
	r := &Reboot{Pending: "no"}
	readable := 0
	for _, key := range rebootKeys {
		m := RebootMarker{Source: `HKLM\` + key}
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, key, registry.QUERY_VALUE|registry.WOW64_64KEY)
		switch {
		case err == nil:
			k.Close()
			m.Found = true
			readable++
		case errors.Is(err, registry.ErrNotExist):
			readable++
		default:
			r.Error = winErr("RegOpenKeyEx", err)
		}
		r.Markers = append(r.Markers, m)
	}
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, sessionManager, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err == nil {
		readable++
		for _, name := range []string{"PendingFileRenameOperations", "PendingFileRenameOperations2"} {
			m := RebootMarker{Source: `HKLM\` + sessionManager + `\` + name}
			if size, _, err := k.GetValue(name, nil); err == nil && size > 0 && size <= maxRenameValue {
				if vals, _, err := k.GetStringsValue(name); err == nil {
					for i, v := range vals {
						if v = strings.TrimSpace(v); v != "" {
							m.Found = true
							if i%2 == 0 { // sources; targets are empty for a delete
								r.addItem(path.Base(strings.ReplaceAll(v, `\`, "/")))
							}
						}
					}
				}
			}
			r.Markers = append(r.Markers, m)
		}
		k.Close()
	}
	for _, m := range r.Markers {
		if m.Found {
			r.Pending = "yes"
		}
	}
	if readable == 0 {
		r.Pending = "unknown"
	}
	return r
}

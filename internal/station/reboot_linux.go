package station

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
)

// readReboot looks for /run/reboot-required, which Debian and Ubuntu
// packages create when they need a restart (update-notifier's
// notify-reboot-required, kernels, libc), and reads the packages that
// asked from /run/reboot-required.pkgs, one per line.
func readReboot(o Options) *Reboot {
	const marker = "/run/reboot-required"
	r := &Reboot{Markers: []RebootMarker{{Source: marker}}}
	_, err := os.Stat(o.path(marker))
	switch {
	case err == nil:
		r.Pending = "yes"
		r.Markers[0].Found = true
	case errors.Is(err, fs.ErrNotExist):
		r.Pending = "no"
		return r
	default:
		r.Pending, r.Error = "unknown", why(marker, err)
		return r
	}
	f, err := os.Open(o.path(marker + ".pkgs"))
	if err != nil {
		return r
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
	for sc.Scan() {
		r.addItem(strings.TrimSpace(sc.Text()))
	}
	return r
}

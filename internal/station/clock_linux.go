package station

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// readClock asks the kernel with adjtimex(2) and modes 0, which only
// reads and needs no privilege: the clock is unsynchronised when the
// state is TIME_ERROR or STA_UNSYNC is set (what timedatectl's "System
// clock synchronized" and chrony, ntpd or systemd-timesyncd set).
func readClock(Options) *Clock {
	c := &Clock{Source: "adjtimex"}
	var tx unix.Timex
	state, err := unix.Adjtimex(&tx)
	if err != nil {
		c.Sync, c.Error = "unknown", why("adjtimex", err)
		return c
	}
	c.MaxErrorMicros = int64(tx.Maxerror)
	var flags []string
	if tx.Status&unix.STA_UNSYNC != 0 {
		flags = append(flags, "STA_UNSYNC")
	}
	if tx.Status&unix.STA_PLL != 0 {
		flags = append(flags, "STA_PLL")
	}
	name := map[int]string{unix.TIME_OK: "TIME_OK", unix.TIME_INS: "TIME_INS", unix.TIME_DEL: "TIME_DEL",
		unix.TIME_OOP: "TIME_OOP", unix.TIME_WAIT: "TIME_WAIT", unix.TIME_ERROR: "TIME_ERROR"}[state]
	if name == "" {
		name = fmt.Sprint(state)
	}
	c.Detail = strings.Join(append([]string{name}, flags...), ", ")
	if state == unix.TIME_ERROR || tx.Status&unix.STA_UNSYNC != 0 {
		c.Sync = "unsynced"
	} else {
		c.Sync = "synced"
	}
	return c
}

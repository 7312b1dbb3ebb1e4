//go:build unix

package flow

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system, every
// thread): the benchmarks report it beside the wall time, which a busy
// machine inflates.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

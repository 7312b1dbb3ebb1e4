//go:build unix && !linux

package diag

import "syscall"

// setDeathSignal has no equivalent outside Linux.
func setDeathSignal(*syscall.SysProcAttr) {}

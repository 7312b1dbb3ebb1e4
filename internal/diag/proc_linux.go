package diag

import "syscall"

// setDeathSignal kills the child if sportello itself dies: the child is in
// its own process group, out of reach of the terminal's Ctrl-C.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

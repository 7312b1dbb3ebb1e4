//go:build unix

package diag

import (
	"os/exec"
	"syscall"
)

// isolate puts the child in its own process group, so that a timeout or a
// cancellation kills the module's helpers too.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setDeathSignal(cmd.SysProcAttr)
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// signalName is the signal that killed the child, if one did.
func signalName(ee *exec.ExitError) string {
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return ""
	}
	return signalNames[ws.Signal()]
}

var signalNames = map[syscall.Signal]string{
	syscall.SIGSEGV: "SIGSEGV",
	syscall.SIGBUS:  "SIGBUS",
	syscall.SIGABRT: "SIGABRT",
	syscall.SIGILL:  "SIGILL",
	syscall.SIGFPE:  "SIGFPE",
	syscall.SIGKILL: "SIGKILL",
	syscall.SIGTERM: "SIGTERM",
}

// startIsolated starts the child (isolate did the work: its process group).
func startIsolated(cmd *exec.Cmd) error { return cmd.Start() }

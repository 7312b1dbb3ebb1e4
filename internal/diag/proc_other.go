//go:build !unix && !windows

package diag

import "os/exec"

// isolate keeps exec's default: killing the child process on cancel.
func isolate(*exec.Cmd) {}

// signalName is empty: there are no signals here.
func signalName(*exec.ExitError) string { return "" }

// runIsolated runs the child.
func runIsolated(cmd *exec.Cmd) error { return cmd.Run() }

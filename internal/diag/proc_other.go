//go:build !unix && !windows

package diag

import "os/exec"

// isolate keeps exec's default: killing the child process on cancel.
func isolate(*exec.Cmd) {}

// signalName is empty: there are no signals here.
func signalName(*exec.ExitError) string { return "" }

// startIsolated starts the child.
func startIsolated(cmd *exec.Cmd) error { return cmd.Start() }

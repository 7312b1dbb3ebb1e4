//go:build !linux && !windows

package station

// readReboot: macOS has no marker of a pending restart that a program can
// read; the part is left out.
func readReboot(Options) *Reboot { return nil }

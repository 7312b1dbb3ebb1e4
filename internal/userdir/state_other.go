//go:build !windows

package userdir

import (
	"os"
	"path/filepath"
)

// stateDir is $XDG_STATE_HOME/sportello, or ~/.local/state/sportello.
func stateDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "sportello"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", err
	}
	return filepath.Join(home, ".local", "state", "sportello"), nil
}

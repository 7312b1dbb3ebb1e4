//go:build !windows

package summary

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
		return "", errNoHome
	}
	return filepath.Join(home, ".local", "state", "sportello"), nil
}

// restrict has nothing to add to the 0600/0700 modes Save uses.
func restrict(string, bool) error { return nil }

package userdir

import (
	"os"
	"path/filepath"
)

// documents is ~/Documents (Finder shows it localised, the path is not).
func documents() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, "Documents")
}

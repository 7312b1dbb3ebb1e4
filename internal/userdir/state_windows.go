package userdir

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// stateDir is %LOCALAPPDATA%\sportello: the user's local application
// data, not roamed to other computers (a summary may hold a codice
// fiscale), where Windows programs keep such files.
func stateDir() (string, error) {
	d := os.Getenv("LOCALAPPDATA")
	if !filepath.IsAbs(d) {
		var err error
		if d, err = windows.KnownFolderPath(windows.FOLDERID_LocalAppData, 0); err != nil || d == "" {
			return "", errors.New("no local application data folder")
		}
	}
	return filepath.Join(d, "sportello"), nil
}

package userdir

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// documents is the Documents known folder (FOLDERID_Documents, which
// follows a redirection to OneDrive or a network share), else
// %USERPROFILE%\Documents.
func documents() string {
	if d, err := windows.KnownFolderPath(windows.FOLDERID_Documents, windows.KF_FLAG_DEFAULT); err == nil && d != "" {
		return d
	}
	if p := os.Getenv("USERPROFILE"); p != "" {
		return filepath.Join(p, "Documents")
	}
	return ""
}

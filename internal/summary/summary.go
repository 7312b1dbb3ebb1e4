// Package summary saves the transcript of a session (engine.Markdown) to a
// file: where (--transcript FILE, or one new file per session under the XDG
// state directory, %LOCALAPPDATA%\sportello on Windows) and how (private to
// the user, since a transcript may hold a codice fiscale or a device's
// serial number: mode 0600 on Unix, a protected DACL granting the user
// alone on Windows).
package summary

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sportello/sportello/internal/userdir"
)

// Saver writes the transcript of one session. The zero value is not usable:
// call New.
type Saver struct {
	path       string
	defaultDir string // DefaultDir when path is under it
}

// New returns a Saver that writes to file when it is not empty, otherwise to
// riepilogo-YYYYMMDD-HHMMSS.md (the session's start) under DefaultDir.
// Every save of a session rewrites the same file.
func New(file string, start time.Time) (*Saver, error) {
	if file != "" {
		return &Saver{path: file}, nil
	}
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return &Saver{path: filepath.Join(dir, "riepilogo-"+start.Format("20060102-150405")+".md"), defaultDir: dir}, nil
}

// Path is where Save writes.
func (s *Saver) Path() string { return s.path }

// Save writes markdown to the file, creating its directory, and returns the
// file's path.
func (s *Saver) Save(markdown string) (string, error) {
	dir := filepath.Dir(s.path)
	if dir == s.defaultDir {
		if err := userdir.MkdirPrivate(dir); err != nil { // new files inherit its access list
			return "", err
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("impossibile creare la cartella %s del riepilogo", dir)
	}
	if err := os.WriteFile(s.path, []byte(markdown), 0o600); err != nil {
		// The system's words would be English ("permission denied").
		return "", fmt.Errorf("impossibile scrivere il riepilogo in %s", s.path)
	}
	// Where the file system has no permissions to set (FAT, some network
	// shares), the file stays as the folder makes it.
	_ = userdir.Private(s.path, false)
	return s.path, nil
}

// DefaultDir is sportello's state folder (userdir.State):
// $XDG_STATE_HOME/sportello or ~/.local/state/sportello, on Windows
// %LOCALAPPDATA%\sportello.
func DefaultDir() (string, error) {
	dir, err := userdir.State()
	if err != nil {
		return "", errors.New("non trovo la cartella home per salvare il riepilogo: usa --transcript FILE")
	}
	return dir, nil
}

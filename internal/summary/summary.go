// Package summary saves the transcript of a session (engine.Markdown) to a
// file: where (--transcript FILE, or one new file per session under the XDG
// state directory) and how (private permissions, since a transcript may hold
// a codice fiscale or a device's serial number).
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
	path string
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
	return &Saver{path: filepath.Join(dir, "riepilogo-"+start.Format("20060102-150405")+".md")}, nil
}

// Path is where Save writes.
func (s *Saver) Path() string { return s.path }

// Save writes markdown to the file, creating its directory, and returns the
// file's path.
func (s *Saver) Save(markdown string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return "", fmt.Errorf("impossibile creare la cartella del riepilogo: %w", err)
	}
	if err := os.WriteFile(s.path, []byte(markdown), 0o600); err != nil {
		return "", fmt.Errorf("impossibile scrivere il riepilogo: %w", err)
	}
	return s.path, nil
}

// DefaultDir is sportello's state folder (userdir.State):
// $XDG_STATE_HOME/sportello, or ~/.local/state/sportello.
func DefaultDir() (string, error) {
	dir, err := userdir.State()
	if err != nil {
		return "", errors.New("non trovo la cartella home per salvare il riepilogo: usa --transcript FILE")
	}
	return dir, nil
}

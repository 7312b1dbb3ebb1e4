// Package userdir knows where sportello saves the files it writes for the
// user, and how. Where: the user's documents folder, for a report the user
// must find and send to the office (Documents), and sportello's state
// folder for everything else and as the fallback (State). How: readable
// only by the user, since these files may hold a codice fiscale or a
// device's serial number, and never over an existing file (WriteNew).
package userdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Documents returns the user's documents folder when there is one and it
// exists: XDG_DOCUMENTS_DIR of user-dirs.dirs on Linux and the other
// freedesktop systems, the Documents known folder on Windows (which
// follows a redirection to OneDrive), ~/Documents on macOS.
func Documents() (string, bool) {
	dir := documents()
	if dir == "" {
		return "", false
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", false
	}
	return dir, true
}

// State is sportello's state folder (see stateDir: $XDG_STATE_HOME or
// ~/.local/state, %LOCALAPPDATA% on Windows, followed by sportello). It
// may not exist yet.
func State() (string, error) {
	d, err := stateDir()
	if err != nil || d == "" {
		return "", errors.New("non trovo la cartella home dell'utente")
	}
	return d, nil
}

// MkdirPrivate creates dir, with the folders above it, when it is
// missing: readable only by the user (0700; on Windows the user-only
// access list, inherited by what is created in it). A folder that exists
// is left as it is. The error is Italian and names the folder.
func MkdirPrivate(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("impossibile creare la cartella %s", dir)
	}
	_ = Private(dir, true) // where the file system has permissions to set
	return nil
}

// maxTries bounds the search for a free name in WriteNew.
const maxTries = 1000

// WriteNew writes data to a new file named stem+ext in dir, creating dir
// (readable only by the user) when missing. When the name is taken it
// tries stem-2+ext, stem-3+ext and so on: it never replaces a file. The
// file is readable only by the user (0600 on Unix; on Windows, where mode
// bits mean nothing, an explicit access list for the user alone). It
// returns the file's path; on an error it leaves no partial file.
func WriteNew(dir, stem, ext string, data []byte) (string, error) {
	if err := MkdirPrivate(dir); err != nil {
		return "", err
	}
	for i := 1; i <= maxTries; i++ {
		name := stem + ext
		if i > 1 {
			name = stem + "-" + strconv.Itoa(i) + ext
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("impossibile creare il file %s", path)
		}
		err = Private(path, false)
		if err == nil {
			_, err = f.Write(data)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return "", fmt.Errorf("impossibile scrivere il file %s", path)
		}
		return path, nil
	}
	return "", fmt.Errorf("impossibile trovare un nome libero per %s%s nella cartella %s", stem, ext, dir)
}

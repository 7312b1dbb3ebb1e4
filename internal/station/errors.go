package station

import (
	"errors"
	"io/fs"
	"syscall"
)

// why says in Italian why reading path failed: the facts carry no Go or
// system text in English.
func why(path string, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path + " non esiste"
	case errors.Is(err, fs.ErrPermission):
		return path + ": permesso negato"
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return path + ": errore di sistema " + errnoName(errno)
	}
	return path + ": errore di lettura"
}

//go:build unix && !darwin

package userdir

import (
	"path/filepath"
	"strings"
)

// xdgDocuments reads XDG_DOCUMENTS_DIR from the text of a user-dirs.dirs
// file (shell assignments of "$HOME/relative" or "/absolute" paths, the
// only forms the format allows), falling back to env, the value of the
// environment variable. A folder set to the home itself means the user
// disabled it: no documents folder.
func xdgDocuments(conf, home, env string) string {
	dir := ""
	for _, line := range strings.Split(conf, "\n") {
		v, ok := strings.CutPrefix(strings.TrimSpace(line), "XDG_DOCUMENTS_DIR=")
		if !ok {
			continue
		}
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			continue
		}
		v = v[1 : len(v)-1]
		switch {
		case v == "$HOME" || strings.HasPrefix(v, "$HOME/"):
			if home == "" {
				continue
			}
			dir = home + strings.TrimPrefix(v, "$HOME")
		case strings.HasPrefix(v, "/"):
			dir = v
		}
	}
	if dir == "" && filepath.IsAbs(env) {
		dir = env
	}
	if dir == "" || home != "" && filepath.Clean(dir) == filepath.Clean(home) {
		return ""
	}
	return filepath.Clean(dir)
}

//go:build unix && !darwin

package userdir

import (
	"os"
	"path/filepath"
)

// documents is XDG_DOCUMENTS_DIR as xdg-user-dirs sets it in
// ${XDG_CONFIG_HOME:-~/.config}/user-dirs.dirs (e.g. ~/Documenti on an
// Italian desktop), else the variable XDG_DOCUMENTS_DIR.
func documents() string {
	home, _ := os.UserHomeDir()
	conf := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(conf) {
		conf = filepath.Join(home, ".config")
	}
	data, _ := os.ReadFile(filepath.Join(conf, "user-dirs.dirs"))
	return xdgDocuments(string(data), home, os.Getenv("XDG_DOCUMENTS_DIR"))
}

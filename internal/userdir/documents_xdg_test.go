//go:build unix && !darwin

package userdir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestXDGDocuments(t *testing.T) {
	const home = "/home/mario"
	for _, c := range []struct {
		name, conf, env, want string
	}{
		{"Italian desktop", "# comment\nXDG_DESKTOP_DIR=\"$HOME/Scrivania\"\nXDG_DOCUMENTS_DIR=\"$HOME/Documenti\"\n", "", "/home/mario/Documenti"},
		{"absolute", `XDG_DOCUMENTS_DIR="/srv/documenti/mario"`, "", "/srv/documenti/mario"},
		{"indented, last wins", "  XDG_DOCUMENTS_DIR=\"$HOME/A\"\nXDG_DOCUMENTS_DIR=\"$HOME/B\"", "", "/home/mario/B"},
		{"disabled (the home)", `XDG_DOCUMENTS_DIR="$HOME/"`, "", ""},
		{"unquoted: not the format", `XDG_DOCUMENTS_DIR=$HOME/Documenti`, "", ""},
		{"relative: not the format", `XDG_DOCUMENTS_DIR="Documenti"`, "", ""},
		{"no file, the variable", "", "/home/mario/Docs", "/home/mario/Docs"},
		{"the file wins", `XDG_DOCUMENTS_DIR="$HOME/Documenti"`, "/home/mario/Docs", "/home/mario/Documenti"},
		{"relative variable", "", "Docs", ""},
		{"nothing", "", "", ""},
	} {
		if got := xdgDocuments(c.conf, home, c.env); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDocumentsExistsOnly(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "conf"))
	t.Setenv("XDG_DOCUMENTS_DIR", "")
	if err := os.MkdirAll(filepath.Join(home, "conf"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "conf", "user-dirs.dirs"), []byte(`XDG_DOCUMENTS_DIR="$HOME/Documenti"`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if d, ok := Documents(); ok {
		t.Errorf("a documents folder that does not exist: %s", d)
	}
	if err := os.Mkdir(filepath.Join(home, "Documenti"), 0o700); err != nil {
		t.Fatal(err)
	}
	if d, ok := Documents(); !ok || d != filepath.Join(home, "Documenti") {
		t.Errorf("Documents = %s %v", d, ok)
	}
}

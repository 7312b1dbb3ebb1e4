package userdir

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// scratch is a temporary directory, removed at the end if it can be (not
// t.TempDir: under Wine, Go's RemoveAll fails with "Invalid function",
// and the Wine prefix goes with all it holds anyway).
func scratch(t *testing.T) string {
	d, err := os.MkdirTemp("", "userdir-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func TestWriteNewNeverClobbers(t *testing.T) {
	dir := filepath.Join(scratch(t), "nuova", "cartella")
	var paths []string
	for i := 0; i < 3; i++ {
		p, err := WriteNew(dir, "rapporto", ".json", []byte{byte('a' + i)})
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for i, want := range []string{"rapporto.json", "rapporto-2.json", "rapporto-3.json"} {
		if filepath.Base(paths[i]) != want {
			t.Errorf("file %d: %s, want %s", i, paths[i], want)
		}
		data, err := os.ReadFile(paths[i])
		if err != nil || string(data) != string(rune('a'+i)) {
			t.Errorf("%s holds %q (%v)", paths[i], data, err)
		}
		if fi, _ := os.Stat(paths[i]); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", paths[i], fi.Mode().Perm())
		}
	}
	if fi, _ := os.Stat(dir); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("new folder mode %v, want 0700", fi.Mode().Perm())
	}
}

func TestWriteNewFailsCleanly(t *testing.T) {
	file := filepath.Join(scratch(t), "un-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := WriteNew(filepath.Join(file, "sotto"), "rapporto", ".json", []byte("x"))
	if err == nil || !strings.HasPrefix(err.Error(), "impossibile creare la cartella ") {
		t.Errorf("a folder under a file: %v", err)
	}
}

func TestState(t *testing.T) {
	if runtime.GOOS == "windows" {
		// %LOCALAPPDATA%\sportello, whatever XDG_STATE_HOME says.
		abs := scratch(t)
		t.Setenv("XDG_STATE_HOME", abs)
		t.Setenv("LOCALAPPDATA", abs)
		if d, _ := State(); d != filepath.Join(abs, "sportello") {
			t.Errorf("State = %s", d)
		}
		t.Setenv("LOCALAPPDATA", "relativo") // not absolute: the known folder
		if d, _ := State(); !filepath.IsAbs(d) || filepath.Base(d) != "sportello" || filepath.Base(filepath.Dir(d)) != "Local" {
			t.Errorf("State = %s, want the LocalAppData known folder", d)
		}
		return
	}
	abs := scratch(t)
	t.Setenv("XDG_STATE_HOME", abs)
	if d, _ := State(); d != filepath.Join(abs, "sportello") {
		t.Errorf("State = %s", d)
	}
	t.Setenv("XDG_STATE_HOME", "relativo") // not absolute: ignored, as the spec says
	home, _ := os.UserHomeDir()
	if d, _ := State(); d != filepath.Join(home, ".local", "state", "sportello") {
		t.Errorf("State = %s", d)
	}
}

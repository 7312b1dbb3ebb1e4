package summary

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultLocation(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	s, err := New("", time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(state, "sportello", "riepilogo-20250304-050607.md")
	for i, text := range []string{"# primo\n", "# secondo\n"} {
		got, err := s.Save(text)
		if err != nil || got != want {
			t.Fatalf("save %d: %q, %v; want %q", i, got, err, want)
		}
		data, _ := os.ReadFile(want)
		if string(data) != text {
			t.Errorf("save %d wrote %q", i, data)
		}
	}
	st, err := os.Stat(want)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("permissions: %v %v", st.Mode(), err)
	}
}

func TestRelativeXDGIgnored(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", "relativo")
	t.Setenv("HOME", home)
	d, err := DefaultDir()
	if err != nil || d != filepath.Join(home, ".local", "state", "sportello") {
		t.Errorf("DefaultDir = %q, %v", d, err)
	}
}

func TestExplicitFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "sub", "ticket.md")
	s, err := New(f, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.Save("x"); err != nil || p != f {
		t.Fatalf("Save = %q, %v", p, err)
	}
}

func TestSaveError(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := New(filepath.Join(blocker, "x.md"), time.Now())
	_, err := s.Save("x")
	if err == nil {
		t.Fatal("saving under a regular file should fail")
	}
	// Italian, naming the place; never the system's English words.
	if msg := err.Error(); !strings.HasPrefix(msg, "impossibile ") || strings.Contains(msg, "not a directory") || strings.Contains(msg, "mkdir") {
		t.Errorf("error %q", msg)
	}
}

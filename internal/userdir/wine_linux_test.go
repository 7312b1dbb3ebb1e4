package userdir

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/winetest"
)

func TestMain(m *testing.M) { os.Exit(winetest.Main(m)) }

// TestWindowsUnderWine cross-builds this package's tests for Windows and
// runs them under Wine (a private prefix): the Documents known folder and
// the file's own access list. Wine stores the access list and gives it
// back, so the test proves what WriteNew sets; that Windows then enforces
// it is Windows' part, which Wine does not imitate.
func TestWindowsUnderWine(t *testing.T) {
	p := winetest.Get(t)
	exe := filepath.Join(t.TempDir(), "userdir.test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cross-building the tests: %v\n%s", err, out)
	}
	r := p.Run(t, winetest.RunOptions{Exe: exe, Args: []string{"-test.v", "-test.run", "Windows|ACL|WriteNew|State"}})
	for _, want := range []string{"--- PASS: TestPrivateFileACL", "--- PASS: TestDocumentsWindows", "--- PASS: TestWriteNewNeverClobbers"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("under Wine, no %q (exit %d):\n%s\n%s", want, r.ExitCode, r.Stdout, r.Stderr)
		}
	}
	if r.ExitCode != 0 {
		t.Errorf("under Wine: exit %d\n%s\n%s", r.ExitCode, r.Stdout, r.Stderr)
	}
	t.Log(r.Stdout)
}

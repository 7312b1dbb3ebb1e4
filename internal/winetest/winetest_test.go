//go:build linux

package winetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func echo(t *testing.T) string {
	t.Helper()
	return BuildExe(t, "echo.exe", []string{"internal/winetest/testdata/echo.c"})
}

// TestGoProgramStarts shows the ProcessPrng shim at work: the cross-built
// sportello.exe starts under Wine and prints its version.
func TestGoProgramStarts(t *testing.T) {
	p := Get(t)
	if _, err := os.Stat(filepath.Join(p.System32, "bcryptprimitives.dll")); err != nil {
		t.Fatalf("the shim is not in System32: %v", err)
	}
	r := p.Run(t, RunOptions{Args: []string{"--version"}})
	if r.ExitCode != 0 || !strings.HasPrefix(r.Stdout, "sportello ") {
		t.Fatalf("sportello.exe --version: exit %d\nstdout: %s\nstderr: %s", r.ExitCode, r.Stdout, r.Stderr)
	}
	if strings.Contains(r.Stderr, "bcryptprimitives") {
		t.Errorf("stderr: %s", r.Stderr)
	}
}

func TestRun(t *testing.T) {
	p := Get(t)
	exe := echo(t)
	cases := []struct {
		name           string
		o              RunOptions
		stdout, stderr string
		code           int
	}{
		{"stdout", RunOptions{Args: []string{"out", "ciao"}}, "ciao\r\n", "", 0},
		{"stderr", RunOptions{Args: []string{"err", "male"}}, "", "male\r\n", 0},
		{"env", RunOptions{Args: []string{"env", "SPORTELLO_X"}, Env: []string{"SPORTELLO_X=uno"}}, "uno\r\n", "", 0},
		{"stdin", RunOptions{Args: []string{"stdin"}, Stdin: "a\nb\n"}, "a\r\nb\r\n", "", 0},
		{"exit code", RunOptions{Args: []string{"exit", "7"}}, "", "", 7},
		{"prefix", RunOptions{Args: []string{"env", "WINEPREFIX"}}, p.Dir + "\r\n", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.o.Exe = exe
			r := p.Run(t, c.o)
			if r.Stdout != c.stdout || r.Stderr != c.stderr || r.ExitCode != c.code || r.TimedOut {
				t.Errorf("got stdout %q stderr %q exit %d timed out %v; want %q %q %d", r.Stdout, r.Stderr, r.ExitCode, r.TimedOut, c.stdout, c.stderr, c.code)
			}
		})
	}
}

// TestRunTimeout: a program that hangs, and the one it started (Wine
// forks it in the same process group), are killed at the timeout.
func TestRunTimeout(t *testing.T) {
	p := Get(t)
	exe := echo(t)
	during := make(chan []string, 1)
	go func() {
		time.Sleep(2 * time.Second)
		during <- processesNamed("echo.exe")
	}()
	r := p.Run(t, RunOptions{Exe: exe, Args: []string{"spawn"}, Timeout: 4 * time.Second})
	if !r.TimedOut || r.ExitCode != -1 {
		t.Fatalf("not timed out: %+v", r)
	}
	if r.Took > 10*time.Second {
		t.Errorf("took %v", r.Took)
	}
	// Both processes ran (so processesNamed sees them)...
	if seen := <-during; len(seen) != 2 {
		t.Fatalf("while running, want echo.exe and its child, saw %v", seen)
	}
	// ...and neither is left.
	if left := processesNamed("echo.exe"); len(left) > 0 {
		t.Errorf("left running: %v", left)
	}
}

// processesNamed lists the Linux processes whose command line names exe
// (a Wine process's argv[0] is its Windows path).
func processesNamed(exe string) []string {
	var found []string
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		cmd := strings.ReplaceAll(string(b), "\x00", " ")
		// The first is "/tmp/…/echo.exe", those it started "Z:\tmp\…\echo.exe".
		if strings.Contains(strings.ToLower(cmd), exe) && strings.Contains(cmd, filepath.Base(buildDir)) {
			found = append(found, filepath.Base(filepath.Dir(f))+": "+cmd)
		}
	}
	return found
}

func TestRegistry(t *testing.T) {
	p := Get(t)
	key := `HKCU\Software\SportelloTest\Run` + t.Name()
	t.Run("add", func(t *testing.T) {
		p.RegAdd(t, key, "DisplayName", "REG_SZ", "Prova 1.2")
		p.RegAdd(t, key, "Count", "REG_DWORD", "7")
		out, ok := p.RegQuery(t, key, "DisplayName")
		if !ok || !strings.Contains(out, "Prova 1.2") {
			t.Fatalf("reg query: %v %s", ok, out)
		}
		out, _ = p.RegQuery(t, key, "Count")
		if !strings.Contains(out, "0x7") {
			t.Fatalf("reg query Count: %s", out)
		}
	})
	if out, ok := p.RegQuery(t, key, ""); ok {
		t.Fatalf("the key outlived its test:\n%s", out)
	}
}

func TestInstallDLL(t *testing.T) {
	p := Get(t)
	var dst string
	t.Run("install", func(t *testing.T) {
		win := p.InstallDLL(t, echo(t), "sportello-prova.dll")
		if win != `C:\windows\system32\sportello-prova.dll` {
			t.Errorf("Windows path %q", win)
		}
		dst = filepath.Join(p.System32, "sportello-prova.dll")
		if _, err := os.Stat(dst); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Errorf("the DLL outlived its test: %v", err)
	}
}

func TestWindowsPath(t *testing.T) {
	if got := WindowsPath("/tmp/a b/c.dll"); got != `Z:\tmp\a b\c.dll` {
		t.Errorf("got %q", got)
	}
}

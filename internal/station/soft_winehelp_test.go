//go:build linux

package station_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/sportello/sportello/internal/tokentest"
)

// wine is a private Wine prefix for one test. (A minimal harness of its
// own until the shared one, internal/winetest, is on this branch.)
type wine struct {
	bin    string // /usr/lib/wine/wine64
	prefix string
	env    []string
}

const wineBin = "/usr/lib/wine/wine64"

func newWine(t *testing.T) *wine {
	t.Helper()
	if _, err := os.Stat(wineBin); err != nil {
		t.Fatalf("%s is missing: run `make test`, which installs wine64 (.ci/install-deps)", wineBin)
	}
	tokentest.Tool(t, "x86_64-w64-mingw32-gcc")
	w := &wine{bin: wineBin, prefix: filepath.Join(t.TempDir(), "prefix")}
	w.env = append(os.Environ(), "WINEPREFIX="+w.prefix, "WINEDEBUG=-all", "LANG=C.UTF-8", "WINEDLLOVERRIDES=mscoree,mshtml=")
	start := time.Now()
	w.run(t, "wineboot", "-i")
	t.Cleanup(func() {
		k := exec.Command(filepath.Join(filepath.Dir(w.bin), "wineserver"), "-k")
		k.Env = w.env
		_ = k.Run()
	})
	// Go programs call ProcessPrng (bcryptprimitives.dll), which Debian
	// 12's Wine lacks: a shim over RtlGenRandom, in the prefix's system32.
	src := filepath.Join(t.TempDir(), "shim.c")
	shim := `#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) { ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE; data += n; len -= n; }
  return TRUE;
}
`
	if err := os.WriteFile(src, []byte(shim), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-o",
		filepath.Join(w.prefix, "drive_c/windows/system32/bcryptprimitives.dll"), src, "-ladvapi32").CombinedOutput(); err != nil {
		t.Fatalf("building the ProcessPrng shim: %v\n%s", err, out)
	}
	t.Logf("Wine prefix ready in %v", time.Since(start).Round(time.Millisecond))
	return w
}

// run runs a Windows program (a host path) in the prefix and returns its
// stdout; a failure fails the test.
func (w *wine) run(t *testing.T, args ...string) string {
	t.Helper()
	// Output goes to files, not pipes: the wineserver that a Wine program
	// may start inherits them and lives on for seconds, and a pipe would
	// keep Wait waiting for it.
	dir := t.TempDir()
	stdout, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	cmd := exec.Command(w.bin, args...)
	cmd.Env = w.env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(120 * time.Second):
		_ = cmd.Process.Kill()
		err = <-done
		t.Errorf("wine64 %v: still running after 120s", args)
	}
	out, _ := os.ReadFile(stdout.Name())
	if err != nil {
		e, _ := os.ReadFile(stderr.Name())
		t.Fatalf("wine64 %v: %v\n%s%s", args, err, out, e)
	}
	return string(out)
}

// reg writes one registry value with `reg add` (view: "/reg:64",
// "/reg:32" or ""; name "" is the key's default value).
func (w *wine) reg(t *testing.T, view, key, name, typ, data string) {
	t.Helper()
	args := []string{"reg", "add", key}
	if name == "" {
		args = append(args, "/ve")
	} else {
		args = append(args, "/v", name)
	}
	args = append(args, "/t", typ, "/d", data, "/f")
	if view != "" {
		args = append(args, view)
	}
	w.run(t, args...)
}

// regedit imports a .reg body (without its header) with `regedit /s`,
// which takes values too long for a command line.
func (w *wine) regedit(t *testing.T, body string) {
	t.Helper()
	text := "Windows Registry Editor Version 5.00\r\n\r\n" + body
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xfe})
	for _, u := range utf16.Encode([]rune(text)) {
		_ = binary.Write(&b, binary.LittleEndian, u)
	}
	p := filepath.Join(t.TempDir(), "import.reg")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	w.run(t, "regedit", "/s", `Z:`+strings.ReplaceAll(p, "/", `\`))
}

// user is a path under the prefix's user profile folder.
func (w *wine) user(rel string) string {
	users, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c/users/*"))
	for _, u := range users {
		if filepath.Base(u) != "Public" {
			r, _ := filepath.Rel(w.prefix, filepath.Join(u, rel))
			return r
		}
	}
	return filepath.Join("drive_c/users", os.Getenv("USER"), rel)
}

func (w *wine) mkdir(t *testing.T, rel string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(w.prefix, rel), 0o755); err != nil {
		t.Fatal(err)
	}
}

func (w *wine) write(t *testing.T, rel string, data []byte) {
	t.Helper()
	w.mkdir(t, filepath.Dir(rel))
	if err := os.WriteFile(filepath.Join(w.prefix, rel), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mingwDLL builds a 64-bit DLL with mingw, with a version resource of
// that FILEVERSION ("1,4,10,598").
func mingwDLL(t *testing.T, version string) []byte {
	t.Helper()
	dir := t.TempDir()
	rc := `1 VERSIONINFO
FILEVERSION ` + version + `
PRODUCTVERSION ` + version + `
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "041004B0"
    BEGIN
      VALUE "CompanyName", "sportello test"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x410, 1200
  END
END
`
	files := map[string]string{"v.rc": rc, "d.c": "int sportello_test(void) { return 0; }\n"}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range [][]string{
		{"x86_64-w64-mingw32-windres", "v.rc", "-O", "coff", "-o", "v.o"},
		{"x86_64-w64-mingw32-gcc", "-shared", "-o", "bit4xpki.dll", "d.c", "v.o"},
	} {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", c, err, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "bit4xpki.dll"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// peMachine is dll with its COFF header's Machine changed (0x14c: i386):
// the header of a DLL the 64-bit program cannot load. (No 32-bit mingw is
// installed; the file is only read, never loaded.)
func peMachine(t *testing.T, dll []byte, machine uint16) []byte {
	b := bytes.Clone(dll)
	off := binary.LittleEndian.Uint32(b[0x3c:])
	binary.LittleEndian.PutUint16(b[off+4:], machine)
	return b
}

func fingerprint(der []byte) string {
	s := sha256.Sum256(der)
	return hex.EncodeToString(s[:])
}

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
	"testing"
	"unicode/utf16"

	"github.com/sportello/sportello/internal/winetest"
)

// prefixFiles writes files into the shared Wine prefix (paths relative
// to its directory) and removes them when t ends.
func prefixFiles(t *testing.T, p *winetest.Prefix, files map[string][]byte) {
	t.Helper()
	for rel, data := range files {
		full := filepath.Join(p.Dir, rel)
		var made []string // folders this call creates, removed afterwards
		for d := filepath.Dir(full); d != p.Dir; d = filepath.Dir(d) {
			if _, err := os.Stat(d); err == nil {
				break
			}
			made = append(made, d)
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if data != nil {
			if err := os.WriteFile(full, data, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if err := os.Mkdir(full, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			os.RemoveAll(full)
			for _, d := range made {
				os.Remove(d)
			}
		})
	}
}

// userDir is the prefix's user profile folder, relative to its directory.
func userDir(t *testing.T, p *winetest.Prefix) string {
	t.Helper()
	users, _ := filepath.Glob(filepath.Join(p.Dir, "drive_c/users/*"))
	for _, u := range users {
		if filepath.Base(u) != "Public" {
			r, _ := filepath.Rel(p.Dir, u)
			return r
		}
	}
	t.Fatalf("no user folder in %s/drive_c/users", p.Dir)
	return ""
}

// regedit imports a .reg body (without its header) with `regedit /s`:
// values too long for a command line, and text in UTF-16 whatever the
// locale the test runs in. keys are removed when t ends.
func regedit(t *testing.T, p *winetest.Prefix, body string, keys ...string) {
	t.Helper()
	text := "Windows Registry Editor Version 5.00\r\n\r\n" + body
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xfe})
	for _, u := range utf16.Encode([]rune(text)) {
		_ = binary.Write(&b, binary.LittleEndian, u)
	}
	path := filepath.Join(t.TempDir(), "import.reg")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, k := range keys {
			p.RegDeleteKey(t, k)
		}
	})
	if r := p.Run(t, winetest.RunOptions{Exe: "regedit", Args: []string{"/s", winetest.WindowsPath(path)}}); r.ExitCode != 0 {
		t.Fatalf("regedit: exit %d\n%s", r.ExitCode, r.Stderr)
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

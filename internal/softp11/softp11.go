// Package softp11 drives testdata/softp11, the project's own soft token
// for the tests: a PKCS#11 module in C, built with gcc into a Linux shared
// object and with mingw into a Windows DLL from the same source, serving
// the slots, tokens and certificates of a description file and
// misbehaving on request. This package writes that file from a Config and
// builds the module, once per test process. See softp11.c for the file's
// format and p11types.h for why the module has its own header (packing).
//
// Nothing here skips: a missing compiler fails the test and says to run
// `make test`.
package softp11

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// EnvConf names the variable that gives the module its description file;
// EnvConfFor(name) is the per-module variant, which wins over it.
const (
	EnvConf = "SOFTP11_CONF"
	EnvLog  = "SOFTP11_LOG" // a file the module appends each call's name to
)

// EnvConfFor is the variable read by a copy of the module whose file is
// named file (e.g. "bit4xpki.dll" reads SOFTP11_CONF_BIT4XPKI), so that
// two copies in one process can serve different tokens.
func EnvConfFor(file string) string {
	base := filepath.Base(strings.ReplaceAll(file, `\`, "/"))
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(base) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return EnvConf + "_" + b.String()
}

// Token flags (CK_TOKEN_INFO.flags) the tests use.
const (
	FlagRNG              = 0x00000001
	FlagLoginRequired    = 0x00000004
	FlagUserPINInit      = 0x00000008
	FlagProtectedPath    = 0x00000100
	FlagTokenInitialized = 0x00000400
	FlagUserPINCountLow  = 0x00010000
	FlagUserPINFinalTry  = 0x00020000
	FlagUserPINLocked    = 0x00040000
	FlagUserPINToChange  = 0x00080000
	FlagSOPINCountLow    = 0x00100000
	FlagSOPINFinalTry    = 0x00200000
	FlagSOPINLocked      = 0x00400000
	FlagSOPINToChange    = 0x00800000

	// FlagsReady is an initialised token with its PIN set.
	FlagsReady = FlagRNG | FlagLoginRequired | FlagUserPINInit | FlagTokenInitialized
)

// Cert is a certificate object.
type Cert struct {
	Label string
	ID    []byte
	DER   []byte
}

// Token is the token in a slot.
type Token struct {
	Label, Serial, Manufacturer, Model string
	Flags                              uint
	Certs                              []Cert
}

// Slot is one slot; Token nil is an empty reader.
type Slot struct {
	ID                        *uint // nil: its index
	Description, Manufacturer string
	Flags                     uint // 0: token present (if any) and removable
	Token                     *Token
}

// Fault kinds the module plays.
const (
	Hang          = "hang"          // sleep for ever in Call
	Crash         = "crash"         // write through NULL in Call
	StackOverflow = "stackoverflow" // recurse for ever in Call
	FastFail      = "fastfail"      // __fastfail on Windows, abort() on Linux
	Exit          = "exit"          // exit the process with Arg
	RV            = "rv"            // return CK_RV Arg (e.g. "0x30") from Call
	Print         = "print"         // printf Arg on stdout in Call
	WriteStdout   = "writestdout"   // write Arg to the OS's stdout handle in Call
	Spawn         = "spawn"         // start the program Arg (path and arguments, no shell) in Call
)

// Fault is one misbehaviour.
type Fault struct {
	Kind string
	Call string // C_Initialize, C_GetSlotList, ...
	Arg  string
}

// Config is a description file.
type Config struct {
	Manufacturer, Description string
	Slots                     []Slot
	Faults                    []Fault
}

// Text is the description file's content.
func (c Config) Text() string {
	var b strings.Builder
	line := func(k, v string) {
		if strings.ContainsAny(v, "\r\n") {
			panic("softp11: a value holds a newline: " + v)
		}
		fmt.Fprintf(&b, "%s %s\n", k, v)
	}
	if c.Manufacturer != "" {
		line("library.manufacturer", c.Manufacturer)
	}
	if c.Description != "" {
		line("library.description", c.Description)
	}
	for _, s := range c.Slots {
		id := ""
		if s.ID != nil {
			id = fmt.Sprint(*s.ID)
		}
		line("slot", id)
		if s.Description != "" {
			line("slot.description", s.Description)
		}
		if s.Manufacturer != "" {
			line("slot.manufacturer", s.Manufacturer)
		}
		if s.Flags != 0 {
			line("slot.flags", fmt.Sprintf("0x%x", s.Flags))
		}
		if t := s.Token; t != nil {
			line("token.label", t.Label)
			line("token.serial", t.Serial)
			line("token.manufacturer", t.Manufacturer)
			line("token.model", t.Model)
			line("token.flags", fmt.Sprintf("0x%x", t.Flags))
			for _, ct := range t.Certs {
				line("cert.label", ct.Label)
				if len(ct.ID) > 0 {
					line("cert.id", hex.EncodeToString(ct.ID))
				}
				line("cert.value", hex.EncodeToString(ct.DER))
			}
		}
	}
	for _, f := range c.Faults {
		v := f.Call
		if f.Arg != "" {
			v += " " + f.Arg
		}
		line("fault."+f.Kind, v)
	}
	return b.String()
}

// Write writes the description into a new file in dir and returns its
// path.
func (c Config) Write(t testing.TB, dir string) string {
	t.Helper()
	f, err := os.CreateTemp(dir, "softp11-*.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(c.Text()); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

var (
	mu    sync.Mutex
	built = map[string]string{}
	dir   string
)

// Cleanup removes what Linux and Windows built; call it from TestMain.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
		dir = ""
	}
	built = map[string]string{}
}

// Linux builds the module with gcc into softp11.so, once per test
// process, and returns its path.
func Linux(t testing.TB) string {
	t.Helper()
	return build(t, "gcc", "softp11.c", "softp11.so", "-shared", "-fPIC", "-ldl")
}

// Windows builds the module with mingw-w64 into softp11.dll (a 64-bit
// DLL), once per test process, and returns its Linux path.
func Windows(t testing.TB) string {
	t.Helper()
	return build(t, "x86_64-w64-mingw32-gcc", "softp11.c", "softp11.dll", "-shared")
}

// Windows32 builds testdata/softp11/arch32.c into a real 32-bit DLL
// (PE32, i386) exporting C_GetFunctionList, once per test process, and
// returns its path. No 32-bit mingw is installed: the 64-bit one compiles
// freestanding with -m32, and its ld links for i386pe with a linker
// script derived from its own 64-bit one (the i386pe script is not
// shipped by Debian's binutils-mingw-w64-x86-64).
func Windows32(t testing.TB) string {
	t.Helper()
	return build32(t, "softp11-32.dll", func(src, obj, out string) [][]string {
		script := filepath.Join(filepath.Dir(out), "i386pe.x")
		return [][]string{
			{"x86_64-w64-mingw32-gcc", "-m32", "-c", "-O2", "-Wall", "-Werror", "-ffreestanding", "-fno-asynchronous-unwind-tables", "-o", obj, src},
			{"script", script},
			{"x86_64-w64-mingw32-ld", "-m", "i386pe", "--dll", "-T", script, "-e", "_DllMainCRTStartup@12", "-o", out, obj},
		}
	})
}

// Linux32 builds testdata/softp11/arch32.c into a real 32-bit shared
// object (ELF32, i386), like Windows32: gcc -m32 freestanding, ld -m
// elf_i386 (no 32-bit C library needed).
func Linux32(t testing.TB) string {
	t.Helper()
	return build32(t, "softp11-32.so", func(src, obj, out string) [][]string {
		return [][]string{
			{"gcc", "-m32", "-c", "-O2", "-Wall", "-Werror", "-fPIC", "-ffreestanding", "-o", obj, src},
			{"ld", "-m", "elf_i386", "-shared", "-o", out, obj},
		}
	})
}

func build32(t testing.TB, name string, steps func(src, obj, out string) [][]string) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if p, ok := built[name]; ok {
		return p
	}
	d := workDir(t)
	src, err := Source()
	if err != nil {
		t.Fatal(err)
	}
	src = filepath.Join(filepath.Dir(src), "arch32.c")
	out := filepath.Join(d, name)
	for _, step := range steps(src, out+".o", out) {
		if step[0] == "script" {
			if err := i386peScript(step[1]); err != nil {
				t.Fatalf("softp11: %v", err)
			}
			continue
		}
		if _, err := exec.LookPath(step[0]); err != nil {
			t.Fatalf("softp11: %s is missing: run `make test` (its deps step installs gcc and gcc-mingw-w64-x86-64)", step[0])
		}
		var msg bytes.Buffer
		cmd := exec.Command(step[0], step[1:]...)
		cmd.Stdout, cmd.Stderr = &msg, &msg
		if err := cmd.Run(); err != nil {
			t.Fatalf("softp11: %s: %v\n%s", strings.Join(step, " "), err, msg.String())
		}
	}
	built[name] = out
	return out
}

// i386peScript writes the i386pe linker script: mingw-w64's x86-64 one
// for the pei-i386 format.
func i386peScript(path string) error {
	var out bytes.Buffer
	cmd := exec.Command("x86_64-w64-mingw32-ld", "-m", "i386pep", "--verbose")
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("x86_64-w64-mingw32-ld --verbose: %v", err)
	}
	// The script is printed between two lines of '=' characters.
	parts := strings.Split(out.String(), "==================================================")
	if len(parts) < 3 {
		return fmt.Errorf("no default linker script in x86_64-w64-mingw32-ld --verbose")
	}
	var b strings.Builder
	for _, l := range strings.Split(parts[1], "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "SEARCH_DIR") {
			continue
		}
		b.WriteString(strings.ReplaceAll(l, "pei-x86-64", "pei-i386") + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

func workDir(t testing.TB) string {
	t.Helper()
	if dir == "" {
		d, err := os.MkdirTemp("", "sportello-softp11-")
		if err != nil {
			t.Fatal(err)
		}
		dir = d
	}
	return dir
}

// Sleeper builds testdata/softp11/sleeper.c, a program that sleeps for
// ever, for Linux (gcc) or Windows (mingw): the helper process a driver
// starts in the Spawn fault.
func Sleeper(t testing.TB, windows bool) string {
	t.Helper()
	if windows {
		return build(t, "x86_64-w64-mingw32-gcc", "sleeper.c", "sleeper.exe")
	}
	return build(t, "gcc", "sleeper.c", "sleeper")
}

func build(t testing.TB, cc, source, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(cc); err != nil {
		t.Fatalf("softp11: %s is missing: run `make test` (its deps step installs gcc and gcc-mingw-w64-x86-64)", cc)
	}
	mu.Lock()
	defer mu.Unlock()
	if p, ok := built[name]; ok {
		return p
	}
	src, err := Source()
	if err != nil {
		t.Fatal(err)
	}
	src = filepath.Join(filepath.Dir(src), source)
	out := filepath.Join(workDir(t), name)
	all := append([]string{"-O2", "-Wall", "-Wextra", "-Werror", "-o", out, src}, args...)
	var msg bytes.Buffer
	cmd := exec.Command(cc, all...)
	cmd.Stdout, cmd.Stderr = &msg, &msg
	if err := cmd.Run(); err != nil {
		t.Fatalf("softp11: %s %s: %v\n%s", cc, strings.Join(all, " "), err, msg.String())
	}
	built[name] = out
	return out
}

var (
	srcOnce sync.Once
	srcPath string
	srcErr  error
)

// Source is the path of testdata/softp11/softp11.c.
func Source() (string, error) {
	srcOnce.Do(func() {
		var out bytes.Buffer
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}")
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			srcErr = fmt.Errorf("go list -m: %v", err)
			return
		}
		srcPath = filepath.Join(strings.TrimSpace(out.String()), "testdata", "softp11", "softp11.c")
	})
	return srcPath, srcErr
}

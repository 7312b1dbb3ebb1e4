//go:build linux

// Package winetest runs the Windows build of sportello under Wine, for the
// tests: one private Wine prefix per test process, the cross-built
// sportello.exe, a Run helper, registry writes and DLLs put in the prefix's
// System32.
//
// The prefix (WINEPREFIX) is a temporary directory created on first use
// with `wineboot -i` (seconds; then reused by every Windows test of the
// process) and removed, with its wineserver, by Cleanup. Wine runs with
// WINEDEBUG=-all and no display. Debian 12's Wine 8 lacks
// bcryptprimitives.dll!ProcessPrng, without which no Go program (1.22 and
// later) starts: the prefix gets a shim DLL built with mingw from
// testdata/processprng.c (see there why it must sit in System32). The shim
// is test setup only; nothing of this package is shipped.
//
// Nothing here skips: a missing wine64 or mingw-w64 fails the test with a
// message saying to run `make test` (whose `deps` step installs both).
//
// Tests share the one prefix. A test that changes it (InstallDLL, RegAdd)
// undoes the change in its cleanup; tests whose outcome depends on what
// the prefix holds (module discovery in System32, installed software in
// the registry) must not call t.Parallel, so that no other test of the
// process changes the prefix under them.
package winetest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// MinGW is the cross compiler for windows/amd64 (Debian's
// gcc-mingw-w64-x86-64).
const MinGW = "x86_64-w64-mingw32-gcc"

// WineCandidates are where the 64-bit Wine loader may be: Debian 12's
// wine64 package puts it in /usr/lib/wine, not on PATH.
var WineCandidates = []string{"/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/lib/wine/wine", "/usr/bin/wine"}

//go:embed testdata/processprng.c
var processPrngSource []byte

// Prefix is the private Wine prefix of this test process.
type Prefix struct {
	Dir        string // WINEPREFIX
	Wine       string // the wine64 loader
	WineServer string // wineserver, to stop the prefix's server
	System32   string // Dir/drive_c/windows/system32 on the Linux side
	env        []string
}

var (
	prefixOnce sync.Once
	prefix     *Prefix
	prefixErr  error

	buildOnce sync.Once
	buildDir  string
	buildErr  error

	exeOnce sync.Once
	exePath string
	exeErr  error

	mu       sync.Mutex // guards dlls
	dlls     = map[string]string{}
	moduleMu sync.Once
	modRoot  string
	modErr   error
)

// fail stops t with how to get the tool: `make test` installs it.
func fail(t testing.TB, format string, args ...any) {
	t.Helper()
	t.Fatalf("winetest: "+format+" (run `make test`: its deps step, .ci/install-deps, installs wine64 and gcc-mingw-w64-x86-64)", args...)
}

// Wine returns the path of the 64-bit Wine loader, failing t when none is
// installed.
func Wine(t testing.TB) string {
	t.Helper()
	if p := wineLoader(); p != "" {
		return p
	}
	fail(t, "wine64 is missing (looked at %s)", strings.Join(WineCandidates, ", "))
	return ""
}

func wineLoader() string {
	for _, p := range WineCandidates {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// CrossCompiler returns the path of the mingw-w64 C compiler, failing t
// when it is not installed.
func CrossCompiler(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath(MinGW)
	if err != nil {
		fail(t, "%s is missing", MinGW)
	}
	return p
}

// Get returns the prefix of this test process, creating it on the first
// call (wineboot -i, then the ProcessPrng shim in System32). It fails t
// when Wine or mingw is missing or the prefix cannot be made.
func Get(t testing.TB) *Prefix {
	t.Helper()
	wine := Wine(t)
	cc := CrossCompiler(t)
	prefixOnce.Do(func() { prefix, prefixErr = newPrefix(wine, cc) })
	if prefixErr != nil {
		t.Fatalf("winetest: making the Wine prefix: %v", prefixErr)
	}
	return prefix
}

// tempDir is one directory per test process for what this package builds.
func tempDir() (string, error) {
	buildOnce.Do(func() { buildDir, buildErr = os.MkdirTemp("", "sportello-winebuild-") })
	return buildDir, buildErr
}

func newPrefix(wine, cc string) (*Prefix, error) {
	removeStalePrefixes()
	dir, err := os.MkdirTemp("", "sportello-wine-")
	if err != nil {
		return nil, err
	}
	// The owner's pid, so that a later run can remove a prefix whose test
	// process died before its Cleanup.
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return nil, err
	}
	p := &Prefix{
		Dir:        dir,
		Wine:       wine,
		WineServer: filepath.Join(filepath.Dir(wine), "wineserver"),
		System32:   filepath.Join(dir, "drive_c", "windows", "system32"),
	}
	if _, err := os.Stat(p.WineServer); err != nil {
		if ws, lerr := exec.LookPath("wineserver"); lerr == nil {
			p.WineServer = ws
		}
	}
	p.env = environ(dir)
	// A wineserver that lingers between the tests' Wine calls (each call
	// would otherwise start a new one) and exits on its own 30 s after the
	// last one if this process dies before Cleanup.
	// (Its output goes nowhere: the server it forks keeps the descriptors
	// open, and a pipe would never close.)
	if err := p.startServer(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Its output to a file: the Wine services it starts may keep the
	// descriptors open after it returns.
	log, err := os.CreateTemp("", "sportello-wineboot-")
	if err != nil {
		p.close()
		return nil, err
	}
	defer os.Remove(log.Name())
	defer log.Close()
	boot := exec.CommandContext(ctx, wine, "wineboot", "-i")
	boot.Env = p.env
	boot.Stdout, boot.Stderr = log, log
	if err := boot.Run(); err != nil {
		out, _ := os.ReadFile(log.Name())
		p.close()
		return nil, fmt.Errorf("wineboot -i: %v\n%s", err, out)
	}
	if _, err := os.Stat(p.System32); err != nil {
		p.close()
		return nil, fmt.Errorf("wineboot made no %s: %v", p.System32, err)
	}
	build, err := tempDir()
	if err != nil {
		p.close()
		return nil, err
	}
	src := filepath.Join(build, "processprng.c")
	if err := os.WriteFile(src, processPrngSource, 0o600); err != nil {
		p.close()
		return nil, err
	}
	dll := filepath.Join(p.System32, "bcryptprimitives.dll")
	if err := run(nil, cc, "-O2", "-Wall", "-shared", "-o", dll, src, "-ladvapi32"); err != nil {
		p.close()
		return nil, fmt.Errorf("building the ProcessPrng shim: %v", err)
	}
	return p, nil
}

// startServer starts the prefix's wineserver, persistent for 30 s after
// its last client.
func (p *Prefix) startServer() error {
	server := exec.Command(p.WineServer, "-p30")
	server.Env = p.env
	if err := server.Run(); err != nil {
		return fmt.Errorf("%s -p30: %v", p.WineServer, err)
	}
	return nil
}

// environ is the environment of every Wine process of the prefix: this
// process's, without a display, with Wine's own debug output off and
// without the Mono and Gecko installers' dialogs.
func environ(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "WINEPREFIX", "WINEDEBUG", "WINEDLLOVERRIDES", "WINEARCH", "DISPLAY", "WAYLAND_DISPLAY":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "WINEPREFIX="+dir, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
}

const ownerFile = "sportello-winetest.pid"

// removeStalePrefixes removes the prefixes of earlier test processes that
// died without cleaning up (a prefix is hundreds of megabytes).
func removeStalePrefixes() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "sportello-wine-*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		fi, err := os.Stat(d)
		if err != nil || time.Since(fi.ModTime()) < time.Minute {
			continue
		}
		os.RemoveAll(d)
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// close stops the prefix's wineserver (and every Wine process left in it)
// and removes the prefix.
func (p *Prefix) close() {
	kill := exec.Command(p.WineServer, "-k")
	kill.Env = p.env
	_ = kill.Run()
	wait := exec.Command(p.WineServer, "-w")
	wait.Env = p.env
	_ = wait.Run()
	os.RemoveAll(p.Dir)
}

// Cleanup stops the prefix's wineserver, removes the prefix and what this
// package built. Call it from TestMain after m.Run (Main does).
func Cleanup() {
	if prefix != nil {
		prefix.close()
	}
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// Main runs the tests, then Cleanup; it returns the exit code for os.Exit.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	Cleanup()
	return code
}

// Env is the environment of the prefix's Wine processes (os.Environ with
// WINEPREFIX, WINEDEBUG=-all, no DISPLAY), for a test that runs Wine by
// hand, e.g. inside tmux.
func (p *Prefix) Env() []string { return slices.Clone(p.env) }

// WindowsPath is how a Windows program in the prefix names the Linux path
// path: Wine maps the Linux root to drive Z:.
func WindowsPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

// System32Path is the Windows name of a file in the prefix's System32.
func System32Path(name string) string { return `C:\windows\system32\` + name }

// Result is what a Wine program did.
type Result struct {
	Stdout, Stderr string
	// ExitCode is the low 8 bits of the Windows exit code (what a Linux
	// parent can see of it through the wine64 process); -1 when it was
	// killed for the timeout.
	ExitCode int
	TimedOut bool
	Took     time.Duration
}

// RunOptions describe one run of a Windows program.
type RunOptions struct {
	Exe   string   // the program (a Linux path); empty means Sportello(t)
	Args  []string // its arguments
	Env   []string // added to the prefix's environment ("K=V")
	Stdin string   // its standard input (empty: no input, at once EOF)
	// Timeout kills the program (its whole process group) when it runs
	// longer; 0 means one minute.
	Timeout time.Duration
	Dir     string // working directory (Linux path); empty means the test's
}

// Run runs a Windows program in the prefix and waits for it. It fails t
// when the program cannot be started; a non-zero exit or a timeout is in
// the Result.
func (p *Prefix) Run(t testing.TB, o RunOptions) Result {
	t.Helper()
	if o.Exe == "" {
		o.Exe = Sportello(t)
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.Wine, append([]string{o.Exe}, o.Args...)...)
	cmd.Env = append(p.Env(), o.Env...)
	cmd.Dir = o.Dir
	cmd.Stdin = strings.NewReader(o.Stdin)
	// Files, not pipes: a wineserver (or another Wine service) that the
	// program starts inherits its descriptors, and a pipe would stay open
	// until that server exits.
	stdout, stderr := outputFile(t), outputFile(t)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// Its own process group, so that a timeout kills the Windows
	// processes it started too (Wine forks them from it).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	r := Result{Stdout: readBack(stdout), Stderr: readBack(stderr), Took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.TimedOut, r.ExitCode = true, -1
	case errors.As(err, &ee):
		r.ExitCode = ee.ExitCode()
	case err != nil:
		t.Fatalf("winetest: running %s under Wine: %v\n%s", filepath.Base(o.Exe), err, r.Stderr)
	}
	return r
}

// outputFile is a temporary file for a Wine program's output, removed
// when t ends.
func outputFile(t testing.TB) *os.File {
	t.Helper()
	f, err := os.CreateTemp("", "sportello-wineout-")
	if err != nil {
		t.Fatalf("winetest: %v", err)
	}
	t.Cleanup(func() { f.Close(); os.Remove(f.Name()) })
	return f
}

func readBack(f *os.File) string {
	b, _ := os.ReadFile(f.Name())
	return string(b)
}

// Command is an exec.Cmd that runs a Windows program in the prefix, for a
// test that needs more than Run (a pseudo-terminal, a pipe it writes to
// while the program runs). The caller starts and waits for it.
func (p *Prefix) Command(exe string, args ...string) *exec.Cmd {
	cmd := exec.Command(p.Wine, append([]string{exe}, args...)...)
	cmd.Env = p.Env()
	return cmd
}

// wine runs one of Wine's own programs (reg, ...) in the prefix.
func (p *Prefix) wine(args ...string) (string, error) {
	f, err := os.CreateTemp("", "sportello-wineout-")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.Wine, args...)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = f, f // files, not pipes: see Run
	err = cmd.Run()
	out := readBack(f)
	if err != nil {
		return out, fmt.Errorf("wine64 %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out, nil
}

// RegAdd writes a registry value with `reg add KEY /v NAME /t TYPE /d DATA
// /f` (NAME "" is the key's default value; TYPE e.g. REG_SZ, REG_DWORD,
// REG_MULTI_SZ) and undoes it when t ends: the key is deleted if RegAdd
// created it, else the value. KEY is a full key such as
// `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\X`.
func (p *Prefix) RegAdd(t testing.TB, key, name, typ, data string) {
	t.Helper()
	_, qerr := p.wine("reg", "query", key)
	existed := qerr == nil
	args := []string{"reg", "add", key}
	if name == "" {
		args = append(args, "/ve")
	} else {
		args = append(args, "/v", name)
	}
	args = append(args, "/t", typ, "/d", data, "/f")
	if _, err := p.wine(args...); err != nil {
		t.Fatalf("winetest: %v", err)
	}
	t.Cleanup(func() {
		if !existed {
			_, _ = p.wine("reg", "delete", key, "/f")
			return
		}
		if name == "" {
			_, _ = p.wine("reg", "delete", key, "/ve", "/f")
		} else {
			_, _ = p.wine("reg", "delete", key, "/v", name, "/f")
		}
	})
}

// RegDeleteKey deletes a registry key and everything under it, if it
// exists (no undo).
func (p *Prefix) RegDeleteKey(t testing.TB, key string) {
	t.Helper()
	if _, err := p.wine("reg", "query", key); err != nil {
		return
	}
	if _, err := p.wine("reg", "delete", key, "/f"); err != nil {
		t.Fatalf("winetest: %v", err)
	}
}

// RegQuery returns the output of `reg query KEY` (and /v NAME when NAME is
// not empty), and whether the key (or value) exists.
func (p *Prefix) RegQuery(t testing.TB, key, name string) (string, bool) {
	t.Helper()
	args := []string{"reg", "query", key}
	if name != "" {
		args = append(args, "/v", name)
	}
	out, err := p.wine(args...)
	return out, err == nil
}

// InstallDLL copies the file src into the prefix's System32 as name (e.g.
// "bit4xpki.dll") and removes it when t ends. It returns its Windows path,
// C:\windows\system32\<name>. It refuses to replace a file already there.
func (p *Prefix) InstallDLL(t testing.TB, src, name string) string {
	t.Helper()
	if name != filepath.Base(name) || name == "" {
		t.Fatalf("winetest: InstallDLL wants a bare file name, got %q", name)
	}
	dst := filepath.Join(p.System32, name)
	if _, err := os.Lstat(dst); err == nil {
		t.Fatalf("winetest: %s is already in the prefix's System32", name)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatalf("winetest: %v", err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatalf("winetest: %v", err)
	}
	t.Cleanup(func() { os.Remove(dst) })
	return System32Path(name)
}

// Sportello cross-builds sportello.exe once per test process
// (CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc) and
// returns its Linux path.
func Sportello(t testing.TB) string {
	t.Helper()
	cc := CrossCompiler(t)
	exeOnce.Do(func() {
		dir, err := tempDir()
		if err != nil {
			exeErr = err
			return
		}
		exePath = filepath.Join(dir, "sportello.exe")
		exeErr = run(crossEnv(cc), "go", "build", "-o", exePath, "github.com/sportello/sportello/cmd/sportello")
	})
	if exeErr != nil {
		t.Fatalf("winetest: cross-building sportello.exe: %v", exeErr)
	}
	return exePath
}

func crossEnv(cc string) []string {
	return append(os.Environ(), "CGO_ENABLED=1", "GOOS=windows", "GOARCH=amd64", "CC="+cc)
}

// BuildDLL compiles C sources with mingw into a 64-bit DLL named name
// (once per test process for the same name) and returns its Linux path.
// Relative sources are taken from the module's root directory; extra are
// more compiler arguments (-D..., -l...).
func BuildDLL(t testing.TB, name string, sources []string, extra ...string) string {
	t.Helper()
	return buildC(t, CrossCompiler(t), name, sources, append([]string{"-shared"}, extra...))
}

// BuildExe compiles C sources with mingw into a 64-bit console program,
// like BuildDLL.
func BuildExe(t testing.TB, name string, sources []string, extra ...string) string {
	t.Helper()
	return buildC(t, CrossCompiler(t), name, sources, extra)
}

func buildC(t testing.TB, cc, name string, sources, args []string) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if p, ok := dlls[name]; ok {
		return p
	}
	dir, err := tempDir()
	if err != nil {
		t.Fatalf("winetest: %v", err)
	}
	root, err := ModuleRoot()
	if err != nil {
		t.Fatalf("winetest: %v", err)
	}
	out := filepath.Join(dir, name)
	all := []string{"-O2", "-Wall", "-Werror", "-o", out}
	for _, s := range sources {
		if !filepath.IsAbs(s) {
			s = filepath.Join(root, s)
		}
		all = append(all, s)
	}
	if err := run(nil, cc, append(all, args...)...); err != nil {
		t.Fatalf("winetest: building %s: %v", name, err)
	}
	dlls[name] = out
	return out
}

// ModuleRoot is the directory of the sportello module (go list -m).
func ModuleRoot() (string, error) {
	moduleMu.Do(func() {
		var out bytes.Buffer
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}")
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			modErr = fmt.Errorf("go list -m: %v", err)
			return
		}
		modRoot = strings.TrimSpace(out.String())
	})
	return modRoot, modErr
}

func run(env []string, name string, args ...string) error {
	var out bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return nil
}

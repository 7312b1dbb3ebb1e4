//go:build linux

package main

// The Windows build under Wine, beyond the shared token scenarios of
// platforms_test.go: discovery in System32, no console at all, summaries
// under %LOCALAPPDATA%, the job object around the probe child, and the
// TUI and console code pages in a real terminal (tmux). What Wine cannot
// show is said where it matters.
//
// These tests change the shared Wine prefix (System32, the profile), so
// none of them is parallel.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/softp11"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/winetest"
)

// TestWindowsDiscoveryInSystem32: with no --module, sportello.exe finds
// modules placed in System32 under vendors' file names, and says nothing
// of p11-kit there.
func TestWindowsDiscoveryInSystem32(t *testing.T) {
	p := winetest.Get(t)
	exe := winetest.Sportello(t)

	t.Run("nothing installed", func(t *testing.T) {
		r := p.Run(t, winetest.RunOptions{Exe: exe, Args: []string{"diagnose"}})
		if r.ExitCode != 1 || !strings.Contains(r.Stdout, "Nessun driver del dispositivo di firma (modulo PKCS#11) installato") {
			t.Fatalf("exit %d:\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
		for _, want := range []string{"Bit4id", "CIE (IPZS)", "Athena/ASE", "Charismathics"} {
			if !strings.Contains(r.Stdout, want) {
				t.Errorf("the report does not say %s was looked for:\n%s", want, r.Stdout)
			}
		}
		if strings.Contains(r.Stdout, "p11-kit") {
			t.Errorf("p11-kit mentioned on Windows:\n%s", r.Stdout)
		}
	})

	t.Run("two vendors", func(t *testing.T) {
		dir := t.TempDir()
		dll := softp11.Windows(t)
		bit4id := softDevice(softp11.FlagsReady)(t)
		bit4id.Slots[0].Token.Label = "Firma Bit4id"
		cie := softDevice(softp11.FlagsReady)(t)
		cie.Slots[0].Token.Label = "CIE"
		p.InstallDLL(t, dll, "bit4xpki.dll")
		p.InstallDLL(t, dll, "CIEPKI.dll")
		env := []string{
			softp11.EnvConfFor("bit4xpki.dll") + "=" + winetest.WindowsPath(bit4id.Write(t, dir)),
			softp11.EnvConfFor("CIEPKI.dll") + "=" + winetest.WindowsPath(cie.Write(t, dir)),
		}
		r := p.Run(t, winetest.RunOptions{Exe: exe, Args: []string{"diagnose", "--no-workstation", "--format", "json"}, Env: env})
		var rep diag.Report
		if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
			t.Fatalf("not JSON: %v\n%s%s", err, r.Stdout, r.Stderr)
		}
		found := map[string]string{}
		for _, m := range rep.Modules {
			if m.Status != token.ModuleOK {
				continue
			}
			if m.Source != token.SourceVendor || len(m.Slots) != 1 || m.Slots[0].Token == nil {
				t.Errorf("module %+v", m)
				continue
			}
			found[strings.ToLower(m.Path)] = m.Vendor + "/" + m.Slots[0].Token.Label
		}
		want := map[string]string{
			`c:\windows\system32\bit4xpki.dll`: "Bit4id/Firma Bit4id",
			`c:\windows\system32\ciepki.dll`:   "CIE (IPZS)/CIE",
		}
		if fmt.Sprint(found) != fmt.Sprint(want) {
			t.Errorf("modules found %v, want %v", found, want)
		}
	})
}

// TestWindowsWithoutConsole: with no console at all (pipes and /dev/null,
// as from a script or a scheduled task), the walk and --transcript work,
// with Windows paths for --flows and --transcript.
func TestWindowsWithoutConsole(t *testing.T) {
	p := winetest.Get(t)
	exe := winetest.Sportello(t)
	flows := "--flows=" + winetest.WindowsPath(fixtures)

	t.Run("stdin is /dev/null", func(t *testing.T) {
		dir := t.TempDir()
		cmd := p.Command(exe, flows)
		out, _ := os.Create(filepath.Join(dir, "out"))
		defer out.Close()
		cmd.Stdout, cmd.Stderr = out, out // stdin nil: /dev/null
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			b, _ := os.ReadFile(out.Name())
			if err != nil || !strings.Contains(string(b), "1. Firma digitale (prova)") || !strings.Contains(string(b), "Nessuna risposta ricevuta") {
				t.Errorf("%v:\n%s", err, b)
			}
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			t.Fatal("sportello.exe </dev/null hung")
		}
	})

	t.Run("plain walk in a pipe with --transcript", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "pratica.md")
		r := p.Run(t, winetest.RunOptions{Exe: exe, Stdin: "2\n1\n",
			Args: []string{flows, "run", "firma", "--plain", "--transcript", winetest.WindowsPath(file)}})
		if r.ExitCode != 0 || !strings.Contains(r.Stderr, "Riepilogo salvato in "+winetest.WindowsPath(file)) {
			t.Fatalf("exit %d\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
		md, err := os.ReadFile(file)
		if err != nil || !strings.Contains(string(md), "## Esito: Risolto") || !strings.Contains(string(md), "«Voglio installare il driver»") {
			t.Errorf("transcript %q, %v", md, err)
		}
	})

	t.Run("a --flows directory that is not there", func(t *testing.T) {
		r := p.Run(t, winetest.RunOptions{Exe: exe, Args: []string{`--flows=C:\non\esiste`, "flows", "list"}})
		if r.ExitCode == 0 || strings.Contains(r.Stderr, "The system cannot") || !strings.Contains(r.Stderr, `C:\non\esiste`) {
			t.Errorf("exit %d\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
	})
}

// TestWindowsSummaryUnderLocalAppData: a summary saved without
// --transcript goes to %LOCALAPPDATA%\sportello, with a DACL for the user
// alone where this Wine keeps DACLs.
func TestWindowsSummaryUnderLocalAppData(t *testing.T) {
	p := winetest.Get(t)
	r := p.Run(t, winetest.RunOptions{Args: []string{"--flows=" + winetest.WindowsPath(fixtures)}, Stdin: "2\ns\nq\n"})
	m := regexp.MustCompile(`Riepilogo salvato in (C:\\users\\[^\\]+\\AppData\\Local\\sportello\\riepilogo-\d{8}-\d{6}\.md)`).FindStringSubmatch(r.Stdout)
	if r.ExitCode != 0 || m == nil {
		t.Fatalf("exit %d, no summary under %%LOCALAPPDATA%%\\sportello:\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
	}
	win := m[1]
	linux := filepath.Join(p.Dir, "drive_c", filepath.FromSlash(strings.ReplaceAll(strings.TrimPrefix(win, `C:\`), `\`, "/")))
	md, err := os.ReadFile(linux)
	if err != nil || !strings.Contains(string(md), "PEC (prova)") {
		t.Fatalf("summary %s: %q %v", linux, md, err)
	}

	sddl := winetest.BuildExe(t, "sddl.exe", []string{"testdata/wine/sddl.c"}, "-ladvapi32")
	control := filepath.Join(t.TempDir(), "controllo")
	os.WriteFile(control, []byte("x"), 0o600)
	c := p.Run(t, winetest.RunOptions{Exe: sddl, Args: []string{"protect", winetest.WindowsPath(control)}})
	if !strings.Contains(c.Stdout, "PROTECT 0") {
		t.Fatalf("sddl.exe protect: %s%s", c.Stdout, c.Stderr)
	}
	if !strings.Contains(c.Stdout, "DACL D:P(") {
		// Wine 8 accepts SetNamedSecurityInfo and returns success, but keeps
		// no DACL: it maps it onto the Unix mode bits and reads back a
		// default one (SYSTEM, the user, Everyone read). The DACL itself
		// cannot be seen here; on Windows, SetNamedSecurityInfo with
		// PROTECTED_DACL_SECURITY_INFORMATION does what summary_windows.go
		// says.
		t.Logf("this Wine does not keep DACLs (%s): the summary's DACL is not checked here", strings.TrimSpace(c.Stdout))
		return
	}
	s := p.Run(t, winetest.RunOptions{Exe: sddl, Args: []string{win, filepath.Dir(win)}})
	user := regexp.MustCompile(`USER (S-[0-9-]+)`).FindStringSubmatch(s.Stdout)
	if user == nil {
		t.Fatalf("sddl.exe: %s", s.Stdout)
	}
	for _, want := range []string{
		fmt.Sprintf(`DACL D:P(A;;FA;;;%s) %s`, user[1], win),
		fmt.Sprintf(`DACL D:P(A;OICI;FA;;;%s) %s`, user[1], filepath.Dir(win)),
	} {
		if !strings.Contains(strings.ReplaceAll(s.Stdout, ";GA;", ";FA;"), want) {
			t.Errorf("want %q in:\n%s", want, s.Stdout)
		}
	}
}

// procsWith lists the Linux processes whose command line holds marker (a
// Wine process's command line is its Windows one).
func procsWith(marker string) []string {
	var found []string
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(b), marker) {
			found = append(found, filepath.Base(filepath.Dir(f))+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return found
}

// waitProcs polls the processes that hold marker until done holds for
// their number, for up to d, and returns them as last seen.
func waitProcs(marker string, d time.Duration, done func(n int) bool) []string {
	deadline := time.Now().Add(d)
	for {
		procs := procsWith(marker)
		if done(len(procs)) || time.Now().After(deadline) {
			return procs
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitGone polls until no process holds marker, for up to d.
func waitGone(marker string, d time.Duration) []string {
	return waitProcs(marker, d, func(n int) bool { return n == 0 })
}

func newMarker(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sportello-helper-" + hex.EncodeToString(b)
}

// TestModuleHelperKilledAtTimeout: a module that starts a helper process
// and hangs in C_Initialize. At the timeout the probe child and the
// helper go: on Linux with the process group, on Windows with the job
// object (TerminateJobObject).
func TestModuleHelperKilledAtTimeout(t *testing.T) {
	for _, p := range []platform{linuxPlatform(t), windowsPlatform(t)} {
		t.Run(p.os, func(t *testing.T) {
			marker := newMarker(t)
			sleeper := p.path(softp11.Sleeper(t, p.os == "windows"))
			conf := softDevice(softp11.FlagsReady,
				softp11.Fault{Kind: softp11.Spawn, Call: "C_Initialize", Arg: sleeper + " " + marker},
				softp11.Fault{Kind: softp11.Hang, Call: "C_Initialize"})(t).Write(t, t.TempDir())
			during := make(chan []string, 1)
			go func() { during <- waitProcs(marker, 3*time.Second, func(n int) bool { return n > 0 }) }()
			r := p.run(t, []string{softp11.EnvConf + "=" + p.path(conf)}, "", "diagnose", "--no-workstation", "--module", p.module, "--timeout", "4s")
			if !strings.Contains(r.stdout, "non ha risposto entro 4s (fermo in C_Initialize)") {
				t.Errorf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
			}
			if seen := <-during; len(seen) == 0 {
				t.Fatal("the module's helper never ran: the test shows nothing")
			}
			if left := waitGone(marker, 3*time.Second); len(left) > 0 {
				t.Errorf("the module's helper outlived the timeout: %v", left)
			}
		})
	}
}

// TestWindowsChildDiesWithParent: sportello.exe killed outright (no
// cleanup of its own runs) while the probe child hangs: Windows closes the
// dead parent's handles, the job's last handle with them, and
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE ends the child and the helper the
// module started. (On Linux only the probe child dies with the parent, by
// its parent-death signal; a helper the module forked is not reached.)
func TestWindowsChildDiesWithParent(t *testing.T) {
	p := winetest.Get(t)
	marker := newMarker(t)
	dir := t.TempDir()
	conf := softDevice(softp11.FlagsReady,
		softp11.Fault{Kind: softp11.Spawn, Call: "C_Initialize", Arg: winetest.WindowsPath(softp11.Sleeper(t, true)) + " " + marker},
		softp11.Fault{Kind: softp11.Hang, Call: "C_Initialize"})(t).Write(t, dir)
	// A module path only this test uses, to recognise its probe child.
	module := filepath.Join(dir, "modulo-"+marker+".dll")
	data, err := os.ReadFile(softp11.Windows(t))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(module, data, 0o644)
	cmd := p.Command(winetest.Sportello(t), "diagnose", "--no-workstation", "--module", winetest.WindowsPath(module), "--timeout", "120s")
	cmd.Env = append(cmd.Env, softp11.EnvConf+"="+winetest.WindowsPath(conf))
	out, _ := os.Create(filepath.Join(dir, "out"))
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	// sportello.exe and the probe child (the module's path), the helper
	if seen := waitProcs(marker, 30*time.Second, func(n int) bool { return n >= 3 }); len(seen) < 3 {
		b, _ := os.ReadFile(out.Name())
		t.Fatalf("the probe child and its helper never both ran: %v\n%s", seen, b)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL to the Wine process of sportello.exe
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if left := waitGone(marker, 10*time.Second); len(left) > 0 {
		t.Errorf("processes outlived the killed sportello.exe: %v", left)
	}
}

// TestWindowsConsoleInTmux runs, in one Windows console (Wine's, on a
// tmux terminal): diagnose at the default code page (437 under Wine),
// chcp 65001, diagnose again, then the TUI, which must draw its home
// screen, quit on q with status 0 and leave the console modes as it found
// them. Wine's console redraws imperfectly (leftovers of earlier frames
// can show that a Windows console would not draw): only what must be on
// the screen is checked, never a whole screen.
func TestWindowsConsoleInTmux(t *testing.T) {
	p := winetest.Get(t)
	x := newTmux(t)
	dir := t.TempDir()
	conmode := winetest.WindowsPath(winetest.BuildExe(t, "conmode.exe", []string{"testdata/wine/conmode.c"}))
	exe := winetest.WindowsPath(winetest.Sportello(t))
	module := winetest.WindowsPath(softp11.Windows(t))
	conf := softDevice(softp11.FlagsReady|softp11.FlagUserPINLocked)(t).Write(t, dir)
	bat := filepath.Join(dir, "prova.bat")
	script := strings.Join([]string{
		"@echo off",
		conmode + " before",
		exe + " diagnose --no-workstation --module " + module,
		"chcp 65001",
		exe + " diagnose --no-workstation --module " + module,
		exe + " --flows=" + winetest.WindowsPath(fixtures),
		"echo EXIT=%ERRORLEVEL%",
		conmode + " after",
		"",
	}, "\r\n")
	if err := os.WriteFile(bat, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range p.Env() {
		if k, _, _ := strings.Cut(kv, "="); k == "WINEPREFIX" || k == "WINEDEBUG" || k == "WINEDLLOVERRIDES" {
			env = append(env, kv)
		}
	}
	env = append(env, softp11.EnvConf+"="+winetest.WindowsPath(conf))
	line := fmt.Sprintf("env -u DISPLAY %s %s cmd /c %s; sleep 600", shellQuote(env...), p.Wine, shellQuote(winetest.WindowsPath(bat)))
	x.cmd("new-session", "-d", "-s", "main", "-x", "100", "-y", "30", "sh", "-c", line)
	history := func() string { return x.cmd("capture-pane", "-p", "-J", "-S", "-1000", "-t", "main") }
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s; the terminal holds:\n%s", what, history())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("the TUI's home screen", func() bool { return strings.Contains(x.screen(), "Scegli l'argomento") })
	x.keys("q")
	modeLine := regexp.MustCompile(`CONSOLE (before|after) in=(0x[0-9a-f]+) out=(0x[0-9a-f]+)`)
	// The whole last line, not only its start: the capture may come while
	// conmode is still writing it.
	waitFor("the end of the script", func() bool { return len(modeLine.FindAllString(history(), -1)) == 2 })
	h := history()

	before, after, ok := strings.Cut(h, "Active code page: 65001")
	if !ok {
		t.Fatalf("chcp 65001 did not run:\n%s", h)
	}
	if !strings.Contains(before, "x Esito: Trovato 1 problema") || !strings.Contains(before, "x PIN del dispositivo «Firma Test» bloccato") ||
		!strings.Contains(before, "    -> ") || strings.ContainsAny(before, "✓✗→") {
		t.Errorf("at code page 437 the report must use ASCII markers:\n%s", before)
	}
	if !strings.Contains(after, "✗ Esito: Trovato 1 problema") || !strings.Contains(after, "→ ") {
		t.Errorf("at code page 65001 the report keeps ✓ ✗ →:\n%s", after)
	}
	if !strings.Contains(h, "EXIT=0") {
		t.Errorf("the TUI did not exit 0 on q:\n%s", h)
	}
	modes := modeLine.FindAllStringSubmatch(h, -1)
	if len(modes) != 2 || modes[0][2] != modes[1][2] || modes[0][3] != modes[1][3] {
		t.Errorf("console modes before and after the TUI: %v", modes)
	}
}

func shellQuote(words ...string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// TestWindowsLoaderFaults: what Windows' loader refuses is said in
// Italian from its error code, never in its own (English, under Wine)
// words.
func TestWindowsLoaderFaults(t *testing.T) {
	p := winetest.Get(t)
	dir := t.TempDir()
	def := filepath.Join(dir, "sportello_assente.def")
	os.WriteFile(def, []byte("LIBRARY sportello_assente.dll\nEXPORTS\n  sportello_assente\n"), 0o644)
	lib := filepath.Join(dir, "libsportello_assente.a")
	if out, err := exec.Command("x86_64-w64-mingw32-dlltool", "-d", def, "-l", lib).CombinedOutput(); err != nil {
		t.Fatalf("dlltool: %v\n%s (run `make test`: it installs gcc-mingw-w64-x86-64)", err, out)
	}
	missing := winetest.BuildDLL(t, "missingdep.dll", []string{"testdata/wine/missingdep.c"}, "-L"+dir, "-lsportello_assente")
	text := filepath.Join(dir, "driver.dll")
	os.WriteFile(text, []byte("non sono una DLL\r\n"), 0o644)
	for _, c := range []struct {
		name, module string
		kind         token.FaultKind
		want         string
	}{
		{"missing dependency", winetest.WindowsPath(missing), token.FaultLoad,
			"il modulo missingdep.dll non si carica: manca una DLL da cui il driver dipende"},
		{"not a DLL", winetest.WindowsPath(text), token.FaultNotLibrary, "driver.dll non è una libreria"},
		{"not a PKCS#11 module", `C:\windows\system32\kernel32.dll`, token.FaultNotPKCS11, "è una libreria ma non un modulo PKCS#11"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := p.Run(t, winetest.RunOptions{Args: []string{"diagnose", "--no-workstation", "--module", c.module, "--format", "json"}})
			var rep diag.Report
			if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s%s", err, r.Stdout, r.Stderr)
			}
			m := onlyModule(t, &rep)
			if m.Fault == nil || m.Fault.Kind != c.kind || !strings.Contains(m.Reason, c.want) {
				t.Errorf("got %s %+v, want %s %q", m.Status, m.Fault, c.kind, c.want)
			}
			for _, english := range []string{"could not be found", "not found", "Module", "error"} {
				if strings.Contains(m.Reason, english) {
					t.Errorf("English in the message: %q", m.Reason)
				}
			}
		})
	}
}

// TestWindowsSelfCheckAndOperator: the plain self-check of sportello.exe
// with a Bit4id-named driver in System32 lists every group; «Salva il
// rapporto per l'ufficio» writes the report, masked, in the Documents
// folder; and the Linux binary, as the operator, walks on it: the header,
// the user's device, the user's system (Windows) for the instructions.
func TestWindowsSelfCheckAndOperator(t *testing.T) {
	p := winetest.Get(t)
	exe := winetest.Sportello(t)
	dir := t.TempDir()
	p.InstallDLL(t, softp11.Windows(t), "bit4xpki.dll")
	dev := softDevice(softp11.FlagsReady)(t)
	env := []string{softp11.EnvConfFor("bit4xpki.dll") + "=" + winetest.WindowsPath(dev.Write(t, dir))}
	r := p.Run(t, winetest.RunOptions{Exe: exe, Args: []string{"run", "autodiagnosi", "--plain"}, Env: env, Timeout: 2 * time.Minute})
	for _, want := range []string{"Driver e dispositivo\n  OK — Driver del dispositivo di firma caricato: bit4xpki.dll",
		"OK — Dispositivo di firma presente: «Firma Test»", "Programmi, certificati e browser\n", "Lettori, USB, riavvio e orologio\n", "Esito: "} {
		if !strings.Contains(r.Stdout, want) {
			t.Fatalf("the self-check lacks %q (exit %d):\n%s%s", want, r.ExitCode, r.Stdout, r.Stderr)
		}
	}
	m := regexp.MustCompile(`\n  (\d+)\. Salva il rapporto per l'ufficio\n`).FindStringSubmatch(r.Stdout)
	if m == nil {
		t.Fatalf("no «Salva il rapporto per l'ufficio»:\n%s", r.Stdout)
	}
	r = p.Run(t, winetest.RunOptions{Exe: exe, Args: []string{"run", "autodiagnosi", "--plain"}, Env: env, Stdin: m[1] + "\n1\n", Timeout: 2 * time.Minute})
	saved := regexp.MustCompile(`Rapporto per l'ufficio salvato in (\S+)\n`).FindStringSubmatch(r.Stdout)
	if saved == nil || !strings.Contains(strings.ToLower(saved[1]), `\documents\rapporto-sportello-`) || strings.Contains(r.Stdout, "Contiene codice fiscale e numeri di serie in chiaro") ||
		!strings.Contains(r.Stdout, "Da leggere all'ufficio: ") {
		t.Fatalf("not saved in Documents, masked:\n%s%s", r.Stdout, r.Stderr)
	}
	name := saved[1][strings.LastIndex(saved[1], `\`)+1:]
	files, _ := filepath.Glob(filepath.Join(p.Dir, "drive_c", "users", "*", "Documents", name))
	if len(files) != 1 {
		t.Fatalf("%s not in the prefix's Documents: %v", name, files)
	}
	t.Cleanup(func() { os.Remove(files[0]) }) // the prefix is shared
	rep, err := diag.ReadReport(files[0])
	if err != nil || !rep.Redacted || diag.ReportOS(rep) != "windows" {
		t.Fatalf("the saved report: %v, redacted %v", err, rep != nil && rep.Redacted)
	}

	// The operator, on Linux, with a driver that would hang if probed.
	out, errOut, code := run(t, "", false, hang(t), "run", "autodiagnosi", "--report", files[0])
	if code != 0 || !strings.HasPrefix(out, diag.Header(rep)+"\n") || !strings.Contains(out, "OK — Dispositivo di firma presente: «Firma Test»") {
		t.Errorf("operator's self-check: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = run(t, "", false, hang(t), "run", "installazione:passo-1", "--report", files[0])
	if !strings.Contains(out, "Istruzioni per Windows.") {
		t.Errorf("the operator is not shown the user's Windows steps:\n%s", out)
	}
}

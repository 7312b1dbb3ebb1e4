package main

// End-to-end tests of the built binary: the plain mode through pipes, and
// the TUI in a real terminal (tmux). They use the fixtures in
// testdata/walk, so they do not change when the real flows do.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/tokentest"
)

// fixtures is the flow set the tests walk (absolute: tmux starts elsewhere).
var fixtures, _ = filepath.Abs(filepath.Join("..", "..", "testdata", "walk"))

// sportelloBin returns the binary built once per test binary (by
// tokentest, which TestMain in diagnose_test.go sets up and cleans up).
func sportelloBin(t *testing.T) string { return tokentest.Sportello(t) }

// run runs the binary as the plain-mode tests do, with stdin (noStdin:
// /dev/null) and a state folder of its own, for 10 s at most, and
// returns its output and exit status.
func run(t *testing.T, stdin string, noStdin bool, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var in io.Reader
	if !noStdin {
		in = strings.NewReader(stdin)
	}
	r := runBinary(t, append([]string{"XDG_STATE_HOME=" + t.TempDir()}, env...), in, 10*time.Second, args...)
	return r.stdout, r.stderr, r.code
}

func TestPlainMode(t *testing.T) {
	ff := "--flows=" + fixtures
	tests := []struct {
		name    string
		args    []string
		stdin   string
		noStdin bool // </dev/null
		env     []string
		code    int
		want    []string // in stdout
		wantErr string   // in stderr
	}{
		{"</dev/null lists topics and exits 0", []string{ff}, "", true, nil, 0,
			[]string{"1. Firma digitale (prova)", "2. PEC (prova)", "printf '1\\n' | sportello run firma --plain"}, ""},
		{"</dev/null with the embedded flows", nil, "", true, nil, 0, []string{"Argomenti:", "PEC"}, ""},
		{"piped answers walk to an end node", []string{ff, "run", "pec", "--plain"}, "1\n1\n", false, nil, 0,
			[]string{"Accesso alla PEC", "Passo 1: Controlla il nome utente.", "Esito: Risolto", "Accesso riuscito"}, ""},
		{"a pipe means plain mode without --plain", []string{ff}, "2\n2\n", false, nil, 0,
			[]string{"Problema con la PEC", "Esito: Informazione"}, ""},
		{"run FLOW:NODE", []string{ff, "run", "pec:piena"}, "", false, nil, 0, []string{"Casella piena"}, ""},
		{"EOF mid-walk ends with 0", []string{ff, "run", "firma"}, "2\n", false, nil, 0,
			[]string{"Installare il driver", "Fine delle risposte"}, ""},
		{"q ends with 0", []string{ff}, "1\nq\n", false, nil, 0, []string{"Problema con la firma"}, ""},
		{"forced colours still print no escapes", []string{ff, "--plain"}, "1\n2\n", false,
			[]string{"CLICOLOR_FORCE=1", "TERM=xterm-256color", "COLORTERM=truecolor"}, 0, []string{"Installare il driver"}, ""},
		{"check node with a missing driver", []string{ff, "run", "firma:verifica"}, "", false,
			[]string{"SPORTELLO_PKCS11_MODULE=/nessuno/libmanca.so"}, 0,
			[]string{"Esito del controllo: non applicabile — Presenza del dispositivo non verificabile: nessun driver funzionante", "Serve l'assistenza"},
			"Controllo in corso: Verifica del dispositivo"},
		{"unknown flow is a usage error", []string{ff, "run", "nessuno"}, "", false, nil, 2, nil, "percorso «nessuno» inesistente"},
		{"unknown node is a usage error", []string{ff, "run", "pec:nessuno"}, "", false, nil, 2, nil, "non ha un nodo «nessuno»"},
		{"run needs a flow", []string{ff, "run"}, "", false, nil, 2, nil, "indica un percorso"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, tt.stdin, tt.noStdin, tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, errOut)
			}
			if strings.ContainsRune(out+errOut, 0x1b) {
				t.Errorf("escape byte in the output:\n%q", out+errOut)
			}
		})
	}
}

func TestPlainTranscript(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ticket.md")
	_, errOut, code := run(t, "2\n1\n", false, nil, "--flows="+fixtures, "run", "firma", "--transcript", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "Riepilogo salvato in "+file) {
		t.Errorf("stderr: %q", errOut)
	}
	md, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(md), "## Esito: Risolto") || !strings.Contains(string(md), "«Voglio installare il driver»") {
		t.Errorf("transcript %q, %v", md, err)
	}
}

// tmux drives the binary in a real terminal: its own server on its own
// socket, so that parallel runs do not meet.
type tmux struct {
	t    *testing.T
	sock string
}

func newTmux(t *testing.T) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is missing: run the tests with «make test», which installs it")
		}
		t.Skip("tmux is missing (make test installs it)")
	}
	x := &tmux{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", x.sock, "kill-server").Run() })
	return x
}

func (x *tmux) cmd(args ...string) string {
	x.t.Helper()
	c := exec.Command("tmux", append([]string{"-S", x.sock, "-f", "/dev/null"}, args...)...)
	// The terminal is a user's: without CI, which termenv reads as "not a
	// terminal" (no colours). The server started here passes this on.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") {
			c.Env = append(c.Env, kv)
		}
	}
	c.Env = append(c.Env, "TERM=xterm-256color")
	out, err := c.CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (x *tmux) screen() string { return x.cmd("capture-pane", "-p", "-t", "main") }

func (x *tmux) keys(keys ...string) { x.cmd(append([]string{"send-keys", "-t", "main"}, keys...)...) }

// waitFor polls the screen until cond holds.
func (x *tmux) waitFor(what string, cond func(screen string) bool) string {
	x.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := x.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("waiting for %s; the screen is:\n%s", what, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (x *tmux) waitText(s string) string {
	x.t.Helper()
	return x.waitFor(fmt.Sprintf("%q", s), func(screen string) bool { return strings.Contains(screen, s) })
}

// start runs sh -c 'sportello ARGS 2>ERR; echo EXIT=$? >STATUS' in a 100×30
// terminal and returns the files that will hold stderr and the exit status.
func (x *tmux) start(env string, args ...string) (errFile, statusFile string) {
	dir := x.t.TempDir()
	errFile, statusFile = filepath.Join(dir, "stderr"), filepath.Join(dir, "status")
	script := fmt.Sprintf("%s %s %s 2>%s; echo EXIT=$? >%s", env, sportelloBin(x.t), strings.Join(args, " "), errFile, statusFile)
	x.cmd("new-session", "-d", "-s", "main", "-x", "100", "-y", "30", "sh", "-c", script)
	return errFile, statusFile
}

// exitStatus waits for the program to end and returns its status line.
func (x *tmux) exitStatus(statusFile, errFile string) string {
	x.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(statusFile); err == nil && len(b) > 0 {
			if e, _ := os.ReadFile(errFile); len(e) > 0 {
				x.t.Errorf("stderr:\n%s", e)
			}
			return strings.TrimSpace(string(b))
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the program did not exit; the screen is:\n%s", x.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTUIInTmux(t *testing.T) {
	x := newTmux(t)
	begin := time.Now()
	errFile, statusFile := x.start("", "--flows="+fixtures)
	x.waitText("Scegli l'argomento")
	t.Logf("first frame after %v (tmux start included)", time.Since(begin).Round(time.Millisecond))
	x.cmd("set-option", "-s", "escape-time", "0")

	x.keys("Enter")
	x.waitText("Che cosa succede con il tuo dispositivo di firma?")
	x.keys("Escape")
	x.waitFor("home after Esc", func(s string) bool {
		return strings.Contains(s, "Scegli l'argomento") && !strings.Contains(s, "Che cosa succede")
	})

	x.cmd("resize-window", "-t", "main", "-x", "30", "-y", "8")
	s := x.waitFor("a 30×8 frame", func(s string) bool {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return len(lines) == 8 && strings.Contains(s, "sportello")
	})
	for _, l := range strings.Split(s, "\n") {
		if n := len([]rune(l)); n > 30 {
			t.Errorf("line wider than 30 columns: %q", l)
		}
	}
	x.keys("Enter") // still working at 30×8
	x.waitText("Che cosa succede")
	x.cmd("resize-window", "-t", "main", "-x", "100", "-y", "30")
	x.waitText("Firma digitale (prova) › Problema con la firma")

	x.keys("q")
	if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
		t.Errorf("q: %s, want EXIT=0", got)
	}
}

func TestTUIWalkSearchSaveInTmux(t *testing.T) {
	x := newTmux(t)
	state := t.TempDir()
	errFile, statusFile := x.start("XDG_STATE_HOME="+state, "--flows="+fixtures)
	x.waitText("Scegli l'argomento")
	x.cmd("set-option", "-s", "escape-time", "0")

	x.keys("2")
	x.waitText("Problema con la PEC")
	x.keys("2")
	x.waitText("i Informazione")
	x.keys("Escape")
	x.waitText("Che cosa succede con la tua casella PEC?")
	x.keys("/")
	x.waitText("Cerca:")
	x.keys("-l", "driver")
	x.waitText("3 risultati")
	x.keys("Enter")
	x.waitText("Installare il driver")
	x.keys("s")
	screen := x.waitText("Riepilogo salvato in ")
	files, _ := filepath.Glob(filepath.Join(state, "sportello", "riepilogo-*.md"))
	if len(files) != 1 {
		t.Fatalf("saved files: %v\n%s", files, screen)
	}
	md, _ := os.ReadFile(files[0])
	if !strings.Contains(string(md), "ricerca → Firma digitale (prova) › Installare il driver") {
		t.Errorf("transcript:\n%s", md)
	}
	x.keys("C-c")
	if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
		t.Errorf("ctrl+c: %s, want EXIT=0", got)
	}
}

// TestVisitInTmux: in a real terminal, with --os windows, a visit shows the
// visited node's Windows steps and where it will come back; its end node
// offers the way back first; Enter comes back, Esc goes back into the
// visit; the summary shows the visit and the return.
func TestVisitInTmux(t *testing.T) {
	x := newTmux(t)
	file := filepath.Join(t.TempDir(), "ticket.md")
	errFile, statusFile := x.start("", "--flows="+fixtures, "run", "pec", "--os", "windows", "--transcript", file)
	x.waitText("Problema con la PEC")
	x.cmd("set-option", "-s", "escape-time", "0")
	x.keys("1")
	x.waitText("[3] Mi serve il driver del dispositivo di firma")
	x.keys("3")
	s := x.waitText("↪ Alla fine di questa parte torni a «Accesso alla PEC».")
	for _, want := range []string{"Istruzioni per Windows.", "1. Scarica il driver per Windows (file .msi).", "[3] Torna indietro senza installare"} {
		if !strings.Contains(s, want) {
			t.Errorf("the visited node lacks %q:\n%s", want, s)
		}
	}
	x.keys("1")
	x.waitText("▸ [1] Torna a: «Accesso alla PEC»")
	x.keys("Enter")
	x.waitText("↩ Accesso alla PEC")
	x.keys("Escape")
	x.waitText("▸ [1] Torna a: «Accesso alla PEC»")
	x.keys("Enter")
	x.waitText("↩ Accesso alla PEC")
	x.keys("q")
	if got := x.exitStatus(statusFile, "/dev/null"); got != "EXIT=0" { // stderr says where the summary went
		t.Errorf("q: %s, want EXIT=0", got)
	}
	if e, _ := os.ReadFile(errFile); strings.TrimSpace(string(e)) != "Riepilogo salvato in "+file {
		t.Errorf("stderr: %q", e)
	}
	md, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Istruzioni per: Windows", "visita, poi si torna a «Accesso alla PEC»", "— ritorno dalla visita",
		"indietro → Firma digitale (prova) › Problema risolto"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
}

// TestOfficeContactsInTmux: an escalation node in a real terminal shows the
// configured office's contacts.
func TestOfficeContactsInTmux(t *testing.T) {
	x := newTmux(t)
	cfg, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "config", "esempio.yaml"))
	errFile, statusFile := x.start("XDG_CONFIG_HOME="+t.TempDir(), "--flows="+fixtures, "--config", cfg, "run", "firma:assistenza")
	s := x.waitText("Come contattare l'ufficio")
	for _, want := range []string{"Sportello firma digitale del Comune di Esempio", "Telefono: +39 0123 456789",
		"E-mail: firma@comune.esempio.it", "Sito: https://www.comune.esempio.it/firma"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	x.keys("q")
	if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
		t.Errorf("q: %s, want EXIT=0", got)
	}
}

func TestTUIColoursFollowNoColor(t *testing.T) {
	for _, tt := range []struct {
		env    string
		colour bool
	}{{"", true}, {"NO_COLOR=1", false}} {
		x := newTmux(t)
		errFile, statusFile := x.start(tt.env, "--flows="+fixtures)
		x.waitText("Scegli l'argomento")
		styled := x.cmd("capture-pane", "-e", "-p", "-t", "main") // with the colour sequences
		if got := strings.Contains(styled, "\x1b[38;"); got != tt.colour {
			t.Errorf("%q: colours drawn = %v, want %v:\n%q", tt.env, got, tt.colour, styled)
		}
		x.keys("q")
		if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
			t.Errorf("%s", got)
		}
	}
}

func TestDumbTerminalGetsPlainMode(t *testing.T) {
	x := newTmux(t)
	errFile, statusFile := x.start("TERM=dumb", "--flows="+fixtures)
	x.waitText("Scegli un argomento (1-2, ? aiuto, q esci):")
	x.keys("-l", "q")
	x.keys("Enter")
	if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
		t.Errorf("%s", got)
	}
}

func TestPlainCtrlCQuitsCleanly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ticket.md")
	cmd := exec.Command(sportelloBin(t), "--flows="+fixtures, "--plain", "--transcript", file)
	pr, pw, err := os.Pipe() // stays open: only the signal ends the dialogue
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	cmd.Stdin = pr
	var out lockedBuffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pr.Close()
	if _, err := pw.WriteString("2\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "Problema con la PEC") {
		if time.Now().After(deadline) {
			t.Fatal("no answer to the first line")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Ctrl+C: %v, want exit 0", err)
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("Ctrl+C did not end the plain dialogue")
	}
	if md, err := os.ReadFile(file); err != nil || !strings.Contains(string(md), "Problema con la PEC") {
		t.Errorf("transcript after Ctrl+C: %q, %v", md, err)
	}
}

// lockedBuffer is a bytes.Buffer that a test reads while a process writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

package main

// End-to-end tests of issue 12's second part: the self-check on one
// screen (a checklist node) in a real terminal and in a pipe, the topics
// screen's status line following a SoftHSM2 token added while it is shown,
// and the operator mode: the shipped flows walked on saved reports of
// every token state with a driver that would hang if this machine were
// probed, and the bad reports refused.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/tokentest"
)

// TestSelfCheckInTUI: in a real terminal the self-check fills in with no
// key pressed; the topics' status line appears, and changes when a
// SoftHSM2 token is added while the topics are shown; a opens the
// self-check from there, Enter follows a problem and Esc comes back.
func TestSelfCheckInTUI(t *testing.T) {
	h := tokentest.NewHSM(t) // SoftHSM2's free slot only: a device not initialised
	env := fmt.Sprintf("env SOFTHSM2_CONF=%s SPORTELLO_PKCS11_MODULE=%s XDG_CONFIG_HOME=%s XDG_STATE_HOME=%s",
		h.Conf, h.Module, t.TempDir(), t.TempDir())

	// The self-check on its own: every group fills in, nothing pressed.
	x := newTmux(t)
	errFile, statusFile := x.start(env, "run", "autodiagnosi")
	x.cmd("resize-window", "-t", "main", "-x", "100", "-y", "70")
	s := x.waitText("15 controlli")
	for _, want := range []string{"Autodiagnosi del dispositivo e del computer", "Da risolvere (", "Tutti i controlli:",
		"Driver e dispositivo", "✓ Driver del dispositivo di firma caricato: libsofthsm2.so", "PIN e PUK",
		"Programmi, certificati e browser", "Lettori, USB, riavvio e orologio", "▸ [1]"} {
		if !strings.Contains(s, want) {
			t.Errorf("the self-check lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Controlli in corso") {
		t.Errorf("still running after the count:\n%s", s)
	}
	x.keys("q")
	if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
		t.Errorf("q: %s", got)
	}

	// The topics: the status line, then the token plugged in.
	x = newTmux(t)
	errFile, statusFile = x.start(env)
	x.waitText("✗ Il dispositivo presente non è inizializzato · premi a per l'autodiagnosi") // the free slot
	x.cmd("set-option", "-s", "escape-time", "0")
	h.InitToken(t, "Firma Test", "12345678", "87654321")
	h.AddCert(t, "Firma Test", "12345678", "firma", []byte{1}, tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: inDays(500)}))
	plugged := time.Now()
	s = x.waitText("«Firma Test»: nessun problema, certificato di firma valido fino al ")
	took := time.Since(plugged)
	t.Logf("the status line changed %v after the token was added", took.Round(10*time.Millisecond))
	if took > 3*time.Second+time.Second { // the budget, and a second for a loaded machine
		t.Errorf("the status line took %v to follow the token (budget 3 s)", took)
	}
	if strings.Contains(s, "non è inizializzato") {
		t.Errorf("the old state is still shown:\n%s", s)
	}
	x.keys("a")
	x.waitText("15 controlli")
	x.keys("Enter") // the first problem
	x.waitText("↪ Alla fine di questa parte torni a «Autodiagnosi del dispositivo e del computer».")
	x.keys("Escape")
	x.waitText("15 controlli")
	x.keys("h")
	x.waitText("«Firma Test»: nessun problema")
	x.keys("q")
	if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
		t.Errorf("q: %s", got)
	}
}

// TestSelfCheckInPipe: the plain self-check with a locked PIN (the fault
// proxy over SoftHSM2): the list, then the menu with the PIN first among
// the problems; following it opens the PIN's guide as a visit back to the
// list.
func TestSelfCheckInPipe(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{"firma": {Kind: tokentest.Signature, NotAfter: inDays(500)}})
	env := []string{"SOFTHSM2_CONF=" + h.Conf, "SPORTELLO_PKCS11_MODULE=" + tokentest.FaultModule(t),
		"FAULT_REAL_MODULE=" + h.Module, "FAULT_OR_FLAGS=0x40000", "XDG_CONFIG_HOME=" + t.TempDir()}
	out, errOut, code := run(t, "1\n", false, env, "run", "autodiagnosi")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	set := embeddedSet(t)
	guide := set.Node("firma", "pin-bloccato")
	for _, want := range []string{
		"Driver e dispositivo\n  OK — Driver del dispositivo di firma caricato",
		"PIN e PUK\n  problema — PIN del dispositivo «Firma Test» bloccato\n",
		"    Cosa fare: Sblocca il PIN con il codice PUK",
		"Esito: Trovat",
		"Problemi da risolvere:\n  1. PIN del dispositivo «Firma Test» bloccato → apre «" + guide.Title + "»\n",
		"Risposta (1-",
		"↪ Alla fine di questa parte torni a «Autodiagnosi del dispositivo e del computer».\n" + guide.Title + "\n",
	} {
		i := strings.Index(out, want)
		if i < 0 {
			t.Fatalf("missing (or out of order) %q in:\n%s", want, out)
		}
		out = out[i+len(want):]
	}
	if strings.Count(errOut, "Controlli in corso: ") != 1 {
		t.Errorf("stderr: %q", errOut)
	}
}

// reportOutcomes reads a saved report as the walk tests read diagnose:
// the statuses and facts of the followed device (by label); a check the
// report lacks is a Skip, as the report runner answers it.
func reportOutcomes(t *testing.T, file, follow string) outcomes {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rep diag.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	for _, name := range check.Known {
		if len(check.Of(rep.Checks, name)) == 0 {
			rep.Checks = append(rep.Checks, check.Result{Check: name, Status: check.Skip, Title: "Non verificato: il rapporto non contiene il controllo «" + check.Label(name) + "»"})
		}
	}
	o := outcomesOf(t, file, rep.Checks, follow)
	return o
}

// savedReports are the saved reports of the token states (with the
// followed device of those with two), masked ones included.
func savedReports(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "internal", "diag", "testdata", "reports", "*.json"))
	if err != nil || len(files) < 15 {
		t.Fatalf("%d saved reports, %v", len(files), err)
	}
	out := map[string]string{}
	for _, f := range files {
		follow := ""
		switch b := filepath.Base(f); {
		case strings.Contains(b, "segue-quello-scaduto"):
			follow = "Vecchia"
		case strings.Contains(b, "col-pin-bloccato"):
			follow = "Bloccata"
		case b == "prima-dei-dispositivi-pin-bloccato.json":
			// made before results named their device: walked too
		}
		out[f] = follow
	}
	return out
}

// TestOperatorWalks walks the shipped flows on every saved report, as the
// walk tests do on the machine's states: every check node and the
// self-check answer from the report. This machine's driver would hang in
// C_Initialize if probed (and --timeout waits a minute): any probe would
// stop the walk past its 20 seconds.
func TestOperatorWalks(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the shipped flows on every saved report")
	}
	set := embeddedSet(t)
	walks := 0
	// What was walked already, over all the reports: again only along a
	// branch no report took yet.
	ends, branches, returned := map[*flow.Node]bool{}, map[string]bool{}, map[callSite]bool{}
	for file, follow := range savedReports(t) {
		abs, _ := filepath.Abs(file)
		sc := scenario{name: "rapporto " + filepath.Base(file), follow: follow,
			env:  append(hang(t), "XDG_CONFIG_HOME="+t.TempDir()),
			args: []string{"--report", abs, "--timeout", "60s"}}
		o := reportOutcomes(t, file, follow)
		noHoles(t, sc.name, set, o.facts)
		walks += walkScenario(t, set, sc, o, ends, returned, branches)
		// Every report, masked ones too, at least through the self-check.
		f := set.Flow("autodiagnosi")
		end := f.Nodes["riepilogo"]
		walk(t, sc, o, f, end, plan(set, f.Nodes[f.Start], o).ends[end])
		walks++
	}
	t.Logf("%d walks on %d saved reports", walks, len(savedReports(t)))
}

// TestOperatorHeader: the plain mode and the TUI say whose report they
// use and when it was made; the self-check lists the report's results and
// does not offer to save this machine's report.
func TestOperatorHeader(t *testing.T) {
	file, _ := filepath.Abs(filepath.Join("..", "..", "internal", "diag", "testdata", "reports", "pin-bloccato-mascherato.json"))
	r, err := diag.ReadReport(file)
	if err != nil {
		t.Fatal(err)
	}
	header := diag.Header(r)
	out, errOut, code := run(t, "", false, hang(t), "run", "autodiagnosi", "--report", file)
	if code != 0 || !strings.HasPrefix(out, header+"\n") || !strings.Contains(header, "dati personali mascherati") {
		t.Fatalf("exit %d, header %q\n%s%s", code, header, out, errOut)
	}
	for _, c := range r.Checks {
		if !strings.Contains(out, c.Title) {
			t.Errorf("the list lacks %q", c.Title)
		}
	}
	if strings.Contains(out, "Salva il rapporto per l'ufficio") || !strings.Contains(out, "non applicabile — Non verificato: il rapporto non contiene il controllo «GoSign Desktop»") {
		t.Errorf("the self-check on a report:\n%s", out)
	}

	x := newTmux(t)
	env := "env " + strings.Join(hang(t), " ")
	errFile, statusFile := x.start(env, "--report", file)
	s := x.waitText("«Firma Test»: PIN bloccato")
	if !strings.Contains(s, "Dati dal rapporto del "+r.GeneratedAt.Local().Format("02/01/2006 15:04")) {
		t.Errorf("no header:\n%s", s)
	}
	x.keys("q")
	if got := x.exitStatus(statusFile, errFile); got != "EXIT=0" {
		t.Errorf("q: %s", got)
	}
}

// TestOperatorBadReports: a file that is not a readable report stops the
// assistant before it opens, with the reader's Italian message naming the
// file (exit 1); no value is a usage error (exit 2); nothing panics.
func TestOperatorBadReports(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join("..", "..", "internal", "diag", "testdata", "reports", "pin-bloccato.json"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"testo.txt":       []byte("Diagnosi del dispositivo di firma\nEsito: nessun problema\n"),
		"troncato.json":   good[:len(good)/2],
		"modificato.json": []byte(strings.Replace(string(good), `"status": "fail"`, `"status": "pass"`, 1)),
		"versione.json":   []byte(strings.Replace(string(good), `"version": 1`, `"version": 0`, 1)),
		"recente.json":    []byte(strings.Replace(strings.Replace(string(good), `"version": 1`, `"version": 2`, 1), `"tool": "sportello dev"`, `"tool": "sportello 2.0.0"`, 1)),
		"vuoto.json":      nil,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	paths := []string{filepath.Join(dir, "manca.json")}
	for name := range files {
		paths = append(paths, filepath.Join(dir, name))
	}
	for _, p := range paths {
		_, want := diag.ReadReport(p)
		if want == nil {
			t.Fatalf("%s reads as a report", p)
		}
		for _, args := range [][]string{{"--report", p}, {"run", "autodiagnosi", "--report", p, "--plain"}, {"run", "firma", "--report", p}} {
			out, errOut, code := run(t, "", false, hang(t), args...)
			if code != 1 || errOut != "sportello: "+want.Error()+"\n" || out != "" {
				t.Errorf("%v: exit %d, stderr %q (want %q), stdout %q", args, code, errOut, want.Error(), out)
			}
		}
	}
	_, errOut, code := run(t, "", false, nil, "--report")
	if code != 2 || !strings.Contains(errOut, "l'opzione richiede un valore") {
		t.Errorf("--report without a file: exit %d %q", code, errOut)
	}
}

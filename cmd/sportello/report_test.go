package main

// End-to-end tests of saved reports (issue 12): the real binary diagnoses
// every token state of the walk tests (SoftHSM2 and the fault proxy),
// the report is saved, read back with `sportello report` and re-rendered,
// and must give the same bytes (JSON), the same verdict and exit code and
// the same facts, masked ones included, without probing this machine.
// The same run holds the saved reports in internal/diag/testdata/reports,
// which the reader's own tests, its fuzz target and the status line's
// table tests read, to what a fresh report of each state says.
//
// go test ./cmd/sportello -run TestReportRoundTrip -update rewrites them.

import (
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/tokentest"
)

var update = flag.Bool("update", false, "rewrite internal/diag/testdata/reports from the token states")

// hostileLabel has an escape sequence, an OSC title, a bell and a
// right-to-left override: none may reach a terminal raw.
const hostileLabel = "\x1b[2J\x1b]0;x\x07\u202eamriF"

// reportScenarios are the walk tests' token states (one device, several),
// and one more: a hostile label on a token whose certificate expires soon.
func reportScenarios(t *testing.T) []scenario {
	t.Helper()
	h := newToken(t, map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(11)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(400)},
	})
	// The walk tests follow each device of a pair in turn: one report of
	// each machine is enough here.
	var out []scenario
	seen := map[string]bool{}
	for _, sc := range scenarios(t) {
		if k := strings.Join(append(sc.env, sc.args...), " "); !seen[k] {
			seen[k] = true
			if !slices.ContainsFunc(sc.env, func(e string) bool { return strings.HasPrefix(e, "PCSCLITE_CSOCK_NAME=") }) {
				// A token state: the saved report is of the device alone,
				// whatever software this machine has. The states with a
				// pcscd of their own are about the workstation too.
				sc.args = append(append([]string(nil), sc.args...), "--no-workstation")
			}
			out = append(out, sc)
		}
	}
	return append(out, scenario{name: "etichetta ostile", env: []string{
		"SOFTHSM2_CONF=" + h.Conf, "SPORTELLO_PKCS11_MODULE=" + tokentest.FaultModule(t),
		"FAULT_REAL_MODULE=" + h.Module, "FAULT_LABEL=" + hostileLabel,
	}, args: []string{"--no-workstation"}})
}

// slug is a scenario's name as a file name.
func slug(name string) string {
	s := strings.NewReplacer(" ", "-", "'", "-").Replace(strings.ToLower(name))
	return regexp.MustCompile(`[^a-z0-9-]`).ReplaceAllString(s, "")
}

// hang makes any probe of this machine hang: `sportello report` must
// never probe, so it must not notice.
func hang(t *testing.T) []string {
	return []string{"SPORTELLO_PKCS11_MODULE=" + tokentest.FaultModule(t), "FAULT_HANG=C_Initialize",
		"FAULT_REAL_MODULE=" + tokentest.SoftHSMModule(t)}
}

func TestReportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	fixtures := filepath.Join("..", "..", "internal", "diag", "testdata", "reports")
	for _, sc := range reportScenarios(t) {
		for _, redact := range []bool{false, true} {
			name, args := sc.name, append([]string{"diagnose", "--format", "json"}, sc.args...)
			if redact {
				name, args = name+" mascherato", append(args, "--redact")
			}
			d := sportello(t, sc.env, args...)
			file := filepath.Join(dir, slug(name)+".json")
			if err := os.WriteFile(file, []byte(d.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			if *update && (!redact || sc.name == "dispositivo valido" || sc.name == "PIN bloccato") {
				if err := os.WriteFile(filepath.Join(fixtures, slug(name)+".json"), []byte(d.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if !redact {
				savedIsCurrent(t, sc.name, d.stdout)
			}
			var orig diag.Report
			if err := json.Unmarshal([]byte(d.stdout), &orig); err != nil {
				t.Fatalf("%s: %v", name, err)
			}

			// JSON: the same bytes, the same exit code, no probe.
			j := sportello(t, hang(t), "report", file, "--format", "json")
			if j.stdout != d.stdout || j.code != d.code {
				t.Errorf("%s: report --format json differs from diagnose (exit %d vs %d)\n%s", name, j.code, d.code, j.stderr)
			}
			if j.took > 5*time.Second {
				t.Errorf("%s: report took %v: did it probe?", name, j.took)
			}

			// Text: the verdict, the facts, nothing raw.
			x := sportello(t, hang(t), "report", file)
			if x.code != d.code || !strings.Contains(x.stdout, "Esito: "+orig.Verdict.Message) ||
				!strings.Contains(x.stdout, "Dati dal rapporto del "+orig.GeneratedAt.Local().Format("02/01/2006 15:04")) {
				t.Errorf("%s: text report, exit %d (want %d):\n%s%s", name, x.code, d.code, x.stdout, x.stderr)
			}
			if strings.ContainsAny(x.stdout, "\x1b\x07\u202e") {
				t.Errorf("%s: raw control characters in the text:\n%q", name, x.stdout)
			}
			for _, c := range orig.Checks {
				if !strings.Contains(x.stdout, c.Title) {
					t.Errorf("%s: text lacks %s's title %q", name, c.Check, c.Title)
				}
			}

			// JUnit: one case per check with its outcome.
			u := sportello(t, hang(t), "report", file, "--format", "junit")
			junitMatches(t, name, u.stdout, orig.Checks)
			if u.code != d.code {
				t.Errorf("%s: junit exit %d, want %d", name, u.code, d.code)
			}

			// The facts, read back: the same results, and the same lines.
			back, err := diag.ReadReport(file)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !reflect.DeepEqual(back.Checks, orig.Checks) || back.Verdict != orig.Verdict || back.Redacted != redact {
				t.Errorf("%s: results read back differ", name)
			}
			if redact {
				for _, secret := range []string{"RSSMRA80A01H501U", "7420000000012345"} {
					if strings.Contains(d.stdout+x.stdout+u.stdout+diag.PhoneLine(back), secret) {
						t.Errorf("%s: %s in clear", name, secret)
					}
				}
			}
		}
	}
}

// junitMatches checks that the JUnit document has one test case per
// check, with the check's outcome.
func junitMatches(t *testing.T, name, doc string, checks []check.Result) {
	t.Helper()
	var ju struct {
		Suite struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
				Error   *struct{} `xml:"error"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(doc), &ju); err != nil || len(ju.Suite.Cases) != len(checks) {
		t.Fatalf("%s: junit: %v, %d cases for %d checks\n%s", name, err, len(ju.Suite.Cases), len(checks), doc)
	}
	for i, c := range ju.Suite.Cases {
		want := checks[i].Status
		got := check.Pass
		switch {
		case c.Failure != nil:
			got = check.Fail
		case c.Error != nil:
			got = check.Error
		case c.Skipped != nil:
			got = check.Skip
		}
		if want == check.Warn {
			want = check.Pass // a warning passes, without --strict
		}
		if !strings.HasPrefix(c.Name, checks[i].Check) || got != want {
			t.Errorf("%s: junit case %d %s %s, want %s %s", name, i, c.Name, got, checks[i].Check, want)
		}
	}
}

// savedIsCurrent: the status line and the phone line of fresh, a report
// of state name just made, are those of the saved report of the same state
// (dates aside), and so are its token checks: the saved reports the pure
// tests read still say what sportello finds today. Run with -update when
// a wanted change of the checks makes this fail.
func savedIsCurrent(t *testing.T, name, fresh string) {
	t.Helper()
	now, err := diag.DecodeReport(name, []byte(fresh))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	saved, err := diag.ReadReport(filepath.Join("..", "..", "internal", "diag", "testdata", "reports", slug(name)+".json"))
	if err != nil {
		t.Fatalf("%s: %v (run with -update)", name, err)
	}
	date := regexp.MustCompile(`\d\d/\d\d/\d\d\d\d`)
	for _, pair := range [][2]string{
		{diag.StatusLine(now).Text, diag.StatusLine(saved).Text},
		{diag.PhoneLine(now), diag.PhoneLine(saved)},
	} {
		if a, b := date.ReplaceAllString(pair[0], "D"), date.ReplaceAllString(pair[1], "D"); a != b {
			t.Errorf("%s: fresh %q, saved %q (run with -update)", name, pair[0], pair[1])
		}
	}
	// By check and device label: SoftHSM2 numbers its slots anew for
	// every token directory, so the device order may differ.
	outcomes := func(r *diag.Report) map[string]string {
		m := map[string]string{}
		for _, c := range r.Checks {
			if !slices.Contains(check.TokenCheckNames, c.Check) {
				continue // checks added since are new facts, not a drift
			}
			k := c.Check
			if c.Device != nil {
				k += " «" + c.Device.Label + "»"
			}
			m[k] = string(c.Status) + " " + c.Node
		}
		return m
	}
	if a, b := outcomes(now), outcomes(saved); !reflect.DeepEqual(a, b) {
		t.Errorf("%s: the checks differ from the saved report (run with -update):\nfresh %v\nsaved %v", name, a, b)
	}
}

func TestReportStrictAndRedact(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(12)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(500)},
	})
	env := []string{"SOFTHSM2_CONF=" + h.Conf, "SPORTELLO_PKCS11_MODULE=" + h.Module}
	d := sportello(t, env, "diagnose", "--format", "json", "--no-workstation")
	file := filepath.Join(t.TempDir(), "rapporto.json")
	if err := os.WriteFile(file, []byte(d.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	if d.code != 0 {
		t.Fatalf("an expiring certificate alone: exit %d", d.code)
	}
	if r := sportello(t, hang(t), "report", file); r.code != 0 {
		t.Errorf("report: exit %d", r.code)
	}
	strict := sportello(t, env, "diagnose", "--format", "json", "--strict", "--no-workstation")
	r := sportello(t, hang(t), "report", file, "--strict", "--format", "json")
	if r.code != 1 || strict.code != 1 || !strings.Contains(r.stdout, `"strict": true`) || !strings.Contains(r.stdout, "con --strict gli avvisi contano come problemi") {
		t.Errorf("report --strict: exit %d (diagnose --strict %d)\n%s", r.code, strict.code, r.stdout)
	}
	m := sportello(t, hang(t), "report", file, "--redact", "--format", "json")
	if strings.Contains(m.stdout, "RSSMRA80A01H501U") || !strings.Contains(m.stdout, "*************01U") || !strings.Contains(m.stdout, `"redacted": true`) || m.code != 0 {
		t.Errorf("report --redact: exit %d\n%s", m.code, m.stdout)
	}
	// From stdin, the same.
	if out, errs, code := run(t, d.stdout, false, hang(t), "report", "-", "--format", "json"); out != d.stdout || code != 0 {
		t.Errorf("report - : exit %d %s", code, errs)
	}
	// The masked output is a report too, and reads back.
	masked := filepath.Join(t.TempDir(), "mascherato.json")
	if err := os.WriteFile(masked, []byte(m.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := sportello(t, hang(t), "report", masked, "--format", "json"); r.code != 0 || r.stdout != m.stdout {
		t.Errorf("the masked report does not read back: exit %d %s", r.code, r.stderr)
	}
}

// diagnose --save writes the report for the office in the documents
// folder of user-dirs.dirs, private, the same bytes as --format json, and
// says where and what to read out; without a documents folder it goes to
// the state folder.
func TestDiagnoseSave(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(500)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(500)},
	})
	home := t.TempDir()
	docs := filepath.Join(home, "Documenti")
	if err := os.MkdirAll(filepath.Join(home, ".config"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("XDG_DESKTOP_DIR=\"$HOME/Scrivania\"\nXDG_DOCUMENTS_DIR=\"$HOME/Documenti\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(home, "stato")
	env := []string{"SOFTHSM2_CONF=" + h.Conf, "SPORTELLO_PKCS11_MODULE=" + h.Module,
		"HOME=" + home, "XDG_CONFIG_HOME=", "XDG_STATE_HOME=" + state}
	saved := regexp.MustCompile(`Rapporto per l'ufficio salvato in (\S+)\n`)

	for _, c := range []struct {
		name   string
		mkdocs bool
		args   []string
		dir    string
	}{
		{"nei documenti", true, nil, docs},
		{"mascherato", true, []string{"--redact"}, docs},
		{"senza documenti", false, nil, filepath.Join(state, "sportello")},
	} {
		if c.mkdocs {
			if err := os.MkdirAll(docs, 0o755); err != nil {
				t.Fatal(err)
			}
		} else if err := os.RemoveAll(docs); err != nil {
			t.Fatal(err)
		}
		r := sportello(t, env, append([]string{"diagnose", "--format", "json", "--save", "--no-workstation"}, c.args...)...)
		m := saved.FindStringSubmatch(r.stderr)
		if r.code != 0 || m == nil {
			t.Fatalf("%s: exit %d\n%s", c.name, r.code, r.stderr)
		}
		path := m[1]
		if filepath.Dir(path) != c.dir || !regexp.MustCompile(`^rapporto-sportello-\d{8}-\d{6}(-\d+)?\.json$`).MatchString(filepath.Base(path)) {
			t.Errorf("%s: saved as %s, want a rapporto-sportello-YYYYMMDD-HHMMSS.json in %s", c.name, path, c.dir)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v", c.name, err, fi.Mode())
		}
		data, _ := os.ReadFile(path)
		if string(data) != r.stdout {
			t.Errorf("%s: the saved file is not the JSON on stdout", c.name)
		}
		if !strings.Contains(r.stderr, "Da leggere all'ufficio: Tutto a posto: «Firma Test» — certificato di firma valido fino al ") {
			t.Errorf("%s: no phone line:\n%s", c.name, r.stderr)
		}
		masked := len(c.args) > 0
		if masked == strings.Contains(r.stderr, "in chiaro") || masked == strings.Contains(string(data), "RSSMRA80A01H501U") {
			t.Errorf("%s: masking (want %v) wrong:\n%s", c.name, masked, r.stderr)
		}
		if rr := sportello(t, hang(t), "report", path); rr.code != 0 {
			t.Errorf("%s: report of the saved file: exit %d %s", c.name, rr.code, rr.stderr)
		}
	}
}

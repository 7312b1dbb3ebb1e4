package main

// End-to-end tests of `sportello diagnose`: the real binary, built by the
// test, against SoftHSM2 tokens made by the test, directly, through the
// fault-injecting proxy and through OpenSC's pkcs11-spy.

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/tokentest"
)

// testCleanups run after the tests (platforms_test.go adds the Wine
// prefix and the soft token's builds).
var testCleanups []func()

func TestMain(m *testing.M) {
	code := tokentest.Main(m)
	for _, f := range testCleanups {
		f()
	}
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

// sportello runs the built binary with extra environment variables.
func sportello(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return sportelloIn(t, env, "", args...)
}

// sportelloIn runs the built binary with stdin and extra environment
// variables; a run of more than a minute is killed and fails t.
func sportelloIn(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	return runBinary(t, env, strings.NewReader(stdin), time.Minute, args...)
}

// runBinary runs the built binary with extra environment variables and
// stdin (nil: /dev/null). A run longer than limit is killed and fails t,
// and so does a Go panic or trace that reaches the user.
func runBinary(t *testing.T, env []string, stdin io.Reader, limit time.Duration, args ...string) result {
	t.Helper()
	cmd := exec.Command(tokentest.Sportello(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = stdin
	var out, errb lockedBuffer // read at a timeout while the copy may go on
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		t.Fatalf("sportello %v hung; output so far:\n%s", args, out.String())
	}
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	noTrace(t, r)
	return r
}

// noTrace fails t when a Go panic or trace reached the user.
func noTrace(t *testing.T, r result) {
	t.Helper()
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stdout, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		t.Errorf("a Go panic or trace reached the user:\n%s%s", r.stdout, r.stderr)
	}
}

func inDays(n int) time.Time { return time.Now().Add(time.Duration(n)*24*time.Hour + time.Hour) }

// newToken makes a fresh SoftHSM2 token "Firma Test" with the given
// certificates (label -> spec).
func newToken(t testing.TB, certs map[string]tokentest.CertSpec) *tokentest.HSM {
	t.Helper()
	return newTokens(t, device{"Firma Test", certs})
}

func TestExitCodes(t *testing.T) {
	valid := map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(500)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(500)},
	}
	fault := tokentest.FaultModule(t)
	cases := []struct {
		name   string
		certs  map[string]tokentest.CertSpec
		env    []string
		proxy  bool // go through the fault proxy
		args   []string
		code   int
		output string // in the text output
	}{
		{"all good", valid, nil, false, nil, 0, "✓ Esito: Nessun problema: il dispositivo di firma è pronto"},
		{"expiring", map[string]tokentest.CertSpec{"firma": {Kind: tokentest.Signature, NotAfter: inDays(12)}}, nil, false, nil, 0,
			"! Il certificato di firma di MARIO ROSSI scade tra 12 giorni: rinnovalo prima della scadenza"},
		{"expiring, strict", map[string]tokentest.CertSpec{"firma": {Kind: tokentest.Signature, NotAfter: inDays(12)}}, nil, false, []string{"--strict"}, 1,
			"con --strict gli avvisi contano come problemi"},
		{"expiring beyond --warn-days 10", map[string]tokentest.CertSpec{"firma": {Kind: tokentest.Signature, NotAfter: inDays(12)}}, nil, false,
			[]string{"--warn-days", "10", "--strict"}, 0, "✓ Il certificato di firma di MARIO ROSSI è valido"},
		{"expired", map[string]tokentest.CertSpec{"firma": {Kind: tokentest.Signature, NotBefore: inDays(-800), NotAfter: inDays(-5)}}, nil, false, nil, 1,
			"✗ Il certificato di firma di MARIO ROSSI è scaduto il"},
		{"no signature certificate", map[string]tokentest.CertSpec{"cns": {Kind: tokentest.CNS}}, nil, false, nil, 1,
			"✗ Nessun certificato di firma sul dispositivo «Firma Test»"},
		{"PIN locked", valid, []string{"FAULT_OR_FLAGS=0x40000"}, true, nil, 1, "✗ PIN del dispositivo «Firma Test» bloccato"},
		{"final try", valid, []string{"FAULT_OR_FLAGS=0x20000"}, true, nil, 1, "! Resta un solo tentativo per il PIN"},
		{"count low", valid, []string{"FAULT_OR_FLAGS=0x10000"}, true, nil, 0, "! È stato inserito un PIN errato"},
		{"PUK locked", valid, []string{"FAULT_OR_FLAGS=0x400000"}, true, nil, 0, "! PUK del dispositivo «Firma Test» bloccato"},
		{"no token", valid, []string{"FAULT_NO_SLOTS=1"}, true, nil, 1, "✗ Nessun dispositivo di firma rilevato"},
		{"hang", valid, []string{"FAULT_HANG=C_Initialize"}, true, []string{"--timeout", "1s"}, 1,
			"non ha risposto entro 1s (fermo in C_Initialize)"},
		{"crash", valid, []string{"FAULT_CRASH=C_GetSlotList"}, true, nil, 1, "si è arrestato in modo anomalo (SIGSEGV) durante C_GetSlotList"},
		{"device error", valid, []string{"FAULT_RV=C_GetTokenInfo=0x30"}, true, nil, 1, "non risponde: errore del dispositivo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newToken(t, c.certs)
			module := h.Module
			env := c.env
			if c.proxy {
				module = fault
				env = append(env, "FAULT_REAL_MODULE="+h.Module)
			}
			// The token alone: the workstation's states are station_test.go's.
			r := sportello(t, env, append([]string{"diagnose", "--no-workstation", "--module", module}, c.args...)...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, c.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, c.output) {
				t.Errorf("output lacks %q:\n%s", c.output, r.stdout)
			}
			if r.took > 5*time.Second {
				t.Errorf("took %v", r.took)
			}
		})
	}
}

func TestNotModules(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "driver.so")
	if err := os.WriteFile(text, []byte("testo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{text, "driver.so non è una libreria: non può essere un modulo PKCS#11"},
		{filepath.Join(dir, "assente.so"), "assente.so non esiste"},
	} {
		r := sportello(t, nil, "diagnose", "--module", c.path)
		if r.code != 1 || !strings.Contains(r.stdout, c.want) || !strings.Contains(r.stdout, "? Il driver del dispositivo di firma non funziona") {
			t.Errorf("%s: exit %d\n%s", c.path, r.code, r.stdout)
		}
	}
}

func TestFormatsAndStreams(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, NotAfter: inDays(12)},
		"cns":   {Kind: tokentest.CNS, NotAfter: inDays(300)},
	})
	env := []string{"SPORTELLO_PKCS11_MODULE=" + h.Module}

	// JSON: the whole of stdout is one document; stderr is quiet off a
	// terminal. The module comes from the environment.
	r := sportello(t, env, "diagnose", "--format", "json")
	if r.stderr != "" {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
	var doc struct {
		Version int `json:"version"`
		Modules []struct {
			Path   string `json:"path"`
			Source string `json:"source"`
			Slots  []struct {
				Token *struct {
					Label        string `json:"label"`
					PIN          string `json:"pin"`
					PUK          string `json:"puk"`
					Certificates []struct {
						Label    string `json:"label"`
						Usage    string `json:"usage"`
						Status   string `json:"status"`
						DaysLeft int    `json:"days_left"`
						NotAfter string `json:"not_after"`
					} `json:"certificates"`
				} `json:"token"`
			} `json:"slots"`
		} `json:"modules"`
		Checks []struct {
			Check, Status, Node string
		} `json:"checks"`
		Verdict struct {
			OK     bool   `json:"ok"`
			Status string `json:"status"`
		} `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if doc.Version != 1 || len(doc.Modules) != 1 || doc.Modules[0].Source != "env" || doc.Modules[0].Path != h.Module {
		t.Errorf("header/modules: %+v", doc)
	}
	found := 0
	for _, s := range doc.Modules[0].Slots {
		if s.Token == nil || s.Token.Label != "Firma Test" {
			continue
		}
		found++
		if s.Token.PIN != "ok" || s.Token.PUK != "ok" || len(s.Token.Certificates) != 2 {
			t.Errorf("token %+v", s.Token)
		}
		for _, c := range s.Token.Certificates {
			want := map[string][3]string{"firma": {"signature", "expiring", "12"}, "cns": {"authentication", "valid", "300"}}[c.Label]
			if c.Usage != want[0] || c.Status != want[1] || want[2] != itoa(c.DaysLeft) || !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`).MatchString(c.NotAfter) {
				t.Errorf("certificate %+v, want %v", c, want)
			}
		}
	}
	if found != 1 {
		t.Errorf("token Firma Test found %d times", found)
	}
	// The token checks, then the workstation's (this machine's state).
	if len(doc.Checks) < 10 || doc.Checks[4].Check != "token.certificate" || doc.Checks[4].Status != "warn" || doc.Checks[4].Node != "firma:certificato-in-scadenza" {
		t.Errorf("checks %+v", doc.Checks)
	}
	// The verdict follows the checks: the token's warning, and whatever
	// this machine's workstation shows (no GoSign Desktop is a failure).
	problems := 0
	for _, c := range doc.Checks {
		if c.Status == "fail" || c.Status == "error" {
			problems++
		}
	}
	if doc.Verdict.OK != (problems == 0) || (problems == 0) != (r.code == 0) || problems == 0 && doc.Verdict.Status != "warn" {
		t.Errorf("verdict %+v, exit %d, with %d failed checks", doc.Verdict, r.code, problems)
	}

	// JUnit: one test case per check.
	r = sportello(t, env, "diagnose", "--format", "junit", "--strict", "--no-workstation")
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Cases    []struct {
			Name string `xml:"name,attr"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal([]byte(r.stdout), &junit); err != nil {
		t.Fatalf("stdout is not XML: %v", err)
	}
	if r.code != 1 || junit.Tests != 6 || len(junit.Cases) != 6 || junit.Failures != 1 {
		t.Errorf("junit: exit %d %+v", r.code, junit)
	}

	// Text is the default; no colours off a terminal.
	r = sportello(t, env, "diagnose")
	if !strings.HasPrefix(r.stdout, "Diagnosi del dispositivo di firma\n") || strings.Contains(r.stdout, "\x1b") {
		t.Errorf("text output:\n%q", r.stdout)
	}
	for _, want := range []string{"Certificati: 2", "firma qualificata, in scadenza", "autenticazione (CNS), valido", "PIN: utilizzabile (ok)   PUK: utilizzabile (ok)", "CKF_TOKEN_INITIALIZED"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestRedactAndHostileText(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature, CN: "MARIO \x1b[31mROSSI"},
		"cns":   {Kind: tokentest.CNS},
	})
	env := []string{"FAULT_REAL_MODULE=" + h.Module, "FAULT_LABEL=\x1b]0;pwned\x07Firma"}
	fault := tokentest.FaultModule(t)

	r := sportello(t, env, "diagnose", "--module", fault)
	if strings.ContainsAny(r.stdout, "\x1b\x07") {
		t.Errorf("raw control characters in the text output:\n%q", r.stdout)
	}
	if !strings.Contains(r.stdout, `«\x1b]0;pwned\x07Firma»`) || !strings.Contains(r.stdout, `CN=MARIO \x1b[31mROSSI`) {
		t.Errorf("hostile text not shown escaped:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "RSSMRA80A01H501U") {
		t.Error("without --redact the holder's codice fiscale is shown")
	}

	r = sportello(t, env, "diagnose", "--module", fault, "--format", "json")
	if !strings.Contains(r.stdout, `"label": "\u001b]0;pwned\u0007Firma"`) || strings.ContainsAny(r.stdout, "\x1b\x07") {
		t.Errorf("JSON must keep the label escaped:\n%s", r.stdout)
	}

	for _, format := range []string{"text", "json", "junit"} {
		r = sportello(t, env, "diagnose", "--module", fault, "--format", format, "--redact")
		for _, secret := range []string{"RSSMRA80A01H501U", "7420000000012345"} {
			if strings.Contains(r.stdout, secret) {
				t.Errorf("--redact --format %s leaks %s", format, secret)
			}
		}
		if format != "junit" && !strings.Contains(r.stdout, "*************01U") {
			t.Errorf("--redact --format %s: no masked codice fiscale", format)
		}
	}
}

// The probe reads the PIN state without costing a PIN attempt: OpenSC's
// pkcs11-spy records every call the real binary makes.
func TestSpyShowsNoLoginAndNoWrite(t *testing.T) {
	h := newToken(t, map[string]tokentest.CertSpec{
		"firma": {Kind: tokentest.Signature},
		"cns":   {Kind: tokentest.CNS},
	})
	log := filepath.Join(t.TempDir(), "spy.log")
	r := sportello(t, []string{"PKCS11SPY=" + h.Module, "PKCS11SPY_OUTPUT=" + log}, "diagnose", "--module", tokentest.SpyModule(t), "--no-workstation")
	if r.code != 0 {
		t.Errorf("exit %d through the spy:\n%s", r.code, r.stdout)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("the spy wrote no log: %v", err)
	}
	calls := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^\d+: (C_\w+)`).FindAllStringSubmatch(string(data), -1) {
		calls[m[1]]++
	}
	for _, read := range []string{"C_Initialize", "C_GetInfo", "C_GetSlotList", "C_GetSlotInfo", "C_GetTokenInfo",
		"C_OpenSession", "C_FindObjectsInit", "C_FindObjects", "C_GetAttributeValue", "C_CloseSession", "C_Finalize"} {
		if calls[read] == 0 {
			t.Errorf("the spy saw no %s: %v", read, calls)
		}
	}
	for _, write := range []string{"C_Login", "C_Logout", "C_InitPIN", "C_SetPIN", "C_InitToken", "C_CreateObject",
		"C_CopyObject", "C_SetAttributeValue", "C_DestroyObject", "C_GenerateKey", "C_GenerateKeyPair",
		"C_SignInit", "C_Sign", "C_DecryptInit", "C_UnwrapKey", "C_DeriveKey", "C_SeedRandom", "C_CloseAllSessions"} {
		if calls[write] > 0 {
			t.Errorf("the probe called %s %d times", write, calls[write])
		}
	}
	// Sessions are read-only: flags = CKF_SERIAL_SESSION (0x4), never RW (0x2).
	for _, m := range regexp.MustCompile(`(?s)C_OpenSession\n.*?\[in\] flags = (0x[0-9a-fA-F]+)`).FindAllStringSubmatch(string(data), -1) {
		if m[1] != "0x4" {
			t.Errorf("C_OpenSession with flags %s, want 0x4", m[1])
		}
	}
	if calls["C_OpenSession"] == 0 {
		t.Error("no session opened: the certificates were not read")
	}
}

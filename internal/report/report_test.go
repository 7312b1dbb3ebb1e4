package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/report"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

const evil = "\x1b]0;pwned\x07Firma"

// sample is a report as diag assembles it: a working Bit4id module with a
// token whose PIN is locked, an expiring signature certificate, an
// unparseable certificate and a hostile label; a missing Athena module and
// a module that hung.
func sample(t *testing.T, strict bool) *diag.Report {
	t.Helper()
	now := time.Now()
	sig := token.ParseCertificate("firma\x1b[8m", []byte{1}, tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: now.Add(12*24*time.Hour + time.Hour)}), now, 30)
	bad := token.ParseCertificate("rotto", []byte{2}, []byte("x"), now, 30)
	flags := uint(token.FlagTokenInitialized | token.FlagUserPINInitialized | token.FlagUserPINLocked)
	hung := token.Module{Path: "/opt/vendor/libhang.so", Source: token.SourceP11Kit, Slots: []token.Slot{}}
	hung.SetFault(token.FaultTimeoutAfter(15*time.Second, "C_Initialize"))
	mods := []token.Module{
		{Path: "/usr/lib/libbit4xpki.so", Source: token.SourceVendor, Vendor: "Bit4id", Status: token.ModuleOK, Reason: "caricato",
			Library: &token.Library{Manufacturer: "bit4id", Description: "xPKI", Version: "1.4", CryptokiVersion: "2.20"},
			Slots: []token.Slot{{ID: 3, Description: "Bit4id miniLector", Flags: token.SlotFlags(7), TokenPresent: true, Removable: true, Hardware: true,
				Token: &token.Token{Label: evil, Manufacturer: "Bit4id", Model: "CNS", Serial: "0000123456789", Flags: token.TokenFlags(flags),
					Initialized: true, PIN: token.PINState(flags), PUK: token.PUKState(flags, false), Certificates: []token.Certificate{sig, bad}}}}},
		{Path: "/usr/lib/libASEP11.so", Source: token.SourceVendor, Vendor: "Athena/ASE", Status: token.ModuleNotFound, Reason: "non installato", Slots: []token.Slot{}},
		hung,
	}
	checks := check.TokenChecks(check.TokenInput{Modules: mods})
	return &diag.Report{Version: diag.ReportVersion, Tool: "sportello test", GeneratedAt: now.UTC(), WarnDays: 30, Timeout: "15s",
		Strict: strict, Modules: mods, USB: []token.USBDevice{}, Checks: checks, Verdict: diag.NewVerdict(checks, strict)}
}

func render(t *testing.T, format string, r *diag.Report, o report.Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, format, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestText(t *testing.T) {
	out := render(t, "text", sample(t, false), report.Options{})
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("text output holds raw control characters:\n%q", out)
	}
	for _, want := range []string{
		"Driver (moduli PKCS#11)\n-----------------------\n",
		"✓ /usr/lib/libbit4xpki.so (percorso noto Bit4id): bit4id «xPKI» 1.4, Cryptoki 2.20\n",
		"✗ /opt/vendor/libhang.so (registro p11-kit)\n    il modulo libhang.so non ha risposto entro 15s (fermo in C_Initialize)",
		"- 1 percorsi noti senza driver installato",
		"Slot 3 «Bit4id miniLector» di libbit4xpki.so: dispositivo presente, rimovibile, lettore fisico\n",
		`  Dispositivo «\x1b]0;pwned\x07Firma»: Bit4id CNS, seriale 0000123456789`,
		"  PIN: bloccato (locked)   PUK: non comunicato (unknown)\n",
		"    CKF_USER_PIN_LOCKED                 PIN bloccato: si sblocca con il PUK\n",
		`! «firma\x1b[8m» id 01: firma qualificata, in scadenza`,
		"        Titolare: MARIO ROSSI, codice fiscale RSSMRA80A01H501U\n",
		"    ? «rotto» id 02: certificato non leggibile",
		"PIN e PUK\n---------\n✗ PIN del dispositivo «",
		"    → Sblocca il PIN con il codice PUK",
		"! Il certificato di firma di MARIO ROSSI scade tra 12 giorni: rinnovalo prima della scadenza\n",
		"? Un driver su 2 non funziona: libhang.so\n",
		"- Stato del PUK non comunicato dal driver\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; last != "✗ Esito: Trovati 3 problemi e 1 avviso: segui le indicazioni" {
		t.Errorf("last line %q", last)
	}
	// Passed checks show no detail.
	if strings.Contains(out, "Moduli PKCS#11 in uso") {
		t.Error("a passed check printed its detail")
	}
}

func TestTextColour(t *testing.T) {
	out := render(t, "text", sample(t, false), report.Options{Color: true})
	if !strings.Contains(out, "\x1b[31m✗\x1b[0m PIN del dispositivo") || !strings.Contains(out, "\x1b[33m!\x1b[0m Il certificato di firma") {
		t.Errorf("no coloured markers:\n%q", out)
	}
	// Our colours are the only escape sequences: nothing from the token.
	rest := regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(out, "")
	if strings.ContainsAny(rest, "\x1b\x07") {
		t.Errorf("raw control characters besides the colours:\n%q", rest)
	}
}

func TestJSON(t *testing.T) {
	r := sample(t, false)
	out := render(t, "json", r, report.Options{})
	if !strings.Contains(out, `"label": "\u001b]0;pwned\u0007Firma"`) {
		t.Error("JSON does not keep the hostile label escaped")
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Error("JSON holds raw control characters")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	get := func(path ...any) any {
		var v any = doc
		for _, p := range path {
			switch k := p.(type) {
			case string:
				v = v.(map[string]any)[k]
			case int:
				v = v.([]any)[k]
			}
		}
		return v
	}
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"version"}, 1.0},
		{[]any{"warn_days"}, 30.0},
		{[]any{"modules", 0, "source"}, "vendor"},
		{[]any{"modules", 0, "library", "cryptoki_version"}, "2.20"},
		{[]any{"modules", 0, "slots", 0, "flags", "hex"}, "0x00000007"},
		{[]any{"modules", 0, "slots", 0, "token", "flags", "value"}, float64(0x40408)},
		{[]any{"modules", 0, "slots", 0, "token", "flags", "set", 2, "name"}, "CKF_USER_PIN_LOCKED"},
		{[]any{"modules", 0, "slots", 0, "token", "pin"}, "locked"},
		{[]any{"modules", 0, "slots", 0, "token", "puk"}, "unknown"},
		{[]any{"modules", 0, "slots", 0, "token", "certificates", 0, "usage"}, "signature"},
		{[]any{"modules", 0, "slots", 0, "token", "certificates", 0, "status"}, "expiring"},
		{[]any{"modules", 0, "slots", 0, "token", "certificates", 0, "days_left"}, 12.0},
		{[]any{"modules", 0, "slots", 0, "token", "certificates", 0, "codice_fiscale"}, "RSSMRA80A01H501U"},
		{[]any{"modules", 0, "slots", 0, "token", "certificates", 1, "usage"}, "other"},
		{[]any{"modules", 1, "status"}, "not_found"},
		{[]any{"modules", 2, "fault", "kind"}, "timeout"},
		{[]any{"modules", 2, "fault", "call"}, "C_Initialize"},
		{[]any{"checks", 2, "check"}, "token.pin"},
		{[]any{"checks", 2, "status"}, "fail"},
		{[]any{"checks", 2, "node"}, "firma:pin-bloccato"},
		{[]any{"checks", 4, "facts", "cert.days_left"}, "12"},
		{[]any{"verdict", "ok"}, false},
		{[]any{"verdict", "counts", "fail"}, 1.0},
		{[]any{"verdict", "counts", "error"}, 2.0}, // the hung module; the unreadable certificate may be the CNS one
		{[]any{"checks", 5, "status"}, "error"},
	} {
		if got := get(c.path...); got != c.want {
			t.Errorf("%v = %#v, want %#v", c.path, got, c.want)
		}
	}
	na := get("modules", 0, "slots", 0, "token", "certificates", 0, "not_after").(string)
	if _, err := time.Parse(time.RFC3339, na); err != nil || !strings.HasSuffix(na, "Z") {
		t.Errorf("not_after %q is not RFC 3339 UTC", na)
	}
	if pe := get("modules", 0, "slots", 0, "token", "certificates", 1, "parse_error"); pe == nil || pe == "" {
		t.Error("unparseable certificate without parse_error")
	}
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suite    struct {
		Cases []struct {
			Name      string        `xml:"name,attr"`
			Failure   *junitProblem `xml:"failure"`
			Error     *junitProblem `xml:"error"`
			Skipped   *junitProblem `xml:"skipped"`
			SystemOut string        `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	for _, strict := range []bool{false, true} {
		out := render(t, "junit", sample(t, strict), report.Options{})
		if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) || strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("header or raw control characters:\n%q", out)
		}
		var doc junitDoc
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("invalid XML: %v\n%s", err, out)
		}
		cases := doc.Suite.Cases
		if doc.Tests != 6 || len(cases) != 6 {
			t.Fatalf("tests %d, cases %d", doc.Tests, len(cases))
		}
		byName := map[string]int{}
		for i, c := range cases {
			byName[c.Name] = i
		}
		// token.module: error (hung module); token.present: pass;
		// token.pin: fail; token.puk: skip; token.certificate: warn;
		// token.cns: skip.
		if c := cases[byName["token.module"]]; c.Error == nil || !strings.Contains(c.Error.Message, "libhang.so") {
			t.Errorf("token.module: %+v", c)
		}
		if c := cases[byName["token.pin"]]; c.Failure == nil || !strings.Contains(c.Failure.Message, "bloccato") {
			t.Errorf("token.pin: %+v", c)
		}
		if c := cases[byName["token.puk"]]; c.Skipped == nil {
			t.Errorf("token.puk: %+v", c)
		}
		warn := cases[byName["token.certificate"]]
		wantFailures := 1
		if strict {
			wantFailures = 2
			if warn.Failure == nil || warn.Failure.Type != "warn" {
				t.Errorf("strict: warning not a failure: %+v", warn)
			}
		} else if warn.Failure != nil || !strings.HasPrefix(warn.SystemOut, "AVVISO: Il certificato di firma") {
			t.Errorf("warning: %+v", warn)
		}
		if doc.Failures != wantFailures || doc.Errors != 2 || doc.Skipped != 1 {
			t.Errorf("strict %v: failures %d errors %d skipped %d", strict, doc.Failures, doc.Errors, doc.Skipped)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := report.Write(&bytes.Buffer{}, "yaml", sample(t, false), report.Options{}); err == nil {
		t.Error("no error for an unknown format")
	}
}

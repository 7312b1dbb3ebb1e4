package report_test

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/report"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

// twoDevices is a report of two tokens: «Vecchia», whose signature
// certificate expired, and «Nuova», whose certificate expires in 11 days
// and whose CNS certificate names nobody in its subject.
func twoDevices(t *testing.T) *diag.Report {
	t.Helper()
	now := time.Now()
	parse := func(label string, spec tokentest.CertSpec) token.Certificate {
		return token.ParseCertificate(label, []byte{1}, tokentest.NewCert(t, spec), now, 30)
	}
	flags := uint(token.FlagTokenInitialized | token.FlagUserPINInitialized)
	tk := func(label, serial string, certs ...token.Certificate) *token.Token {
		return &token.Token{Label: label, Manufacturer: "Bit4id", Model: "CNS", Serial: serial, Flags: token.TokenFlags(flags),
			Initialized: true, PIN: token.StateOK, PUK: token.StateOK, Certificates: certs}
	}
	old := tk("Vecchia", "1111", parse("firma", tokentest.CertSpec{Kind: tokentest.Signature, NotBefore: now.AddDate(-3, 0, 0), NotAfter: now.AddDate(0, -2, 0)}))
	renewed := tk("Nuova", "2222",
		parse("firma", tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: now.Add(11*24*time.Hour + time.Hour)}),
		parse("cns", tokentest.CertSpec{Kind: tokentest.CNS, NoName: true, NotAfter: now.AddDate(2, 0, 0)}))
	mods := []token.Module{{Path: "/usr/lib/libbit4xpki.so", Source: token.SourceVendor, Status: token.ModuleOK, Reason: "caricato",
		Library: &token.Library{Manufacturer: "bit4id", Description: "xPKI", Version: "1.4", CryptokiVersion: "2.20"},
		Slots:   []token.Slot{{ID: 1, TokenPresent: true, Token: old}, {ID: 2, TokenPresent: true, Token: renewed}}}}
	checks := check.TokenChecks(check.TokenInput{Modules: mods})
	return &diag.Report{Version: diag.ReportVersion, Tool: "sportello test", GeneratedAt: now.UTC(), WarnDays: 30, Timeout: "15s",
		Modules: mods, USB: []token.USBDevice{}, Checks: checks, Verdict: diag.NewVerdict(checks, false)}
}

func TestSeveralDevices(t *testing.T) {
	r := twoDevices(t)
	if r.Verdict.OK || r.Verdict.Status != "problem" || !strings.Contains(r.Verdict.Message, "su 2 dispositivi") {
		t.Errorf("verdict %+v: the worst over all devices", r.Verdict)
	}

	out := render(t, "text", r, report.Options{})
	for _, want := range []string{
		"\nDriver\n------\n✓ Driver del dispositivo di firma caricato",
		"\nDispositivo 1 di 2: «Vecchia» n. 1111 di MARIO ROSSI (slot 1 di libbit4xpki.so)\n",
		"✗ Il certificato di firma di MARIO ROSSI è scaduto il",
		"\nDispositivo 2 di 2: «Nuova» n. 2222 di MARIO ROSSI (slot 2 di libbit4xpki.so)\n",
		"! Il certificato di firma di MARIO ROSSI scade tra 11 giorni: rinnovalo prima della scadenza — dispositivo «Nuova»",
		"✓ Il certificato CNS di MARIO ROSSI è valido",
		"Titolare: MARIO ROSSI (da un altro certificato dello stesso codice fiscale), codice fiscale RSSMRA80A01H501U",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Titolare: ,") || strings.Contains(out, "«»") {
		t.Errorf("a hole in the text:\n%s", out)
	}
	// Each device's section holds its own results only.
	second := out[strings.Index(out, "Dispositivo 2 di 2"):]
	if strings.Contains(second, "dispositivo «Vecchia»") {
		t.Errorf("a result of Vecchia under Nuova:\n%s", second)
	}

	var doc struct {
		Checks []check.Result `json:"checks"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", r, report.Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range doc.Checks {
		s := c.Check
		if c.Device != nil {
			s += "@" + c.Device.Serial + "/" + c.Device.Label + "/" + c.Device.Module
		}
		order = append(order, s)
	}
	want := "token.module"
	for _, name := range check.TokenCheckNames[1:] {
		want += " " + name + "@1111/Vecchia//usr/lib/libbit4xpki.so " + name + "@2222/Nuova//usr/lib/libbit4xpki.so"
	}
	if strings.Join(order, " ") != want {
		t.Errorf("JSON checks\n%s\nwant\n%s", strings.Join(order, " "), want)
	}

	var junit struct {
		Cases []struct {
			Name string `xml:"name,attr"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal([]byte(render(t, "junit", r, report.Options{})), &junit); err != nil {
		t.Fatal(err)
	}
	if len(junit.Cases) != 11 || junit.Cases[0].Name != "token.module" || junit.Cases[1].Name != "token.present [Vecchia 1111]" ||
		junit.Cases[2].Name != "token.present [Nuova 2222]" {
		t.Errorf("junit cases %+v", junit.Cases)
	}
}

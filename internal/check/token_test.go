package check_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

const initialised = token.FlagTokenInitialized | token.FlagUserPINInitialized | token.FlagLoginRequired

// tok builds a token as the probe reports it, from raw flags and
// certificates made with crypto/x509.
func tok(label string, flags uint, certs ...token.Certificate) *token.Token {
	return &token.Token{
		Label: label, Manufacturer: "Bit4id", Model: "Digital DNA", Serial: "SN12345678",
		Flags: token.TokenFlags(flags), Initialized: flags&token.FlagTokenInitialized != 0,
		PIN: token.PINState(flags), PUK: token.PUKState(flags, true), Certificates: certs,
	}
}

func module(toks ...*token.Token) token.Module {
	m := token.Module{Path: "/usr/lib/libbit4xpki.so", Status: token.ModuleOK, Library: &token.Library{Manufacturer: "bit4id", Version: "1.4"}}
	for i, t := range toks {
		m.Slots = append(m.Slots, token.Slot{ID: uint(i + 1), TokenPresent: true, Token: t})
	}
	return m
}

func cert(t *testing.T, label string, kind tokentest.Kind, notAfter time.Time) token.Certificate {
	der := tokentest.NewCert(t, tokentest.CertSpec{Kind: kind, NotAfter: notAfter, NotBefore: notAfter.AddDate(-3, 0, 0)})
	return token.ParseCertificate(label, []byte{1}, der, time.Now(), 30)
}

func days(n int) time.Time { return time.Now().Add(time.Duration(n)*24*time.Hour + time.Hour) }

func results(in check.TokenInput) map[string]check.Result {
	out := map[string]check.Result{}
	for _, r := range check.TokenChecks(in) {
		out[r.Check] = r
	}
	return out
}

func expect(t *testing.T, r check.Result, st check.Status, node string, title ...string) {
	t.Helper()
	if r.Status != st || r.Node != node {
		t.Errorf("%s: status %q node %q, want %q %q (title %q)", r.Check, r.Status, r.Node, st, node, r.Title)
	}
	for _, want := range title {
		if !strings.Contains(r.Title, want) {
			t.Errorf("%s: title %q lacks %q", r.Check, r.Title, want)
		}
	}
	if !st.Valid() || r.Title == "" {
		t.Errorf("%s: invalid result %+v", r.Check, r)
	}
	if st == check.Fail || st == check.Error || st == check.Warn {
		if r.Remedy == "" && r.Check != check.TokenPUK {
			t.Errorf("%s: %s without a remedy", r.Check, st)
		}
	}
}

func TestChecksAreTheKnownNamesInOrder(t *testing.T) {
	rs := check.TokenChecks(check.TokenInput{})
	if len(rs) != len(check.TokenCheckNames) {
		t.Fatalf("%d results for %d token checks", len(rs), len(check.TokenCheckNames))
	}
	for i, r := range rs {
		if r.Check != check.Known[i] || r.Check != check.TokenCheckNames[i] {
			t.Errorf("result %d is %q, want %q", i, r.Check, check.Known[i])
		}
	}
}

func TestNoModule(t *testing.T) {
	r := results(check.TokenInput{Modules: []token.Module{
		{Path: "/usr/lib/libbit4xpki.so", Status: token.ModuleNotFound},
		{Path: "/usr/lib/libASEP11.so", Status: token.ModuleNotFound},
	}})
	expect(t, r[check.TokenModule], check.Fail, check.NodeInstall, "Nessun driver")
	if !strings.Contains(r[check.TokenModule].Detail, "Cercati 2 percorsi") {
		t.Errorf("detail %q", r[check.TokenModule].Detail)
	}
	for _, name := range []string{check.TokenPresent, check.TokenPIN, check.TokenPUK, check.TokenCertificate, check.TokenCNS} {
		expect(t, r[name], check.Skip, "")
	}
}

func TestModuleFault(t *testing.T) {
	bad := token.Module{Path: "/opt/vendor/libhang.so"}
	bad.SetFault(token.FaultTimeoutAfter(2*time.Second, "C_Initialize"))
	r := results(check.TokenInput{Modules: []token.Module{bad}})
	expect(t, r[check.TokenModule], check.Error, check.NodeInstall, "non funziona", "libhang.so")
	if !strings.Contains(r[check.TokenModule].Detail, "non ha risposto entro 2s (fermo in C_Initialize)") {
		t.Errorf("detail %q", r[check.TokenModule].Detail)
	}
	expect(t, r[check.TokenPresent], check.Skip, "")

	// A broken module beside a working one still counts as an error, and
	// the working one is judged.
	r = results(check.TokenInput{Modules: []token.Module{bad, module(tok("Firma", initialised))}})
	expect(t, r[check.TokenModule], check.Error, check.NodeInstall, "Un driver su 2")
	expect(t, r[check.TokenPresent], check.Pass, "", "«Firma»")
}

func TestMissingModulePath(t *testing.T) {
	m := token.Module{Path: "/opt/typo/libbit4xpki.so", Source: token.SourceOption}
	m.SetFault(token.Fault{Kind: token.FaultMissing})
	r := results(check.TokenInput{Modules: []token.Module{m}})
	expect(t, r[check.TokenModule], check.Error, check.NodeInstall, "libbit4xpki.so")
	if !strings.HasPrefix(r[check.TokenModule].Remedy, "Controlla il percorso indicato con --module") {
		t.Errorf("remedy %q", r[check.TokenModule].Remedy)
	}
}

func TestOpenSCWithoutReaders(t *testing.T) {
	m := token.Module{Path: "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", Status: token.ModuleOK, Library: &token.Library{Manufacturer: "OpenSC Project"}}
	r := results(check.TokenInput{Modules: []token.Module{m}})
	expect(t, r[check.TokenPresent], check.Fail, check.NodeNotRecognised, "Nessun dispositivo")
	if !strings.Contains(r[check.TokenPresent].Detail, "pcscd") {
		t.Errorf("detail %q does not mention the smart-card service", r[check.TokenPresent].Detail)
	}
	if other := results(check.TokenInput{Modules: []token.Module{module()}}); strings.Contains(other[check.TokenPresent].Detail, "pcscd") {
		t.Error("the pcscd hint appears for a module that is not OpenSC")
	}
}

func TestNoToken(t *testing.T) {
	m := module()
	m.Slots = []token.Slot{{ID: 0, Description: "lettore vuoto"}}
	r := results(check.TokenInput{Modules: []token.Module{m}})
	expect(t, r[check.TokenModule], check.Pass, "", "libbit4xpki.so")
	expect(t, r[check.TokenPresent], check.Fail, check.NodeNotRecognised, "Nessun dispositivo")
	if !strings.Contains(r[check.TokenPresent].Remedy, "porta USB") {
		t.Errorf("remedy %q", r[check.TokenPresent].Remedy)
	}
	expect(t, r[check.TokenPIN], check.Skip, "")

	// Seen on the USB bus but not by any driver: a driver problem.
	r = results(check.TokenInput{Modules: []token.Module{m}, USB: []token.USBDevice{{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id"}}})
	expect(t, r[check.TokenPresent], check.Fail, check.NodeUSBNoDriver, "non letto dai driver")
}

func TestUnreadableToken(t *testing.T) {
	m := module()
	m.Slots = []token.Slot{{ID: 7, TokenPresent: true, Error: token.NewCallError("C_GetTokenInfo", 0x30, "CKR_DEVICE_ERROR")}}
	r := results(check.TokenInput{Modules: []token.Module{m}})
	expect(t, r[check.TokenPresent], check.Error, check.NodeNotRecognised, "slot 7 non risponde", "errore del dispositivo")
}

func TestUninitialisedTokenIsNotALockedPUK(t *testing.T) {
	// What a free SoftHSM2 slot reports.
	flags := uint(token.FlagRNG | token.FlagLoginRequired | token.FlagSOPINLocked | token.FlagSOPINToBeChanged)
	r := results(check.TokenInput{Modules: []token.Module{module(tok("", flags))}})
	expect(t, r[check.TokenPresent], check.Fail, check.NodeNotInitialised, "non è inizializzato")
	expect(t, r[check.TokenPUK], check.Skip, "")
	expect(t, r[check.TokenPIN], check.Skip, "")
}

func TestPINAndPUKStates(t *testing.T) {
	cases := []struct {
		flags          uint
		pin, puk       check.Status
		pinNode, title string
		pukNode        string
	}{
		{initialised, check.Pass, check.Pass, "", "utilizzabile", ""},
		{initialised | token.FlagUserPINCountLow, check.Warn, check.Pass, "", "PIN errato", ""},
		{initialised | token.FlagUserPINFinalTry, check.Warn, check.Pass, check.NodePINFinalTry, "un solo tentativo", ""},
		{initialised | token.FlagUserPINLocked, check.Fail, check.Pass, check.NodePINLocked, "bloccato", ""},
		{initialised | token.FlagUserPINToBeChanged, check.Warn, check.Pass, "", "va cambiato", ""},
		{initialised | token.FlagUserPINLocked | token.FlagSOPINLocked, check.Fail, check.Fail, check.NodePUKLocked, "PIN e PUK", check.NodePUKLocked},
		{initialised | token.FlagSOPINLocked, check.Pass, check.Warn, "", "utilizzabile", check.NodePUKLocked},
		{initialised | token.FlagSOPINFinalTry, check.Pass, check.Warn, "", "utilizzabile", ""},
		{token.FlagTokenInitialized | token.FlagLoginRequired, check.Fail, check.Pass, "", "non è impostato", ""},
	}
	for _, c := range cases {
		r := results(check.TokenInput{Modules: []token.Module{module(tok("Firma", c.flags))}})
		expect(t, r[check.TokenPIN], c.pin, c.pinNode, c.title)
		expect(t, r[check.TokenPUK], c.puk, c.pukNode)
		if finalTry := c.flags&token.FlagUserPINFinalTry != 0; r[check.TokenPIN].Urgent != finalTry {
			t.Errorf("flags %#x: PIN urgent = %v, want %v", c.flags, r[check.TokenPIN].Urgent, finalTry)
		}
		if r[check.TokenPIN].Status == check.Fail && c.pinNode == check.NodePINLocked && !strings.Contains(r[check.TokenPIN].Remedy, "PUK") {
			t.Errorf("locked PIN remedy %q does not mention the PUK", r[check.TokenPIN].Remedy)
		}
	}
	// The PUK of a module that does not report SO state is unknown: skip.
	tk := tok("Firma", initialised)
	tk.PUK = token.PUKState(initialised, false)
	r := results(check.TokenInput{Modules: []token.Module{module(tk)}})
	expect(t, r[check.TokenPUK], check.Skip, "", "non comunicato")
}

func TestCertificateFindings(t *testing.T) {
	cases := []struct {
		name          string
		certs         []token.Certificate
		sig, cns      check.Status
		sigNode, node string
		title         string
	}{
		{"valid", []token.Certificate{cert(t, "firma", tokentest.Signature, days(400)), cert(t, "cns", tokentest.CNS, days(400))},
			check.Pass, check.Pass, "", "", "è valido fino al"},
		{"expiring", []token.Certificate{cert(t, "firma", tokentest.Signature, days(12))},
			check.Warn, check.Skip, check.NodeCertExpiring, "", "Il certificato di firma di MARIO ROSSI scade tra 12 giorni: rinnovalo prima della scadenza"},
		{"expired", []token.Certificate{cert(t, "firma", tokentest.Signature, days(-10)), cert(t, "cns", tokentest.CNS, days(-10))},
			check.Fail, check.Fail, check.NodeCertExpired, check.NodeCNS, "è scaduto il"},
		{"missing", []token.Certificate{cert(t, "tls", tokentest.Plain, days(100))},
			check.Fail, check.Skip, check.NodeCertExpired, "", "Nessun certificato di firma"},
		{"renewed", []token.Certificate{cert(t, "vecchio", tokentest.Signature, days(-300)), cert(t, "nuovo", tokentest.Signature, days(700))},
			check.Pass, check.Skip, "", "", "valido"},
		{"cns expiring", []token.Certificate{cert(t, "firma", tokentest.Signature, days(500)), cert(t, "cns", tokentest.CNS, days(3))},
			check.Pass, check.Warn, "", check.NodeCNS, "valido"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := results(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised, c.certs...))}})
			expect(t, r[check.TokenCertificate], c.sig, c.sigNode, c.title)
			expect(t, r[check.TokenCNS], c.cns, c.node)
		})
	}
}

func TestExpiredCertificateRemedyIsANewIssue(t *testing.T) {
	r := results(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised, cert(t, "firma", tokentest.Signature, days(-1))))}})
	if res := r[check.TokenCertificate]; !strings.Contains(res.Remedy, "nuova emissione") || !strings.Contains(res.Remedy, "ufficio") {
		t.Errorf("remedy %q", res.Remedy)
	}
}

func TestFacts(t *testing.T) {
	notAfter := days(12)
	r := check.TokenChecks(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised|token.FlagUserPINFinalTry,
		cert(t, "firma", tokentest.Signature, notAfter), cert(t, "cns", tokentest.CNS, days(-2))))}})
	want := map[string]string{
		check.FactModulePath: "/usr/lib/libbit4xpki.so", check.FactTokenLabel: "Firma", check.FactTokenSerial: "SN12345678",
		check.FactTokenManufacturer: "Bit4id", check.FactTokenModel: "Digital DNA",
		check.FactPINState: "ultimo tentativo", check.FactPUKState: "utilizzabile",
		check.FactCertHolder: "MARIO ROSSI", check.FactCertCF: "RSSMRA80A01H501U", check.FactCertDaysLeft: "12",
		check.FactCertNotAfter: notAfter.Local().Format("02/01/2006"), check.FactCertStatus: "in scadenza",
		check.FactCNSHolder: "MARIO ROSSI", check.FactCNSDaysLeft: "-2", check.FactCNSStatus: "scaduto",
	}
	for _, res := range r {
		for k, v := range want {
			if res.Facts[k] != v {
				t.Errorf("%s: fact %s = %q, want %q", res.Check, k, res.Facts[k], v)
			}
		}
		if !regexp.MustCompile(`^\d\d/\d\d/\d{4}$`).MatchString(res.Facts[check.FactCNSNotAfter]) {
			t.Errorf("cns.not_after %q", res.Facts[check.FactCNSNotAfter])
		}
		for k := range res.Facts {
			if !slices.Contains(check.TokenFacts, k) {
				t.Errorf("fact %q is not documented in TokenFacts", k)
			}
		}
	}
	// Each result has its own map.
	r[0].Facts[check.FactTokenLabel] = "cambiato"
	if r[1].Facts[check.FactTokenLabel] != "Firma" {
		t.Error("results share their facts map")
	}
}

func TestHostileLabelsAreSanitised(t *testing.T) {
	evil := "\x1b[2J\x1b]0;pwned\x07Firma"
	c := cert(t, "\x1b[31mrosso", tokentest.Signature, days(5))
	c.Holder = "MARIO\x1b[8m ROSSI"
	rs := check.TokenChecks(check.TokenInput{Modules: []token.Module{module(tok(evil, initialised, c))}})
	for _, r := range rs {
		for _, s := range []string{r.Title, r.Detail, r.Remedy, r.Facts[check.FactTokenLabel], r.Facts[check.FactCertHolder]} {
			if strings.ContainsAny(s, "\x1b\x07") {
				t.Errorf("%s: raw control character in %q", r.Check, s)
			}
		}
	}
	if got := rs[1].Title; !strings.Contains(got, `«\x1b[2J\x1b]0;pwned\x07Firma»`) {
		t.Errorf("present title %q: the label should be shown escaped", got)
	}
}

func TestNodesAreQualified(t *testing.T) {
	for _, n := range check.TokenNodes {
		if !regexp.MustCompile(`^[a-z]+:[a-z-]+$`).MatchString(n) {
			t.Errorf("node %q is not flow:node", n)
		}
	}
}

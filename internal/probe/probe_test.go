package probe_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/pkcs11"

	"github.com/sportello/sportello/internal/probe"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

func TestMain(m *testing.M) { os.Exit(tokentest.Main(m)) }

// findToken returns the slot whose token has label.
func findToken(t *testing.T, m token.Module, label string) token.Slot {
	t.Helper()
	for _, s := range m.Slots {
		if s.Token != nil && s.Token.Label == label {
			return s
		}
	}
	t.Fatalf("no token %q in %+v", label, m.Slots)
	return token.Slot{}
}

func findCert(t *testing.T, tok *token.Token, label string) token.Certificate {
	t.Helper()
	for _, c := range tok.Certificates {
		if c.Label == label {
			return c
		}
	}
	t.Fatalf("no certificate %q on token %q", label, tok.Label)
	return token.Certificate{}
}

func TestSoftHSMTokensAndCertificates(t *testing.T) {
	h := tokentest.NewHSM(t)
	h.InitToken(t, "Firma Test", "12345678", "87654321")
	h.InitToken(t, "Secondo", "11112222", "33334444")

	now := time.Now()
	sigAfter := now.Add(400*24*time.Hour + time.Hour)
	sig := tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: sigAfter})
	cns := tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.CNS, NotAfter: now.Add(12*24*time.Hour + time.Hour)})
	old := tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Plain, NotBefore: now.AddDate(-3, 0, 0), NotAfter: now.Add(-49 * time.Hour)})
	h.AddCert(t, "Firma Test", "12345678", "firma", []byte{0x01}, sig)
	h.AddCert(t, "Firma Test", "12345678", "cns", []byte{0x02, 0xab}, cns)
	h.AddCert(t, "Firma Test", "12345678", "vecchio", []byte{0x03}, old)
	h.AddCert(t, "Firma Test", "12345678", "rotto", []byte{0x04}, []byte("questo non è un certificato"))

	var calls []string
	m := probe.Module(h.Module, probe.Options{Now: now, WarnDays: 30, Trace: func(c string) { calls = append(calls, c) }})
	if m.Status != token.ModuleOK || m.Fault != nil {
		t.Fatalf("status %q fault %+v", m.Status, m.Fault)
	}
	if m.Library == nil || m.Library.Manufacturer != "SoftHSM" {
		t.Fatalf("library %+v", m.Library)
	}
	// Two initialised tokens and SoftHSM2's free slot.
	if len(m.Slots) != 3 {
		t.Fatalf("got %d slots, want 3: %+v", len(m.Slots), m.Slots)
	}
	for _, want := range []string{"C_Initialize", "C_GetSlotList", "C_GetTokenInfo", "C_OpenSession", "C_FindObjectsInit", "C_GetAttributeValue"} {
		if !slices.Contains(calls, want) {
			t.Errorf("trace lacks %s: %v", want, calls)
		}
	}
	for _, never := range []string{"C_Login", "C_InitPIN", "C_SetPIN", "C_InitToken"} {
		if slices.Contains(calls, never) {
			t.Errorf("the probe called %s", never)
		}
	}

	s := findToken(t, m, "Firma Test")
	tok := s.Token
	if !s.TokenPresent || !s.Removable || s.Flags.Value&token.SlotTokenPresent == 0 {
		t.Errorf("slot flags %+v present %v removable %v", s.Flags, s.TokenPresent, s.Removable)
	}
	if tok.Manufacturer != "SoftHSM project" || tok.Model != "SoftHSM v2" || tok.Serial == "" {
		t.Errorf("token info %+v", tok)
	}
	if !tok.Initialized || tok.PIN != token.StateOK || tok.PUK != token.StateOK {
		t.Errorf("initialized %v pin %q puk %q", tok.Initialized, tok.PIN, tok.PUK)
	}
	if tok.Flags.Value&token.FlagTokenInitialized == 0 || !hasFlag(tok.Flags, "CKF_TOKEN_INITIALIZED") {
		t.Errorf("flags %+v", tok.Flags)
	}
	if len(tok.Certificates) != 4 {
		t.Fatalf("got %d certificates, want 4", len(tok.Certificates))
	}

	c := findCert(t, tok, "firma")
	if c.ID != "01" || c.Usage != token.UsageSignature || c.Status != token.CertValid ||
		c.Holder != "MARIO ROSSI" || c.CodiceFiscale != "RSSMRA80A01H501U" {
		t.Errorf("signature certificate %+v", c)
	}
	if want := int(sigAfter.Truncate(time.Second).Sub(now).Hours() / 24); c.DaysLeft == nil || *c.DaysLeft != want {
		t.Errorf("days_left %v, want %d", c.DaysLeft, want)
	}
	if !c.NotAfter.Equal(sigAfter.Truncate(time.Second)) || c.NotBefore.IsZero() {
		t.Errorf("validity %v – %v, want not_after %v", c.NotBefore, c.NotAfter, sigAfter)
	}
	if !strings.Contains(c.Subject, "serialNumber=TINIT-RSSMRA80A01H501U") || !strings.Contains(c.Issuer, "CN=Prova Qualified CA") {
		t.Errorf("subject %q issuer %q", c.Subject, c.Issuer)
	}

	c = findCert(t, tok, "cns")
	if c.ID != "02ab" || c.Usage != token.UsageAuthentication || c.Status != token.CertExpiring ||
		c.CodiceFiscale != "RSSMRA80A01H501U" || c.CardNumber != "7420000000012345" || *c.DaysLeft != 12 {
		t.Errorf("CNS certificate %+v", c)
	}
	c = findCert(t, tok, "vecchio")
	if c.Usage != token.UsageOther || c.Status != token.CertExpired || *c.DaysLeft != -3 {
		t.Errorf("expired certificate %+v (days %d)", c, *c.DaysLeft)
	}
	c = findCert(t, tok, "rotto")
	if c.ParseError == "" || c.ID != "04" || c.Status != "" || c.DaysLeft != nil {
		t.Errorf("unparseable certificate %+v", c)
	}

	other := findToken(t, m, "Secondo").Token
	if len(other.Certificates) != 0 || other.PIN != token.StateOK {
		t.Errorf("second token %+v", other)
	}
	for _, s := range m.Slots {
		if s.Token != nil && !s.Token.Initialized {
			// SoftHSM2's free slot reports SO_PIN_LOCKED: that is not a
			// locked PUK.
			if s.Token.Flags.Value&token.FlagSOPINLocked == 0 {
				t.Errorf("free slot flags %s: expected SO_PIN_LOCKED, the test no longer proves anything", s.Token.Flags.Hex)
			}
			if s.Token.PIN != token.StateNotInitialized || s.Token.PUK != token.StateNotInitialized {
				t.Errorf("free slot pin %q puk %q, want not_initialized", s.Token.PIN, s.Token.PUK)
			}
			return
		}
	}
	t.Error("no free (uninitialised) slot found")
}

// A wrong PIN and a wrong SO PIN are real SoftHSM2 states: COUNT_LOW.
func TestWrongPINAttemptsAreReported(t *testing.T) {
	h := tokentest.NewHSM(t)
	h.InitToken(t, "Firma Test", "12345678", "87654321")
	h.WrongLogin(t, "Firma Test", pkcs11.CKU_USER)
	tok := findToken(t, probe.Module(h.Module, probe.Options{}), "Firma Test").Token
	if tok.PIN != token.StateCountLow || tok.PUK != token.StateOK {
		t.Errorf("after a wrong PIN: pin %q puk %q, want count_low ok", tok.PIN, tok.PUK)
	}
	h.WrongLogin(t, "Firma Test", pkcs11.CKU_SO)
	tok = findToken(t, probe.Module(h.Module, probe.Options{}), "Firma Test").Token
	if tok.PUK != token.StateCountLow {
		t.Errorf("after a wrong SO PIN: puk %q, want count_low", tok.PUK)
	}
}

func TestFilesThatAreNotModules(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "driver.so")
	if err := os.WriteFile(text, []byte("#!/bin/sh\necho non sono una libreria\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "rotto.so")
	if err := os.WriteFile(broken, []byte("\x7fELF\x02\x01\x01troncato"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "libplain.so")
	src := filepath.Join(dir, "plain.c")
	if err := os.WriteFile(src, []byte("int sportello_plain(void) { return 42; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tokentest.Tool(t, "gcc"), "-shared", "-fPIC", "-o", plain, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	cases := []struct {
		path string
		kind token.FaultKind
		msg  string
	}{
		{text, token.FaultNotLibrary, "non è una libreria"},
		{broken, token.FaultLoad, "non si carica"},
		{plain, token.FaultNotPKCS11, "manca C_GetFunctionList"},
	}
	for _, c := range cases {
		m := probe.Module(c.path, probe.Options{})
		if m.Status != token.ModuleFault || m.Fault == nil || m.Fault.Kind != c.kind {
			t.Errorf("%s: status %q fault %+v, want %s", filepath.Base(c.path), m.Status, m.Fault, c.kind)
			continue
		}
		if !strings.Contains(m.Fault.Message, c.msg) || !strings.Contains(m.Fault.Message, filepath.Base(c.path)) {
			t.Errorf("%s: message %q lacks %q or the module name", filepath.Base(c.path), m.Fault.Message, c.msg)
		}
	}
}

func hasFlag(f token.Flags, name string) bool {
	for _, x := range f.Set {
		if x.Name == name {
			return true
		}
	}
	return false
}

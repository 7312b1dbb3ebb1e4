package diag_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/tokentest"
	"github.com/sportello/sportello/internal/vpcdtest"
)

// The workstation in Diagnose, with the real pcscd (a private one per
// test, see vpcdtest) and the real PC/SC child.

const cnsATR = "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D"

func atr(t *testing.T, s string) []byte {
	t.Helper()
	b, err := station.ParseATRHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noDevice is a module that loads and lists no slot: the fault proxy
// over SoftHSM2 with FAULT_NO_SLOTS.
func noDevice(t *testing.T) diag.Options {
	h := signatureToken(t)
	t.Setenv("FAULT_REAL_MODULE", h.Module)
	t.Setenv("FAULT_NO_SLOTS", "1")
	return options(t, tokentest.FaultModule(t))
}

func TestDiagnoseWorkstationNoService(t *testing.T) {
	h := signatureToken(t)
	r := diag.Diagnose(context.Background(), options(t, h.Module))
	w := r.Workstation
	if w == nil || w.GOOS != "linux" || w.PCSC == nil || w.PCSC.Status != station.PCSCNoService || w.Reboot == nil || w.Clock == nil || w.USB == nil {
		t.Fatalf("workstation %+v", w)
	}
	got := statuses(r)
	if got[check.TokenPresent].Status != check.Pass {
		t.Errorf("token.present %+v", got[check.TokenPresent])
	}
	// SoftHSM2 needs no smart-card service: no problem for signing.
	if c := got[check.WorkstationPCSC]; c.Status != check.Skip || !strings.Contains(c.Title, "letto comunque") {
		t.Errorf("workstation.pcsc %+v", c)
	}
	for _, name := range []string{check.WorkstationUSB, check.WorkstationReboot, check.WorkstationClock} {
		if c, ok := got[name]; !ok || !c.Status.Valid() || c.Title == "" {
			t.Errorf("%s: %+v", name, c)
		}
	}
	// Without the workstation: neither its facts nor its checks.
	o := options(t, h.Module)
	o.NoWorkstation = true
	r = diag.Diagnose(context.Background(), o)
	if r.Workstation != nil || len(r.Checks) != len(check.TokenCheckNames) || r.USB == nil {
		t.Errorf("--no-workstation: %+v, %d checks", r.Workstation, len(r.Checks))
	}

	// No device and no service: the triage says so.
	r = diag.Diagnose(context.Background(), noDevice(t))
	c := statuses(r)[check.TokenPresent]
	if c.Status != check.Fail || c.Node != check.NodePCSCService || !strings.Contains(c.Title, "non è attivo") || !strings.Contains(c.Detail, "SCARD_E_NO_SERVICE") {
		t.Errorf("token.present %+v", c)
	}
	if c := statuses(r)[check.WorkstationPCSC]; c.Status != check.Fail || c.Node != check.NodePCSCService {
		t.Errorf("workstation.pcsc %+v", c)
	}
}

// TestDiagnosePCSCHung: a wedged pcscd (SIGSTOP) hangs
// SCardEstablishContext in the child; the parent reports it within the
// PC/SC timeout, naming the call, and never hangs.
func TestDiagnosePCSCHung(t *testing.T) {
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true})
	t.Setenv("PCSCLITE_CSOCK_NAME", d.Socket)
	d.Hang()
	o := noDevice(t)
	o.Timeout = 2 * time.Second
	start := time.Now()
	r := diag.Diagnose(context.Background(), o)
	if el := time.Since(start); el > 6*time.Second {
		t.Errorf("took %v with a 2s timeout", el)
	}
	p := r.Workstation.PCSC
	if p.Status != station.PCSCFault || p.Fault == nil || p.Fault.Kind != "timeout" || p.Fault.Call != "SCardEstablishContext" ||
		!strings.Contains(p.Fault.Message, "non ha risposto entro 2s (fermo in SCardEstablishContext)") {
		t.Errorf("pcsc %+v %+v", p, p.Fault)
	}
	got := statuses(r)
	if c := got[check.WorkstationPCSC]; c.Status != check.Error || c.Node != check.NodePCSCService {
		t.Errorf("workstation.pcsc %+v", c)
	}
	if c := got[check.TokenPresent]; c.Node != check.NodePCSCService || !strings.Contains(c.Title, "non risponde") {
		t.Errorf("token.present %+v", c)
	}
	d.Resume()
}

// TestDiagnosePCSCReaders: the real pcscd with the virtual reader: empty,
// a CNS card inserted (named, with its middleware; the card gets no APDU
// from sportello), the card removed.
func TestDiagnosePCSCReaders(t *testing.T) {
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true})
	t.Setenv("PCSCLITE_CSOCK_NAME", d.Socket)
	o := noDevice(t)

	r := diag.Diagnose(context.Background(), o)
	if p := r.Workstation.PCSC; p.Status != station.PCSCOK || len(p.Readers) != 2 {
		t.Fatalf("pcsc %+v", p)
	}
	c := statuses(r)[check.TokenPresent]
	if c.Node != check.NodeReaderEmpty || c.Title != "Inserisci la smart card nel lettore «"+d.Reader(0)+"»" {
		t.Errorf("empty reader: %+v", c)
	}
	if w := statuses(r)[check.WorkstationPCSC]; w.Status != check.Warn || w.Facts[check.FactPCSCReader] != d.Reader(0) {
		t.Errorf("workstation.pcsc %+v", w)
	}

	card := d.Card(0)
	card.Insert(t, atr(t, cnsATR))
	r = diag.Diagnose(context.Background(), o)
	rd := r.Workstation.PCSC.Readers[0]
	if !rd.CardPresent || rd.ATR != cnsATR || rd.Card == nil || rd.Card.Kind != "cns" {
		t.Fatalf("reader %+v", rd)
	}
	c = statuses(r)[check.TokenPresent]
	if c.Node != check.NodeUnknownCard || !strings.Contains(c.Title, "CNS (Carta Nazionale dei Servizi) STIncard") ||
		!strings.Contains(c.Remedy, "bit4xpki") || strings.Contains(c.Remedy, "porta") {
		t.Errorf("unknown card: %+v", c)
	}
	if w := statuses(r)[check.WorkstationPCSC]; w.Status != check.Pass || w.Facts[check.FactCardATR] != cnsATR {
		t.Errorf("workstation.pcsc %+v", w)
	}
	if n := card.APDUs(); n != 0 {
		t.Errorf("diagnose sent %d APDUs to the card", n)
	}

	card.RemoveAndWait(t)
	r = diag.Diagnose(context.Background(), o)
	if c := statuses(r)[check.TokenPresent]; c.Node != check.NodeReaderEmpty {
		t.Errorf("card removed: %+v", c)
	}
}

// TestDiagnoseOpenSCUnknownCard: OpenSC, through the same private pcscd,
// sees the virtual card (which answers every APDU 6A82) and reports its
// slot as CKR_TOKEN_NOT_RECOGNIZED: the triage names the card and does
// not call it a device that does not answer.
func TestDiagnoseOpenSCUnknownCard(t *testing.T) {
	opensc := ""
	for _, p := range []string{"/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so", "/usr/lib64/opensc-pkcs11.so"} {
		if _, err := os.Stat(p); err == nil {
			opensc = p
		}
	}
	if opensc == "" {
		t.Fatal("opensc-pkcs11.so is missing: run `make test`, which installs opensc")
	}
	d := vpcdtest.Start(t, vpcdtest.Options{Readers: true})
	t.Setenv("PCSCLITE_CSOCK_NAME", d.Socket)
	for _, c := range []struct{ atr, name, remedy string }{
		// Named by pcsc-tools' list only: no middleware known.
		{"3B 02 14 50", "Schlumberger", "Installa il driver indicato dall'ente che ha emesso la carta"},
		// A CNS: OpenSC has a driver for it (itacns), which does not read
		// this empty virtual card.
		{cnsATR, "CNS (Carta Nazionale dei Servizi) STIncard", "Reinstalla il driver opensc-pkcs11.so nella versione più recente, oppure installa il driver Bit4id"},
	} {
		d.Card(0).Insert(t, atr(t, c.atr))
		r := diag.Diagnose(context.Background(), options(t, opensc))
		d.Card(0).RemoveAndWait(t)
		if m := r.Modules[0]; m.Status != "ok" || len(m.Slots) != 2 || m.Slots[0].Error == nil || m.Slots[0].Error.Name != "CKR_TOKEN_NOT_RECOGNIZED" {
			t.Fatalf("OpenSC did not report the card as not recognised: %+v", m)
		}
		got := statuses(r)[check.TokenPresent]
		if got.Status != check.Fail || got.Node != check.NodeUnknownCard || strings.Contains(got.Remedy, "porta") ||
			!strings.Contains(got.Title, c.name) || !strings.Contains(got.Remedy, c.remedy) || !strings.Contains(got.Detail, "ATR "+c.atr) {
			t.Errorf("%s: token.present %s\n%s\n%s", c.atr, got.Title, got.Detail, got.Remedy)
		}
	}
}

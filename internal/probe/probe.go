// Package probe reads one PKCS#11 module in this process: library info,
// every slot, the token in each with its flags, and every certificate
// object. It only reads: it opens read-only sessions (CKF_SERIAL_SESSION
// alone) and never calls C_Login, C_InitPIN, C_SetPIN, C_InitToken or any
// function that writes, so reading the PIN state costs no PIN attempt.
//
// A vendor module can hang or crash the process that loads it, so the
// diagnostics run this package in a child process (sportello __probe, see
// package diag); call it directly only on modules you trust, as the tests
// do with SoftHSM2.
package probe

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/pkcs11"

	"github.com/sportello/sportello/internal/token"
)

// Options tune a probe.
type Options struct {
	Now      time.Time // the day certificates are judged on; zero means time.Now()
	WarnDays int       // a certificate expiring within this many days is "expiring"
	// Trace, when set, is called with the name of each PKCS#11 call just
	// before it is made, so that a watcher can name the call that hung or
	// crashed.
	Trace func(call string)
}

// Module probes the module at path. Failures are reported in the result
// (Status fault, or per-slot errors), never returned.
func Module(path string, o Options) token.Module {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Trace == nil {
		o.Trace = func(string) {}
	}
	m := token.Module{Path: path, Slots: []token.Slot{}}
	if f := checkLoadable(path); f != nil {
		m.SetFault(*f)
		return m
	}
	o.Trace("C_GetFunctionList")
	p := pkcs11.New(path)
	if p == nil {
		m.SetFault(token.Fault{Kind: token.FaultLoad, Call: "C_GetFunctionList", Detail: "caricamento non riuscito"})
		return m
	}
	defer p.Destroy()
	o.Trace("C_Initialize")
	if err := p.Initialize(); err != nil {
		if !isCode(err, pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
			m.SetFault(callFault("C_Initialize", err))
			return m
		}
	} else {
		defer func() {
			o.Trace("C_Finalize")
			_ = p.Finalize()
		}()
	}
	o.Trace("C_GetInfo")
	info, err := p.GetInfo()
	if err != nil {
		m.SetFault(callFault("C_GetInfo", err))
		return m
	}
	m.Library = &token.Library{
		Manufacturer:    clean(info.ManufacturerID),
		Description:     clean(info.LibraryDescription),
		Version:         version(info.LibraryVersion),
		CryptokiVersion: version(info.CryptokiVersion),
	}
	bc := newCalls(path)
	if bc == nil {
		m.SetFault(token.Fault{Kind: token.FaultCall, Call: "C_GetFunctionList", Error: token.BadAnswer("C_GetFunctionList", noFunctionList)})
		return m
	}
	o.Trace("C_GetSlotList")
	ids, cerr := bc.slotList()
	if cerr != nil {
		kind := token.FaultCall
		if cerr.Name == "" {
			kind = token.FaultBadAnswer
		}
		m.SetFault(token.Fault{Kind: kind, Call: "C_GetSlotList", Error: cerr})
		return m
	}
	reportsSO := token.ReportsSOState(m.Library)
	for _, id := range ids {
		m.Slots = append(m.Slots, slot(p, bc, id, reportsSO, o))
	}
	m.Status = token.ModuleOK
	m.Reason = fmt.Sprintf("caricato: %d slot, %d con un dispositivo", len(m.Slots), present(m.Slots))
	return m
}

func present(slots []token.Slot) int {
	n := 0
	for _, s := range slots {
		if s.TokenPresent {
			n++
		}
	}
	return n
}

func slot(p *pkcs11.Ctx, bc *calls, id uint, reportsSO bool, o Options) token.Slot {
	s := token.Slot{ID: id, Flags: token.SlotFlags(0)}
	o.Trace("C_GetSlotInfo")
	si, err := p.GetSlotInfo(id)
	if err != nil {
		s.Error = callError("C_GetSlotInfo", err)
		return s
	}
	s.Description = clean(si.SlotDescription)
	s.Manufacturer = clean(si.ManufacturerID)
	s.Flags = token.SlotFlags(si.Flags)
	s.TokenPresent = si.Flags&token.SlotTokenPresent != 0
	s.Removable = si.Flags&token.SlotRemovable != 0
	s.Hardware = si.Flags&token.SlotHardware != 0
	if !s.TokenPresent {
		return s
	}
	o.Trace("C_GetTokenInfo")
	ti, err := p.GetTokenInfo(id)
	if err != nil {
		s.Error = callError("C_GetTokenInfo", err)
		return s
	}
	t := &token.Token{
		Label:         clean(ti.Label),
		Manufacturer:  clean(ti.ManufacturerID),
		Model:         clean(ti.Model),
		Serial:        clean(ti.SerialNumber),
		Flags:         token.TokenFlags(ti.Flags),
		Initialized:   ti.Flags&token.FlagTokenInitialized != 0,
		PIN:           token.PINState(ti.Flags),
		PUK:           token.PUKState(ti.Flags, reportsSO),
		ProtectedPath: ti.Flags&token.FlagProtectedAuthPath != 0,
		Certificates:  []token.Certificate{},
	}
	s.Token = t
	if t.Initialized {
		t.Certificates, t.CertificatesError = certificates(p, bc, id, o)
	}
	return s
}

// certificates lists every CKO_CERTIFICATE object visible without login,
// in a read-only session, within the limits of bounded.go.
func certificates(p *pkcs11.Ctx, bc *calls, id uint, o Options) ([]token.Certificate, *token.CallError) {
	certs := []token.Certificate{}
	o.Trace("C_OpenSession")
	sh, err := p.OpenSession(id, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return certs, callError("C_OpenSession", err)
	}
	defer func() {
		o.Trace("C_CloseSession")
		_ = p.CloseSession(sh)
	}()
	o.Trace("C_FindObjectsInit")
	if err := p.FindObjectsInit(sh, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE)}); err != nil {
		return certs, callError("C_FindObjectsInit", err)
	}
	handles, findErr := bc.findObjects(sh, o.Trace)
	o.Trace("C_FindObjectsFinal")
	_ = p.FindObjectsFinal(sh)
	for _, h := range handles {
		certs = append(certs, certificate(bc, sh, h, o))
	}
	return certs, findErr
}

// certificate reads one certificate object. Label and ID are optional (a
// module may lack them); a value that cannot be read makes the
// certificate Unreadable, with the reason in Italian.
func certificate(bc *calls, sh pkcs11.SessionHandle, h pkcs11.ObjectHandle, o Options) token.Certificate {
	o.Trace("C_GetAttributeValue")
	label, _ := bc.attribute(sh, h, pkcs11.CKA_LABEL, MaxAttribute)
	id, _ := bc.attribute(sh, h, pkcs11.CKA_ID, MaxAttribute)
	typ, _ := bc.attribute(sh, h, pkcs11.CKA_CERTIFICATE_TYPE, 8)
	value, verr := bc.attribute(sh, h, pkcs11.CKA_VALUE, MaxValue)
	name := clean(string(label))
	if verr != nil {
		c := token.ParseCertificate(name, id, nil, o.Now, o.WarnDays)
		c.Unreadable = true
		c.Detail = verr.String()
		c.ParseError = "il driver non restituisce il valore del certificato: " + verr.Message
		if verr.Name != "" {
			c.ParseError = "il driver non restituisce il valore del certificato: " + verr.String()
		}
		return c
	}
	if len(typ) > 0 && !allZero(typ) {
		c := token.ParseCertificate(name, id, nil, o.Now, o.WarnDays)
		c.ParseError = "certificato non X.509"
		c.Unreadable = false
		return c
	}
	return token.ParseCertificate(name, id, value, o.Now, o.WarnDays)
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

func callError(call string, err error) *token.CallError {
	var e pkcs11.Error
	if errors.As(err, &e) {
		// pkcs11.Error prints as "pkcs11: 0x30: CKR_DEVICE_ERROR".
		msg := e.Error()
		name := msg[strings.LastIndex(msg, " ")+1:]
		if !strings.HasPrefix(name, "CKR_") {
			name = ""
		}
		return token.NewCallError(call, uint(e), name)
	}
	return &token.CallError{Call: call, Name: "?", Message: "errore sconosciuto del collegamento al driver"}
}

func callFault(call string, err error) token.Fault {
	return token.Fault{Kind: token.FaultCall, Call: call, Error: callError(call, err)}
}

func isCode(err error, code uint) bool {
	var e pkcs11.Error
	return errors.As(err, &e) && uint(e) == code
}

func version(v pkcs11.Version) string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// clean trims the blank (and NUL) padding of PKCS#11 fixed-size strings.
func clean(s string) string { return strings.TrimRight(s, " \x00") }

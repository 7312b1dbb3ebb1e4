package check_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

// Facts as the gatherers make them (the gathering itself is tested in
// package station against sysfs fixtures and the real pcscd, and end to
// end in cmd/sportello); here the judgement of each state.

const (
	atrIncardCNS = "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 03 03 01 01 01 43 4E 53 10 31 80 9D"
	atrUnknown   = "3B 02 14 50"
)

// loadedModule is a working driver with the given slots.
func loadedModule(path string, slots ...token.Slot) token.Module {
	return token.Module{Path: path, Status: token.ModuleOK, Library: &token.Library{Manufacturer: "Vendor", Version: "1.0"}, Slots: slots}
}

// readToken is a module that reads an initialised device.
func readToken() token.Module {
	flags := token.FlagTokenInitialized | token.FlagUserPINInitialized | token.FlagLoginRequired
	return loadedModule("/usr/lib/softhsm/libsofthsm2.so", token.Slot{ID: 1, TokenPresent: true, Token: &token.Token{
		Label: "Firma", Flags: token.TokenFlags(uint(flags)), Initialized: true, PIN: token.StateOK, PUK: token.StateOK}})
}

func reader(name, atr string, card *station.Card) station.Reader {
	r := station.Reader{Name: name, StateNames: []string{}}
	if atr != "" {
		r.CardPresent, r.ATR, r.Card = true, atr, card
	}
	return r
}

func pcscOK(readers ...station.Reader) *station.PCSC {
	return &station.PCSC{Status: station.PCSCOK, Library: "libpcsclite.so.1", Readers: readers}
}

func named(atr string) *station.Card {
	b, _ := station.ParseATRHex(atr)
	return station.NameCard(b, nil)
}

func noService() *station.PCSC {
	return &station.PCSC{Status: station.PCSCNoService, Library: "libpcsclite.so.1", Call: "SCardEstablishContext",
		Code: "0x8010001D", CodeName: "SCARD_E_NO_SERVICE", Readers: []station.Reader{}}
}

func facts(goos string, p *station.PCSC, usb ...station.USBDevice) *station.Facts {
	return &station.Facts{GOOS: goos, PCSC: p, USB: &station.USB{Devices: usb},
		Reboot: &station.Reboot{Pending: "no", Markers: []station.RebootMarker{{Source: "/run/reboot-required"}}},
		Clock:  &station.Clock{Sync: "synced", Source: "adjtimex", Detail: "TIME_OK"}}
}

// judge runs every check on mods and f.
func judge(mods []token.Module, f *station.Facts) map[string]check.Result {
	out := map[string]check.Result{}
	for _, r := range check.TokenChecks(check.TokenInput{Modules: mods, Station: f}) {
		out[r.Check] = r
	}
	for _, r := range check.StationChecks(check.StationInput{Modules: mods, Station: f}) {
		out[r.Check] = r
	}
	return out
}

func want(t *testing.T, r check.Result, st check.Status, node string, in ...string) {
	t.Helper()
	if r.Status != st || r.Node != node {
		t.Errorf("%s: %s node %q, want %s %q: %q / %q / %q", r.Check, r.Status, r.Node, st, node, r.Title, r.Detail, r.Remedy)
	}
	all := r.Title + " | " + r.Detail + " | " + r.Remedy
	for _, s := range in {
		if !strings.Contains(all, s) {
			t.Errorf("%s: %q lacks %q", r.Check, all, s)
		}
	}
	if (st == check.Fail || st == check.Warn || st == check.Error) && r.Remedy == "" {
		t.Errorf("%s: %s without a remedy", r.Check, st)
	}
}

// noPort: a card the driver does not know, or a reader without a card,
// must never be told to change USB port.
func noPort(t *testing.T, r check.Result) {
	t.Helper()
	if strings.Contains(strings.ToLower(r.Remedy), "porta") {
		t.Errorf("%s: remedy tells to change port: %q", r.Check, r.Remedy)
	}
}

var opensc = "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so"

func TestTriageNoService(t *testing.T) {
	mods := []token.Module{loadedModule(opensc)}
	r := judge(mods, facts("linux", noService()))
	want(t, r[check.TokenPresent], check.Fail, check.NodePCSCService, "servizio delle smart card non è attivo", "systemctl enable --now pcscd.socket", "SCARD_E_NO_SERVICE")
	want(t, r[check.WorkstationPCSC], check.Fail, check.NodePCSCService, "non è attivo")
	if r[check.TokenPresent].Facts[check.FactPCSCStatus] != "non attivo" {
		t.Errorf("facts %v", r[check.TokenPresent].Facts)
	}
	// With a device on the bus the detail says so.
	r = judge(mods, facts("linux", noService(), station.USBDevice{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id", Product: "Digital DNA Key", CCID: true}))
	want(t, r[check.TokenPresent], check.Fail, check.NodePCSCService, "Sulla porta USB c'è Bit4id Digital DNA Key (25dd:2351)")
	want(t, r[check.WorkstationUSB], check.Fail, check.NodeUSBNoDriver, "il servizio delle smart card non funziona")

	// A device read without the service (SoftHSM2): no problem for signing.
	r = judge([]token.Module{readToken()}, facts("linux", noService()))
	want(t, r[check.WorkstationPCSC], check.Skip, "", "letto comunque")
	want(t, r[check.TokenPresent], check.Pass, "")

	// Not installed.
	r = judge(mods, facts("linux", &station.PCSC{Status: station.PCSCNotInstalled, Library: "libpcsclite.so.1", Call: "dlopen", Readers: []station.Reader{}}))
	want(t, r[check.TokenPresent], check.Fail, check.NodePCSCService, "non è installato", "apt install pcscd")

	// Client and daemon of different pcsc-lite versions.
	stopped := noService()
	stopped.Status, stopped.Code, stopped.CodeName = station.PCSCStopped, "0x8010001E", "SCARD_E_SERVICE_STOPPED"
	r = judge(mods, facts("linux", stopped))
	want(t, r[check.TokenPresent], check.Fail, check.NodePCSCService, "versioni diverse di pcsc-lite")
}

func TestTriageServiceHung(t *testing.T) {
	p := &station.PCSC{Status: station.PCSCFault, Readers: []station.Reader{}, Call: "SCardEstablishContext",
		Fault: &token.Fault{Kind: token.FaultTimeout, Call: "SCardEstablishContext", Timeout: "5s",
			Message: "il servizio delle smart card non ha risposto entro 5s (fermo in SCardEstablishContext): è bloccato"}}
	r := judge([]token.Module{loadedModule(opensc)}, facts("linux", p))
	want(t, r[check.TokenPresent], check.Fail, check.NodePCSCService, "non risponde", "fermo in SCardEstablishContext", "systemctl restart pcscd")
	want(t, r[check.WorkstationPCSC], check.Error, check.NodePCSCService, "non risponde")
	if r[check.WorkstationPCSC].Facts[check.FactPCSCStatus] != "bloccato" {
		t.Errorf("facts %v", r[check.WorkstationPCSC].Facts)
	}
}

func TestTriageWindowsService(t *testing.T) {
	mods := []token.Module{loadedModule(`C:\Windows\System32\bit4xpki.dll`)}
	// Wine: no SCardSvr at all, and winscard answers SCARD_F_INTERNAL_ERROR.
	wine := &station.PCSC{Status: station.PCSCError, Library: "winscard.dll", Call: "SCardEstablishContext", Code: "0x80100001",
		CodeName: "SCARD_F_INTERNAL_ERROR", Readers: []station.Reader{}, Service: &station.Service{Name: "SCardSvr", State: "not_installed"}}
	r := judge(mods, facts("windows", wine))
	want(t, r[check.TokenPresent], check.Fail, check.NodePCSCService, "non è installato", "SCardSvr")
	want(t, r[check.WorkstationPCSC], check.Fail, check.NodePCSCService, "non è installato")

	// Disabled by someone: a service problem.
	disabled := noService()
	disabled.Service = &station.Service{Name: "SCardSvr", State: "stopped", StartType: "disabled"}
	r = judge(mods, facts("windows", disabled))
	want(t, r[check.TokenPresent], check.Fail, check.NodePCSCService, "disattivato", "services.msc")

	// Stopped with a manual start and nothing plugged in: Windows stops
	// it when no reader is connected. Not a service problem: the bus decides.
	idle := noService()
	idle.Service = &station.Service{Name: "SCardSvr", State: "stopped", StartType: "manual"}
	r = judge(mods, facts("windows", idle))
	want(t, r[check.WorkstationPCSC], check.Skip, "", "Nessun lettore")
	want(t, r[check.TokenPresent], check.Fail, check.NodeConnect, "Nessun dispositivo di firma collegato")
	r = judge(mods, facts("windows", idle, station.USBDevice{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id", Product: "Digital DNA Key", Problem: 28}))
	want(t, r[check.TokenPresent], check.Fail, check.NodeUSBNoDriver, "non ha un driver installato (codice 28)")
	noPort(t, r[check.TokenPresent])
	want(t, r[check.WorkstationUSB], check.Fail, check.NodeUSBNoDriver, "codice 28")
}

func TestTriageReaderEmpty(t *testing.T) {
	p := pcscOK(reader("ACS ACR39U 00 00", "", nil), reader("Lettore 2", "", nil))
	r := judge([]token.Module{loadedModule(opensc)}, facts("linux", p))
	want(t, r[check.TokenPresent], check.Fail, check.NodeReaderEmpty, "Inserisci la smart card nel lettore «ACS ACR39U 00 00»", "altro lettore")
	noPort(t, r[check.TokenPresent])
	want(t, r[check.WorkstationPCSC], check.Warn, check.NodeReaderEmpty, "Nessuna carta nel lettore «ACS ACR39U 00 00»")
	if got := r[check.TokenPresent].Facts[check.FactPCSCReader]; got != "ACS ACR39U 00 00" {
		t.Errorf("pcsc.reader = %q", got)
	}
	// A device read elsewhere: the empty reader is no problem.
	r = judge([]token.Module{readToken()}, facts("linux", p))
	want(t, r[check.WorkstationPCSC], check.Pass, "", "2 lettori")
}

func TestTriageUnknownCard(t *testing.T) {
	// OpenSC reports the card's slot as CKR_TOKEN_NOT_RECOGNIZED.
	notRecognised := token.Slot{ID: 3, TokenPresent: true, Error: token.NewCallError("C_GetTokenInfo", 0xE1, "CKR_TOKEN_NOT_RECOGNIZED")}
	p := pcscOK(reader("Virtual PCD 00 00", atrIncardCNS, named(atrIncardCNS)))
	r := judge([]token.Module{loadedModule(opensc, notRecognised)}, facts("linux", p))
	want(t, r[check.TokenPresent], check.Fail, check.NodeUnknownCard, "non è riconosciuta dal driver", "CNS (Carta Nazionale dei Servizi) STIncard",
		"ATR "+atrIncardCNS, "bit4xpki", "CKR_TOKEN_NOT_RECOGNIZED")
	noPort(t, r[check.TokenPresent])
	// OpenSC reads CNS cards (itacns): the right driver is loaded.
	if !strings.Contains(r[check.TokenPresent].Remedy, "Reinstalla il driver opensc-pkcs11.so") {
		t.Errorf("remedy %q", r[check.TokenPresent].Remedy)
	}
	want(t, r[check.WorkstationPCSC], check.Pass, "", "CNS (Carta Nazionale dei Servizi) STIncard", "nel lettore «Virtual PCD 00 00»")
	f := r[check.TokenPresent].Facts
	if f[check.FactCardName] == "" || f[check.FactCardATR] != atrIncardCNS || !strings.Contains(f[check.FactCardMiddleware], "bit4xpki") {
		t.Errorf("facts %v", f)
	}

	// The driver loaded is not the card's: the remedy names the one it needs.
	r = judge([]token.Module{loadedModule("/usr/lib/libASEP11.so")}, facts("linux", p))
	want(t, r[check.TokenPresent], check.Fail, check.NodeUnknownCard, "Questa carta richiede il driver Bit4id (bit4xpki o bit4ipki)")
	noPort(t, r[check.TokenPresent])

	// A card no table knows.
	r = judge([]token.Module{loadedModule(opensc)}, facts("linux", pcscOK(reader("R", atrUnknown, nil))))
	want(t, r[check.TokenPresent], check.Fail, check.NodeUnknownCard, "carta non identificata", "ente che ha emesso la carta")
	noPort(t, r[check.TokenPresent])

	// A card that does not answer the reset.
	mute := reader("R", "", nil)
	mute.CardPresent, mute.Mute = true, true
	r = judge([]token.Module{loadedModule(opensc)}, facts("linux", pcscOK(mute)))
	want(t, r[check.TokenPresent], check.Fail, check.NodeUnknownCard, "non risponde", "reinseriscila")

	// Without the workstation's facts the slot's error still says "a card
	// the driver does not know", not "the device does not answer".
	r = judge([]token.Module{loadedModule(opensc, notRecognised)}, nil)
	want(t, r[check.TokenPresent], check.Fail, check.NodeUnknownCard, "non riconosce il dispositivo")
	noPort(t, r[check.TokenPresent])
}

func TestTriageUSB(t *testing.T) {
	mods := []token.Module{loadedModule(opensc)}
	dev := station.USBDevice{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id", Product: "Digital DNA Key", CCID: true}
	r := judge(mods, facts("linux", pcscOK(), dev))
	want(t, r[check.TokenPresent], check.Fail, check.NodeUSBNoDriver, "non letto dai driver", "Bit4id Digital DNA Key (25dd:2351)", "manca il driver")
	noPort(t, r[check.TokenPresent])
	want(t, r[check.WorkstationPCSC], check.Skip, "", "Nessun lettore")
	want(t, r[check.WorkstationUSB], check.Fail, check.NodeUSBNoDriver, "Bit4id Digital DNA Key")

	r = judge(mods, facts("linux", pcscOK()))
	want(t, r[check.TokenPresent], check.Fail, check.NodeConnect, "Nessun dispositivo di firma collegato", "un'altra porta USB")
	want(t, r[check.WorkstationUSB], check.Warn, check.NodeConnect, "Nessun lettore né dispositivo")

	// The bus unreadable (a container): nothing is claimed about it.
	f := facts("linux", pcscOK())
	f.USB = &station.USB{Error: "bus USB non leggibile", Devices: []station.USBDevice{}}
	r = judge(mods, f)
	want(t, r[check.TokenPresent], check.Fail, check.NodeNotRecognised, "Nessun dispositivo di firma rilevato")
	want(t, r[check.WorkstationUSB], check.Skip, "", "non verificabili")

	// A reader seen by PC/SC: the bus is fine.
	r = judge(mods, facts("linux", pcscOK(reader("ACS 00 00", "", nil)), station.USBDevice{VendorID: "072f", ProductID: "90cc", Vendor: "ACS", CCID: true}))
	want(t, r[check.WorkstationUSB], check.Pass, "", "ACS (072f:90cc)")
	// Nothing on the bus but a device read: nothing to say.
	r = judge([]token.Module{readToken()}, facts("linux", pcscOK()))
	want(t, r[check.WorkstationUSB], check.Skip, "")
}

// TestTriageNotInitialised: a device read but not initialised is not a
// reader, card or port problem: workstation.pcsc skips and
// workstation.usb passes, which is how firma:non-riconosciuto reaches
// firma:non-inizializzato.
func TestTriageNotInitialised(t *testing.T) {
	m := loadedModule(opensc, token.Slot{ID: 1, TokenPresent: true, Token: &token.Token{Label: "", Initialized: false}})
	dev := station.USBDevice{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id", Product: "Digital DNA Key", CCID: true}
	r := judge([]token.Module{m}, facts("linux", pcscOK(reader("Bit4id 00 00", atrIncardCNS, named(atrIncardCNS))), dev))
	want(t, r[check.TokenPresent], check.Fail, check.NodeNotInitialised, "non è inizializzato")
	want(t, r[check.WorkstationPCSC], check.Skip, "", "non è inizializzato")
	want(t, r[check.WorkstationUSB], check.Pass, "", "Bit4id Digital DNA Key")
}

// TestTriageShort: the status line words each triage state apart (by
// its own title).
func TestTriageShort(t *testing.T) {
	m := []token.Module{loadedModule(opensc)}
	for _, c := range []struct {
		f    *station.Facts
		want string
	}{
		{facts("linux", noService()), "servizio delle smart card non è attivo"},
		{facts("linux", pcscOK(reader("R", "", nil))), "inserisci la smart card nel lettore «R»"},
		{facts("linux", pcscOK(reader("R", atrUnknown, nil))), "non è riconosciuta dal driver"},
		{facts("linux", pcscOK(), station.USBDevice{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id"}), "dispositivo collegato ma non letto dai driver"},
		{facts("linux", pcscOK()), "nessun dispositivo di firma collegato"},
	} {
		if got := check.Short(judge(m, c.f)[check.TokenPresent]); !strings.Contains(got, c.want) {
			t.Errorf("Short = %q, want it to say %q", got, c.want)
		}
	}
}

func TestRebootCheck(t *testing.T) {
	f := facts("linux", pcscOK())
	want(t, judge(nil, f)[check.WorkstationReboot], check.Pass, "", "Nessun riavvio")
	f.Reboot = &station.Reboot{Pending: "yes", Markers: []station.RebootMarker{{Source: "/run/reboot-required", Found: true}}, Items: []string{"libc6", "linux-image-\x1b[2J"}}
	r := judge(nil, f)[check.WorkstationReboot]
	want(t, r, check.Warn, check.NodeReboot, "chiede di riavviare", "/run/reboot-required", "Chiesto da: libc6, linux-image-\\x1b[2J")
	if r.Facts[check.FactRebootItems] != "libc6, linux-image-\\x1b[2J" {
		t.Errorf("facts %v", r.Facts)
	}
	f.GOOS = "windows"
	f.Reboot = &station.Reboot{Pending: "yes", Markers: []station.RebootMarker{{Source: `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\PendingFileRenameOperations`, Found: true}}, Items: []string{"bit4xpki.dll"}}
	want(t, judge(nil, f)[check.WorkstationReboot], check.Warn, check.NodeReboot, "File da sostituire al riavvio: bit4xpki.dll")
	f.Reboot = &station.Reboot{Pending: "unknown", Error: "accesso negato"}
	want(t, judge(nil, f)[check.WorkstationReboot], check.Skip, "", "non verificabile")
	f.Reboot = nil
	want(t, judge(nil, f)[check.WorkstationReboot], check.Skip, "")
}

func TestClockCheck(t *testing.T) {
	f := facts("linux", pcscOK())
	want(t, judge(nil, f)[check.WorkstationClock], check.Pass, "", "sincronizzato")
	f.Clock = &station.Clock{Sync: "unsynced", Source: "adjtimex", Detail: "TIME_ERROR, STA_UNSYNC"}
	want(t, judge(nil, f)[check.WorkstationClock], check.Warn, "", "non risulta sincronizzato", "timedatectl set-ntp true")
	f.GOOS = "windows"
	f.Clock = &station.Clock{Sync: "automatic", Source: "w32time", NTPType: "NTP"}
	want(t, judge(nil, f)[check.WorkstationClock], check.Pass, "", "impostate automaticamente")
	f.Clock = &station.Clock{Sync: "unsynced", Source: "w32time", NTPType: "NoSync"}
	want(t, judge(nil, f)[check.WorkstationClock], check.Warn, "", "Imposta automaticamente l'ora")
	f.Clock = &station.Clock{Sync: "unknown"}
	want(t, judge(nil, f)[check.WorkstationClock], check.Skip, "", "non verificabile")
}

// TestClockHint: a certificate not yet valid by hours points at the
// computer's clock, in token.certificate and in workstation.clock; one not
// valid for weeks does not.
func TestClockHint(t *testing.T) {
	soon := time.Now().Add(5*time.Hour + 10*time.Minute)
	mk := func(notBefore time.Time) token.Module {
		der := tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotBefore: notBefore, NotAfter: notBefore.AddDate(3, 0, 0)})
		c := token.ParseCertificate("firma", []byte{1}, der, time.Now(), 30)
		m := readToken()
		m.Slots[0].Token.Certificates = []token.Certificate{c}
		return m
	}
	f := facts("linux", pcscOK())
	f.Clock = &station.Clock{Sync: "unsynced", Source: "adjtimex"}
	r := judge([]token.Module{mk(soon)}, f)
	want(t, r[check.TokenCertificate], check.Fail, "", "non è ancora valido", "diventa valido tra circa 5 ore", "data e ora del computer sono indietro", "non risulta sincronizzato")
	want(t, r[check.WorkstationClock], check.Warn, "", "diventa valido tra circa 5 ore")
	f.Clock = &station.Clock{Sync: "synced", Source: "adjtimex"}
	want(t, judge([]token.Module{mk(soon)}, f)[check.WorkstationClock], check.Warn, "", "non è ancora valido per poche ore")

	later := judge([]token.Module{mk(time.Now().AddDate(0, 0, 20))}, f)
	if strings.Contains(later[check.TokenCertificate].Detail, "indietro") {
		t.Errorf("a certificate valid in 20 days blamed the clock: %q", later[check.TokenCertificate].Detail)
	}
	want(t, later[check.WorkstationClock], check.Pass, "")
}

// TestStationChecksShape: every workstation check of this block, in
// every state above, is one of the names in order, sanitised, with the
// workstation facts.
func TestStationChecksShape(t *testing.T) {
	hostile := pcscOK(reader("Lettore \x1b[2J\u202eevil", atrIncardCNS, named(atrIncardCNS)))
	rs := check.StationChecks(check.StationInput{Station: facts("linux", hostile)})
	var names []string
	for _, r := range rs {
		names = append(names, r.Check)
		for _, s := range []string{r.Title, r.Detail, r.Remedy} {
			if strings.ContainsAny(s, "\x1b\u202e") {
				t.Errorf("%s: unsanitised %q", r.Check, s)
			}
		}
		if r.Facts[check.FactPCSCReader] != `Lettore \x1b[2J\u{202e}evil 00 00` && r.Facts[check.FactPCSCReader] != `Lettore \x1b[2J\u{202e}evil` {
			t.Errorf("%s: facts %v", r.Check, r.Facts)
		}
	}
	for _, n := range []string{check.WorkstationReboot, check.WorkstationPCSC, check.WorkstationUSB, check.WorkstationClock} {
		if !strings.Contains(strings.Join(names, " "), n) {
			t.Errorf("%s missing from %v", n, names)
		}
	}
	for i := 1; i < len(rs); i++ {
		if indexOf(check.StationCheckNames, rs[i-1].Check) > indexOf(check.StationCheckNames, rs[i].Check) {
			t.Errorf("out of order: %v", names)
		}
	}
	for _, n := range check.StationNodes {
		if !strings.Contains(n, ":") {
			t.Errorf("node %q not qualified", n)
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

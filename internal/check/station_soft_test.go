package check_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/probe"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

// device is a real SoftHSM2 token holding a signature and a CNS
// certificate, probed in process through a link named like Bit4id xPKI's
// library (libbit4xpki.so), so that the checks see "the xPKI driver
// loads and reads the device" from a real load. der are the certificates.
type device struct {
	mod token.Module
	der map[string][]byte
}

func newDevice(t *testing.T) device {
	t.Helper()
	h := tokentest.NewHSM(t)
	h.InitToken(t, "Firma Test", "12345678", "87654321")
	der := map[string][]byte{
		"firma": tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.Signature, NotAfter: time.Now().AddDate(1, 0, 0)}),
		"cns":   tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.CNS, NotAfter: time.Now().AddDate(1, 0, 0)}),
	}
	h.AddCert(t, "Firma Test", "12345678", "firma", []byte{1}, der["firma"])
	h.AddCert(t, "Firma Test", "12345678", "cns", []byte{2}, der["cns"])
	link := filepath.Join(t.TempDir(), "libbit4xpki.so")
	if err := os.Symlink(h.Module, link); err != nil {
		t.Fatal(err)
	}
	m := probe.Module(link, probe.Options{WarnDays: 30})
	if m.Status != token.ModuleOK {
		t.Fatalf("probe of %s: %s %s", link, m.Status, m.Reason)
	}
	m.Source = token.SourceVendor
	return device{mod: m, der: der}
}

func fingerprint(der []byte) string {
	s := sha256.Sum256(der)
	return hex.EncodeToString(s[:])
}

func softResults(in check.StationInput) map[string]check.Result {
	out := map[string]check.Result{}
	for _, r := range check.StationChecks(in) {
		out[r.Check] = r
	}
	return out
}

// judge runs the five checks and verifies what every result must hold:
// a valid status, a title, sanitised text, a node that is a known one.
func judgeSoft(t *testing.T, in check.StationInput) map[string]check.Result {
	t.Helper()
	rs := softResults(in)
	for _, name := range []string{check.WorkstationObsolete, check.WorkstationGoSign, check.WorkstationDrivers, check.WorkstationCertStore, check.WorkstationBrowsers} {
		r, ok := rs[name]
		if !ok {
			t.Fatalf("no result for %s", name)
		}
		if !r.Status.Valid() || r.Title == "" {
			t.Errorf("%s: status %q title %q", name, r.Status, r.Title)
		}
		for _, s := range []string{r.Title, r.Detail, r.Remedy} {
			if !textsafe.IsSafe(s) {
				t.Errorf("%s: unsafe text %q", name, s)
			}
		}
		for k, v := range r.Facts {
			if !textsafe.IsSafe(v) || !check.FactKeys.Has(k) && !slices.Contains(check.StationSoftFacts, k) {
				t.Errorf("%s: fact %s=%q", name, k, v)
			}
		}
		if r.Node != "" && !slices.Contains(check.StationSoftNodes, r.Node) {
			t.Errorf("%s: node %q is not among StationSoftNodes", name, r.Node)
		}
	}
	return rs
}

func prog(product, name, version string, scope station.Scope, source string) station.Program {
	return station.Program{Product: product, Name: name, Version: version, Scope: scope, Source: source}
}

func windowsSoftware(progs ...station.Program) *station.Software {
	s := &station.Software{Sources: []string{"HKLM (64 bit)", "HKLM (32 bit)", "HKCU", "cartelle note"}, Scanned: 120,
		Obsolete: []station.Program{}, GoSign: []station.Program{}, Drivers: []station.Program{}}
	for _, p := range progs {
		switch p.Product {
		case "gosign":
			s.GoSign = append(s.GoSign, p)
		case "xpki", "safedive":
			s.Drivers = append(s.Drivers, p)
		case "arubasign":
			s.OtherSigning = append(s.OtherSigning, p)
		default:
			s.Obsolete = append(s.Obsolete, p)
		}
	}
	return s
}

func TestObsolete(t *testing.T) {
	clean := windowsSoftware()
	rs := judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: "windows", Software: clean}})
	want(t, rs[check.WorkstationObsolete], check.Pass, "", "120 programmi installati")

	sw := windowsSoftware(
		prog("dike6", "DiKe 6 PRO", "6.5.0", station.ScopeMachine32, "HKLM (32 bit)"),
		prog("dikeutil", "DikeUtil\x1b[2J\u202e", "", station.ScopeUser, "HKCU"),
		prog("arubasign", "ArubaSign", "2.6", station.ScopeMachine, "HKLM (64 bit)"),
	)
	rs = judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: "windows", Software: sw}})
	r := rs[check.WorkstationObsolete]
	want(t, r, check.Fail, check.NodeInstallStep1, "DiKe 6 PRO 6.5.0", `DikeUtil\x1b[2J\u{202e}`, "Impostazioni → App", "«DiKe 6 PRO»", "permessi di amministratore", "ArubaSign")
	if got := r.Facts[check.FactObsolete]; got != `DiKe 6 PRO 6.5.0, DikeUtil\x1b[2J\u{202e}` {
		t.Errorf("fact %s = %q", check.FactObsolete, got)
	}

	linux := &station.Software{Sources: []string{"dpkg", "cartelle note"}, Scanned: 1500,
		Obsolete: []station.Program{prog("dike", "dike", "7.1.0", station.ScopeMachine, "dpkg"), prog("dike6", "dike6; rm -rf /", "", station.ScopeMachine, "dpkg")}}
	rs = judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: "linux", Software: linux}})
	r = rs[check.WorkstationObsolete]
	want(t, r, check.Fail, check.NodeInstallStep1, "sudo apt remove dike.")
	if strings.Contains(r.Remedy, "apt remove dike dike6") {
		t.Errorf("a package name that is not one went into the command: %s", r.Remedy)
	}

	// Nothing could be read: no claim that nothing is installed.
	none := &station.Software{Sources: []string{"cartelle note"}, Errors: []string{"registro HKLM (64 bit) non leggibile"}}
	rs = judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: "windows", Software: none}})
	want(t, rs[check.WorkstationObsolete], check.Error, "", "non leggibile")

	rs = judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: "windows"}})
	want(t, rs[check.WorkstationObsolete], check.Skip, "")
}

func TestGoSign(t *testing.T) {
	in := func(min string, progs ...station.Program) check.Result {
		return judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: "windows", Software: windowsSoftware(progs...)}, MinGoSign: min})[check.WorkstationGoSign]
	}
	want(t, in(""), check.Fail, check.NodeInstallStep2, "non è installato", "https://www.firma.infocert.it/installazione/")
	r := in("", prog("gosign", "GoSign Desktop", "2.1.2", station.ScopeUser, "HKCU"))
	want(t, r, check.Pass, "", "GoSign Desktop 2.1.2 installato (solo per questo utente)")
	if r.Facts[check.FactGoSignVersion] != "2.1.2" || r.Facts[check.FactGoSignScope] != "solo per questo utente" {
		t.Errorf("facts %v", r.Facts)
	}
	// Numerically, not as strings: 2.1.10 is newer than 2.1.9.
	want(t, in("2.1.9", prog("gosign", "GoSign Desktop", "2.1.10", station.ScopeMachine, "HKLM (64 bit)")), check.Pass, "")
	r = in("2.1.10", prog("gosign", "GoSign Desktop", "2.1.9", station.ScopeMachine, "HKLM (64 bit)"))
	want(t, r, check.Warn, check.NodeInstallStep2, "2.1.9 è più vecchio della versione richiesta dall'ufficio (2.1.10)", "Aggiorna")
	if r.Facts[check.FactGoSignMin] != "2.1.10" {
		t.Errorf("facts %v", r.Facts)
	}
	want(t, in("2.0", prog("gosign", "GoSign Desktop", "", station.ScopeUser, "cartella")), check.Pass, "", "versione non rilevata", "almeno la versione 2.0")
	want(t, in("", prog("gosign", "GoSign Desktop", "2.1.2", station.ScopeUser, "HKCU"), prog("gosign", "GoSign Desktop", "1.3.10", station.ScopeMachine, "HKLM (64 bit)")),
		check.Warn, check.NodeInstallStep2, "più copie", "1.3.10", "2.1.2")
	// The old name is GoSign too.
	want(t, in("", prog("gosign", "Dike GoSign", "1.0.0", station.ScopeMachine, "HKLM (64 bit)")), check.Pass, "", "Dike GoSign")
	// Found nowhere, but no list of programs was readable: only a warning.
	folders := &station.Software{Sources: []string{"cartelle note"}}
	want(t, judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: "linux", Software: folders}})[check.WorkstationGoSign], check.Warn, check.NodeInstallStep2, "non trovato nelle cartelle note")
}

func xpkiModule(status token.ModuleStatus, reason string) token.Module {
	m := token.Module{Path: `C:\windows\system32\bit4xpki.dll`, Source: token.SourceVendor, Status: status, Reason: reason}
	if status == token.ModuleFault {
		m.Fault = &token.Fault{Kind: token.FaultCrash, Call: "C_Initialize"}
	}
	return m
}

func TestDrivers(t *testing.T) {
	run := func(goos string, mods []token.Module, files []station.DriverFile, progs ...station.Program) check.Result {
		sw := windowsSoftware(progs...)
		sw.DriverFiles = files
		return judgeSoft(t, check.StationInput{Station: &station.Facts{GOOS: goos, Software: sw}, Modules: mods})[check.WorkstationDrivers]
	}
	ok := []token.Module{xpkiModule(token.ModuleOK, "caricato")}
	xp := prog("xpki", "Bit4id xPKI", "1.4.10.598", station.ScopeMachine, "HKLM (64 bit)")
	sd := prog("safedive", "SafeDive", "6.0.7", station.ScopeMachine32, "HKLM (32 bit)")
	r := run("windows", ok, nil, xp, sd)
	want(t, r, check.Pass, "", "Bit4id xPKI 1.4.10.598", "SafeDive 6.0.7", "bit4xpki.dll caricato")
	if r.Facts[check.FactXPKIVersion] != "1.4.10.598" || r.Facts[check.FactSafeDiveVersion] != "6.0.7" || r.Facts[check.FactDriverModule] != `C:\windows\system32\bit4xpki.dll` {
		t.Errorf("facts %v", r.Facts)
	}
	// 1.4.9.x is older than 1.4.10.598 (as strings it would not be).
	want(t, run("windows", ok, nil, prog("xpki", "Bit4id xPKI", "1.4.9.1200", station.ScopeMachine, "HKLM (64 bit)"), sd),
		check.Warn, check.NodeInstallStep4, "1.4.9.1200 è più vecchio della versione della procedura (1.4.10.598)")
	want(t, run("windows", ok, nil, xp, prog("safedive", "SafeDive", "6.0.10", station.ScopeMachine, "HKLM (64 bit)")), check.Pass, "")
	want(t, run("windows", ok, nil, xp), check.Fail, check.NodeInstallStep4, "SafeDive non è installato", "Esegui come amministratore")
	want(t, run("windows", nil, nil), check.Fail, check.NodeInstallStep4, "Bit4id xPKI non è installato; SafeDive non è installato")
	// Installed, but its library does not load: a driver fault, not a missing driver.
	want(t, run("windows", []token.Module{xpkiModule(token.ModuleFault, "si è interrotto in C_Initialize")}, nil, xp, sd),
		check.Fail, check.NodeDriverError, "bit4xpki.dll di Bit4id xPKI non si carica", "C_Initialize", "disinstalla")
	// Installed, library absent from System32 but present in SysWOW64 for x86.
	files := []station.DriverFile{
		{Product: "xpki", Path: `C:\windows\System32\bit4xpki.dll`},
		{Product: "xpki", Path: `C:\windows\SysWOW64\bit4xpki.dll`, Found: true, Arch: "x86", Mismatch: true},
	}
	notFound := []token.Module{{Path: `C:\windows\System32\bit4xpki.dll`, Source: token.SourceVendor, Status: token.ModuleNotFound}}
	want(t, run("windows", notFound, files, xp, sd), check.Fail, check.NodeInstallStep4, "un'altra architettura (x86)", "32 bit")
	// No xPKI, but the device is read through another driver: a warning.
	opensc := token.Module{Path: "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", Status: token.ModuleOK,
		Slots: []token.Slot{{ID: 1, TokenPresent: true, Token: &token.Token{Label: "CNS", Initialized: true}}}}
	want(t, run("linux", []token.Module{opensc}, nil), check.Warn, check.NodeInstallStep4, "Bit4id xPKI non è installato", "opensc-pkcs11.so", "prevede comunque")
	// Linux: SafeDive is a Windows program, not required there.
	dev := newDevice(t)
	want(t, run("linux", []token.Module{dev.mod}, nil, prog("xpki", "bit4id-xpki", "1.4.10.598", station.ScopeMachine, "dpkg")), check.Pass, "", "libbit4xpki.so caricato")
}

func TestCertStoreWindows(t *testing.T) {
	dev := newDevice(t)
	store := func(certs ...station.StoreCert) check.Result {
		f := &station.Facts{GOOS: "windows", CertStores: &station.CertStores{Windows: &station.WindowsStore{Store: "MY", Certificates: certs}}}
		return judgeSoft(t, check.StationInput{Station: f, Modules: []token.Module{dev.mod}})[check.WorkstationCertStore]
	}
	firma := station.StoreCert{SHA256: fingerprint(dev.der["firma"]), HasKey: true, Provider: "Bit4id Universal Middleware Provider"}
	cns := station.StoreCert{SHA256: strings.ToUpper(fingerprint(dev.der["cns"])), HasKey: true}
	other := station.StoreCert{SHA256: fingerprint([]byte("altro")), HasKey: true}
	want(t, store(other, firma, cns), check.Pass, "", "importati in Windows (2 certificati)")
	r := store(other, firma)
	want(t, r, check.Warn, check.NodeInstallStep6, "mancano certificato CNS «cns»", "Importa")
	if r.Facts[check.FactCertsMissing] != "certificato CNS «cns»" {
		t.Errorf("facts %v", r.Facts)
	}
	want(t, store(other), check.Fail, check.NodeInstallStep6, "non sono importati", "Utilità", "«Importa»")
	noKey := cns
	noKey.HasKey = false
	want(t, store(firma, noKey), check.Warn, check.NodeInstallStep6, "senza il collegamento", "Ripeti l'importazione")
	// No device: nothing to look for.
	f := &station.Facts{GOOS: "windows", CertStores: &station.CertStores{Windows: &station.WindowsStore{Certificates: []station.StoreCert{other}}}}
	want(t, judgeSoft(t, check.StationInput{Station: f})[check.WorkstationCertStore], check.Skip, "", "nessun dispositivo letto", "1 certificato")
	f.CertStores.Windows.Error = "archivio personale dei certificati non apribile"
	want(t, judgeSoft(t, check.StationInput{Station: f})[check.WorkstationCertStore], check.Error, "")
}

func nss(path string, libs ...string) station.NSSDB {
	db := station.NSSDB{Path: path, Format: "sql", Modules: []station.NSSModule{{Name: "NSS Internal PKCS #11 Module"}}}
	for _, l := range libs {
		db.Modules = append(db.Modules, station.NSSModule{Name: "m", Library: l})
	}
	return db
}

func linuxFacts(shared station.NSSDB, profiles ...station.FirefoxProfile) *station.Facts {
	return &station.Facts{GOOS: "linux",
		CertStores: &station.CertStores{NSS: []station.NSSDB{shared}},
		Browsers:   &station.Browsers{Installed: []station.Browser{{ID: "firefox", Name: "Mozilla Firefox"}, {ID: "chromium", Name: "Chromium"}}, Firefox: profiles}}
}

func TestCertStoreAndBrowsersLinux(t *testing.T) {
	dev := newDevice(t)
	mods := []token.Module{dev.mod}
	run := func(f *station.Facts, mods []token.Module) map[string]check.Result {
		return judgeSoft(t, check.StationInput{Station: f, Modules: mods})
	}
	lib := dev.mod.Path
	good := station.FirefoxProfile{Name: "default-release", NSS: nss("/p/a", "/other/place/libbit4xpki.so")}
	bad := station.FirefoxProfile{Name: "lavoro\x1b[1m", NSS: nss("/p/b", "/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-trust.so")}
	rs := run(linuxFacts(nss("/home/u/.pki/nssdb", lib), good), mods)
	want(t, rs[check.WorkstationCertStore], check.Pass, "", "registrato in tutti i browser (2 archivi)")
	want(t, rs[check.WorkstationBrowsers], check.Pass, "", "Mozilla Firefox, Chromium", "Firefox vede il dispositivo in 1 profilo")

	rs = run(linuxFacts(nss("/home/u/.pki/nssdb"), good, bad), mods)
	want(t, rs[check.WorkstationCertStore], check.Warn, check.NodeInstallFirefox, "Chrome e Chromium", `«lavoro\x1b[1m»`, "modutil", lib)
	r := rs[check.WorkstationBrowsers]
	want(t, r, check.Warn, check.NodeInstallFirefox, `Firefox non vede il dispositivo in 1 profilo: lavoro\x1b[1m`, "Dispositivi di sicurezza", lib)
	if r.Facts[check.FactFirefoxMissing] != `lavoro\x1b[1m` {
		t.Errorf("facts %v", r.Facts)
	}
	rs = run(linuxFacts(nss("/home/u/.pki/nssdb"), bad), mods)
	want(t, rs[check.WorkstationCertStore], check.Fail, check.NodeInstallFirefox, "Nessun browser")

	// p11-kit's proxy loads the modules of the p11-kit registry.
	viaKit := dev.mod
	viaKit.Source = token.SourceP11Kit
	rs = run(linuxFacts(nss("/home/u/.pki/nssdb", "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so"), good), []token.Module{viaKit})
	want(t, rs[check.WorkstationCertStore], check.Pass, "")

	// Unreadable and old databases are said, not counted as missing.
	broken := station.FirefoxProfile{Name: "rotto", Error: "cartella del profilo non leggibile", NSS: station.NSSDB{Format: "none"}}
	old := station.FirefoxProfile{Name: "vecchio", NSS: station.NSSDB{Format: "dbm"}}
	rs = run(linuxFacts(nss("/home/u/.pki/nssdb", lib), good, broken, old), mods)
	want(t, rs[check.WorkstationCertStore], check.Pass, "", "vecchio formato")
	want(t, rs[check.WorkstationBrowsers], check.Pass, "", "«rotto» (cartella del profilo non leggibile)")

	// No database at all (browsers never started): nothing to judge.
	none := linuxFacts(station.NSSDB{Path: "/home/u/.pki/nssdb", Format: "none"})
	want(t, run(none, mods)[check.WorkstationCertStore], check.Skip, "", "non sono ancora stati avviati")
	// No working driver: not verifiable.
	want(t, run(linuxFacts(nss("/home/u/.pki/nssdb", lib), good), nil)[check.WorkstationCertStore], check.Skip, "", "nessun driver")
	// No browser.
	nob := &station.Facts{GOOS: "linux", Browsers: &station.Browsers{}}
	want(t, run(nob, mods)[check.WorkstationBrowsers], check.Skip, "", "Nessun browser trovato")
}

func TestBrowsersWindowsOSClientCerts(t *testing.T) {
	dev := newDevice(t)
	imported := []station.StoreCert{
		{SHA256: fingerprint(dev.der["firma"]), HasKey: true},
		{SHA256: fingerprint(dev.der["cns"]), HasKey: true},
	}
	facts := func(store []station.StoreCert, profiles ...station.FirefoxProfile) *station.Facts {
		return &station.Facts{GOOS: "windows",
			CertStores: &station.CertStores{Windows: &station.WindowsStore{Store: "MY", Certificates: store}},
			Browsers:   &station.Browsers{Installed: []station.Browser{{ID: "edge", Name: "Microsoft Edge"}, {ID: "firefox", Name: "Mozilla Firefox"}}, Firefox: profiles}}
	}
	run := func(f *station.Facts) check.Result {
		return judgeSoft(t, check.StationInput{Station: f, Modules: []token.Module{dev.mod}})[check.WorkstationBrowsers]
	}
	plain := station.FirefoxProfile{Name: "default-release", NSS: nss(`C:\p`)}
	off := plain
	off.OSClientCerts = "off"
	// Firefox uses the certificates imported in Windows unless told not to.
	want(t, run(facts(imported, plain)), check.Pass, "", "usa i certificati importati nel sistema")
	want(t, run(facts(imported, off)), check.Warn, check.NodeInstallFirefox, "security.osclientcerts.autoload")
	want(t, run(facts(nil, plain)), check.Warn, check.NodeInstallFirefox, "driver non caricato")
	loaded := station.FirefoxProfile{Name: "p", NSS: nss(`C:\p`, `C:\Windows\System32\BIT4XPKI.DLL`)}
	win := dev.mod
	win.Path = `C:\Windows\System32\bit4xpki.dll`
	r := judgeSoft(t, check.StationInput{Station: facts(nil, loaded), Modules: []token.Module{win}})[check.WorkstationBrowsers]
	want(t, r, check.Pass, "", "driver caricato")
}

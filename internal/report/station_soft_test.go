package report

import (
	"bufio"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/station"
)

func TestStationSoftLines(t *testing.T) {
	evil := "\x1b]0;pwned\x07\u202eDike"
	f := &station.Facts{GOOS: "windows",
		Software: &station.Software{Sources: []string{"HKLM (64 bit)", "HKCU"}, Scanned: 87,
			Obsolete: []station.Program{{Product: "dike", Name: evil, Version: "5.1", Scope: station.ScopeMachine32, Source: "HKLM (32 bit)"}},
			GoSign:   []station.Program{{Product: "gosign", Name: "GoSign Desktop", Version: "2.1.2", Scope: station.ScopeUser, Source: "HKCU"}},
			Drivers:  []station.Program{},
			DriverFiles: []station.DriverFile{
				{Product: "xpki", Path: `C:\Windows\System32\bit4xpki.dll`, Found: true, Arch: "x86-64", Version: "1.4.10.598"},
				{Product: "xpki", Path: `C:\Windows\SysWOW64\bit4xpki.dll`},
			}},
		CertStores: &station.CertStores{Windows: &station.WindowsStore{Store: "MY", Certificates: []station.StoreCert{
			{SHA256: "ab", Subject: "RSSMRA80A01H501U/1234\x1b[2J", Issuer: "InfoCert", NotAfter: time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC), HasKey: true, Provider: "Bit4id"},
			{SHA256: "cd", Subject: "root"},
		}}},
		Browsers: &station.Browsers{Installed: []station.Browser{{ID: "edge", Name: "Microsoft Edge"}},
			Firefox: []station.FirefoxProfile{{Name: "default-release" + evil, Default: true, LastVersion: "128.0",
				NSS: station.NSSDB{Format: "sql", Modules: []station.NSSModule{{Name: "NSS Internal"}, {Name: "Bit4id", Library: `C:\Windows\System32\bit4xpki.dll`}}}, OSClientCerts: "off"}}},
	}
	var b strings.Builder
	tw := &textWriter{w: bufio.NewWriter(&b)}
	tw.stationSoft(f)
	tw.w.Flush()
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("raw control characters:\n%q", out)
	}
	for _, want := range []string{
		"Programmi di firma (letti da: HKLM (64 bit), HKCU; 87 programmi esaminati)",
		"GoSign Desktop: GoSign Desktop 2.1.2 (solo per questo utente, HKCU)",
		`Obsoleto: \x1b]0;pwned\x07\u{202e}Dike 5.1 (per tutti gli utenti, 32 bit, HKLM (32 bit))`,
		"Driver: né Bit4id xPKI né SafeDive trovati",
		`File del driver C:\Windows\System32\bit4xpki.dll: presente, x86-64, versione 1.4.10.598`,
		`File del driver C:\Windows\SysWOW64\bit4xpki.dll: assente`,
		"Archivio personale dei certificati di Windows (MY): 2 certificati, 1 collegati a una chiave",
		"scadenza 01/05/2027, chiave: Bit4id",
		"Browser: Microsoft Edge",
		`(predefinito, Firefox 128.0): Bit4id (C:\Windows\System32\bit4xpki.dll); certificati del sistema: disattivati`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	tw.stationSoft(nil) // nothing gathered: nothing written, no panic
}

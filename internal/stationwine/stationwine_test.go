//go:build linux

// Package stationwine_test runs the Windows half of the workstation facts
// under Wine (internal/winetest): sportello.exe, cross-built, reads the
// smart-card service through winscard.dll, the service manager, SetupAPI
// and the registry of a private Wine prefix.
//
// What Wine can show: winscard.dll without a Smart Card service behind it
// (Wine has no SCardSvr: SCardEstablishContext answers
// SCARD_F_INTERNAL_ERROR) and the service manager saying the service does
// not exist; the pending-restart markers and the time service's settings
// as the test writes them with `reg add`; SetupAPI answering with no USB
// device. What it cannot: a running Smart Card service with readers and
// cards, real USB devices with their problem codes (28: no driver), the
// Windows Time service running. Those paths are the same portable code
// as on Linux after the reading (station.newReader, the checks), which
// the Linux tests cover with the real pcscd.
package stationwine_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/winetest"
)

func TestMain(m *testing.M) { os.Exit(winetest.Main(m)) }

type report struct {
	Workstation *station.Facts `json:"workstation"`
	Checks      []check.Result `json:"checks"`
}

func (r report) check(name string) check.Result {
	for _, c := range r.Checks {
		if c.Check == name {
			return c
		}
	}
	return check.Result{}
}

func diagnose(t *testing.T, p *winetest.Prefix) report {
	t.Helper()
	res := p.Run(t, winetest.RunOptions{Args: []string{"diagnose", "--format", "json"}})
	var r report
	if err := json.Unmarshal([]byte(res.Stdout), &r); err != nil || r.Workstation == nil {
		t.Fatalf("diagnose under Wine: exit %d, %v\n%s\n%s", res.ExitCode, err, res.Stdout, res.Stderr)
	}
	if r.Workstation.GOOS != "windows" {
		t.Errorf("os %q", r.Workstation.GOOS)
	}
	return r
}

// TestSmartCardServiceAbsent: Wine's winscard.dll has no service behind
// it and the service manager has no SCardSvr: told as a missing service.
func TestSmartCardServiceAbsent(t *testing.T) {
	p := winetest.Get(t)
	res := p.Run(t, winetest.RunOptions{Args: []string{"__pcsc"}})
	var raw station.PCSC
	if err := json.Unmarshal([]byte(res.Stdout), &raw); err != nil {
		t.Fatalf("__pcsc under Wine: %v\n%s\n%s", err, res.Stdout, res.Stderr)
	}
	if raw.Library != "winscard.dll" || raw.Status == station.PCSCOK || raw.Call != "SCardEstablishContext" || raw.Code == "" {
		t.Errorf("winscard under Wine: %+v", raw)
	}
	if !strings.Contains(res.Stderr, "sportello-probe: call SCardEstablishContext") {
		t.Errorf("no trace of the call on stderr: %q", res.Stderr)
	}

	r := diagnose(t, p)
	pc := r.Workstation.PCSC
	if pc == nil || pc.Service == nil || pc.Service.Name != "SCardSvr" || pc.Service.State != "not_installed" {
		t.Fatalf("pcsc %+v, service %+v", pc, pc.Service)
	}
	c := r.check(check.WorkstationPCSC)
	if c.Status != check.Fail || c.Node != check.NodePCSCService || c.Title != "Il servizio delle smart card non è installato" || !strings.Contains(c.Detail, "SCardSvr") {
		t.Errorf("workstation.pcsc %+v", c)
	}
	if c.Facts[check.FactPCSCStatus] != "non installato" {
		t.Errorf("facts %v", c.Facts)
	}
	// SetupAPI answers, with no USB device in a Wine prefix.
	if u := r.Workstation.USB; u == nil || u.Error != "" || len(u.Devices) != 0 {
		t.Errorf("usb %+v", u)
	}

	text := p.Run(t, winetest.RunOptions{Args: []string{"diagnose"}}).Stdout
	for _, want := range []string{
		"✗ Servizio delle smart card: non installato (winscard.dll)\n  Servizio Windows «Smart Card» (SCardSvr): non presente\n",
		"✗ Il servizio delle smart card non è installato\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

// TestRebootMarkers: the markers Windows writes, written by the test with
// `reg add` (and removed after); the files waiting for the restart are
// named, and hostile text in them is escaped in the text report.
func TestRebootMarkers(t *testing.T) {
	p := winetest.Get(t)
	r := diagnose(t, p)
	if rb := r.Workstation.Reboot; rb == nil || rb.Pending != "no" || len(rb.Markers) != 4 {
		t.Fatalf("a fresh prefix: %+v", rb)
	}
	if c := r.check(check.WorkstationReboot); c.Status != check.Pass {
		t.Errorf("workstation.reboot %+v", c)
	}

	p.RegAdd(t, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired`, "", "REG_SZ", "")
	r = diagnose(t, p)
	rb := r.Workstation.Reboot
	if rb.Pending != "yes" || !rb.Markers[1].Found || rb.Markers[0].Found {
		t.Errorf("RebootRequired: %+v", rb)
	}
	if c := r.check(check.WorkstationReboot); c.Status != check.Warn || c.Node != check.NodeReboot || !strings.Contains(c.Detail, `WindowsUpdate\Auto Update\RebootRequired`) {
		t.Errorf("workstation.reboot %+v", c)
	}

	// Two renames, pairs of source and target: a driver to replace, and a
	// source with a bidi override in its name (Wine's reg refuses control
	// characters, and empty strings inside a REG_MULTI_SZ).
	p.RegAdd(t, `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager`, "PendingFileRenameOperations", "REG_MULTI_SZ",
		`\??\C:\windows\temp\bit4xpki.dll\0\??\C:\windows\system32\bit4xpki.dll\0\??\C:\windows\temp\`+"evil\u202egpj.dll"+`\0\??\C:\windows\temp\x.dll`)
	r = diagnose(t, p)
	rb = r.Workstation.Reboot
	if !rb.Markers[2].Found || len(rb.Items) != 2 || rb.Items[0] != "bit4xpki.dll" || rb.Items[1] != "evil\u202egpj.dll" {
		t.Errorf("PendingFileRenameOperations: %+v", rb)
	}
	if c := r.check(check.WorkstationReboot); !strings.Contains(c.Detail, `File da sostituire al riavvio: bit4xpki.dll, evil\u{202e}gpj.dll`) {
		t.Errorf("workstation.reboot %+v", c)
	}
	text := p.Run(t, winetest.RunOptions{Args: []string{"diagnose"}}).Stdout
	if strings.ContainsAny(text, "\x1b\u202e") || !strings.Contains(text, "! Riavvio in sospeso: sì\n") || !strings.Contains(text, `    - evil\u{202e}gpj.dll`) {
		t.Errorf("text:\n%s", text)
	}
}

// TestTimeService: Wine has no W32Time, so the clock is "unknown" (never
// guessed synchronised) until the settings say automatic time is off.
func TestTimeService(t *testing.T) {
	p := winetest.Get(t)
	r := diagnose(t, p)
	c := r.Workstation.Clock
	if c == nil || c.Source != "w32time" || c.Service == nil || c.Service.State != "not_installed" || c.Sync != "unknown" {
		t.Fatalf("clock %+v", c)
	}
	if res := r.check(check.WorkstationClock); res.Status != check.Skip {
		t.Errorf("workstation.clock %+v", res)
	}
	p.RegAdd(t, `HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters`, "Type", "REG_SZ", "NoSync")
	r = diagnose(t, p)
	if c := r.Workstation.Clock; c.Sync != "unsynced" || c.NTPType != "NoSync" || !strings.Contains(c.Detail, "sincronizzazione automatica: NoSync") {
		t.Errorf("NoSync: %+v", c)
	}
	if res := r.check(check.WorkstationClock); res.Status != check.Warn || !strings.Contains(res.Remedy, "Imposta automaticamente l'ora") {
		t.Errorf("workstation.clock %+v", res)
	}
}

package report_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/report"
	"github.com/sportello/sportello/internal/station"
)

// withWorkstation adds workstation facts to the sample report, as diag
// does, with a hostile reader name and card description.
func withWorkstation(t *testing.T) (*diag.Report, *station.Facts) {
	r := sample(t, false)
	f := &station.Facts{GOOS: "linux",
		PCSC: &station.PCSC{Status: station.PCSCOK, Library: "libpcsclite.so.1", Readers: []station.Reader{
			{Name: "Lettore \x1b[2J\u202eevil 00 00", CardPresent: true, ATR: "3B 02 14 50", Card: &station.Card{Name: "Carta \x1b]0;x\x07", Kind: "other", Source: "/usr/share/pcsc/smartcard_list.txt"}},
			{Name: "Virtual PCD 00 01"},
		}},
		USB:    &station.USB{Devices: []station.USBDevice{{VendorID: "25dd", ProductID: "2351", Vendor: "Bit4id", Product: "Digital DNA Key", CCID: true}}},
		Reboot: &station.Reboot{Pending: "yes", Markers: []station.RebootMarker{{Source: "/run/reboot-required", Found: true}}, Items: []string{"libc6"}},
		Clock:  &station.Clock{Sync: "unsynced", Source: "adjtimex", Detail: "TIME_ERROR, STA_UNSYNC"},
	}
	r.Workstation = f
	r.Checks = append(r.Checks, check.StationChecks(check.StationInput{Station: f, Modules: r.Modules})...)
	return r, f
}

func TestTextWorkstation(t *testing.T) {
	r, _ := withWorkstation(t)
	out := render(t, "text", r, report.Options{})
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("raw control characters:\n%q", out)
	}
	for _, want := range []string{
		"Postazione\n----------\n",
		"✓ Servizio delle smart card: attivo (libpcsclite.so.1), 2 lettori\n",
		"  Lettore «Lettore \\x1b[2J\\u{202e}evil 00 00»: carta inserita\n    ATR 3B 02 14 50\n    Carta: Carta \\x1b]0;x\\x07\n",
		"  Lettore «Virtual PCD 00 01»: vuoto\n",
		"  USB: Bit4id Digital DNA Key (25dd:2351), interfaccia smart card\n",
		"! Riavvio in sospeso: sì\n    /run/reboot-required\n    - libc6\n",
		"! Orologio: non sincronizzato (adjtimex: TIME_ERROR, STA_UNSYNC)\n",
		"Lettori, USB, riavvio e orologio\n--------------------------------\n",
		"! Il sistema chiede di riavviare il computer\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "  USB: Bit4id 25dd:2351") {
		t.Errorf("USB devices listed twice:\n%s", out)
	}
	// Without the workstation: no section, no empty groups.
	plain := render(t, "text", sample(t, false), report.Options{})
	if strings.Contains(plain, "Postazione") || strings.Contains(plain, "Lettori, USB") {
		t.Errorf("workstation shown without facts:\n%s", plain)
	}
}

func TestJSONWorkstation(t *testing.T) {
	r, _ := withWorkstation(t)
	var got struct {
		Workstation struct {
			OS   string `json:"os"`
			PCSC struct {
				Status  string `json:"status"`
				Readers []struct {
					Name string `json:"name"`
					ATR  string `json:"atr"`
				} `json:"readers"`
			} `json:"pcsc"`
			Reboot struct {
				Pending string `json:"pending"`
			} `json:"reboot"`
		} `json:"workstation"`
		USB    []map[string]any `json:"usb_devices"`
		Checks []check.Result   `json:"checks"`
	}
	out := render(t, "json", r, report.Options{})
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	w := got.Workstation
	if w.OS != "linux" || w.PCSC.Status != "ok" || len(w.PCSC.Readers) != 2 || w.PCSC.Readers[0].Name != "Lettore \x1b[2J\u202eevil 00 00" || w.Reboot.Pending != "yes" {
		t.Errorf("workstation %+v", w)
	}
	if !strings.Contains(out, `\u001b[2J`) {
		t.Error("the escape is not escaped in JSON")
	}
	names := map[string]bool{}
	for _, c := range got.Checks {
		names[c.Check] = true
	}
	for _, n := range []string{check.WorkstationPCSC, check.WorkstationUSB, check.WorkstationReboot, check.WorkstationClock} {
		if !names[n] {
			t.Errorf("%s missing from checks", n)
		}
	}
}

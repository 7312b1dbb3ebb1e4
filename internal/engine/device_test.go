package engine

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/internal/check"
)

var (
	devOld = check.Device{Module: "/usr/lib/libbit4xpki.so", Slot: 1, Serial: "OLD00001", Label: "Vecchia", Holder: "MARIO ROSSI"}
	devNew = check.Device{Module: "/usr/lib/libbit4xpki.so", Slot: 2, Serial: "NEW00002", Label: "Nuova", Holder: "MARIO ROSSI"}
)

// twoDevices is one probe finding an old device with an expired
// certificate and a new one that works.
func twoDevices() []check.Result {
	res := func(name string, st check.Status, d check.Device, facts map[string]string) check.Result {
		f := map[string]string{check.FactTokenLabel: d.Label, check.FactTokenSerial: d.Serial, check.FactModulePath: d.Module}
		for k, v := range facts {
			f[k] = v
		}
		dd := d
		return check.Result{Check: name, Status: st, Title: name + " " + d.Label, Device: &dd, Facts: f}
	}
	oldCert := map[string]string{check.FactCertStatus: "scaduto", check.FactCertNotAfter: "05/09/2026", check.FactCertHolder: "MARIO ROSSI"}
	newCert := map[string]string{check.FactCertStatus: "valido", check.FactCertNotAfter: "01/01/2029", check.FactCertHolder: "MARIO ROSSI"}
	return []check.Result{
		{Check: check.TokenModule, Status: check.Pass, Title: "Driver caricato", Facts: map[string]string{check.FactModulePath: devOld.Module}},
		res(check.TokenPresent, check.Pass, devOld, oldCert), res(check.TokenPresent, check.Pass, devNew, newCert),
		res(check.TokenPIN, check.Pass, devOld, oldCert), res(check.TokenPIN, check.Pass, devNew, newCert),
		res(check.TokenCertificate, check.Fail, devOld, oldCert), res(check.TokenCertificate, check.Pass, devNew, newCert),
	}
}

func TestDeviceQuestionAndChoice(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "inizio"}))
	// uno:controllo is a token.present check node.
	must(t, e.Jump(Ref{"uno", "controllo"}))
	if got := e.CheckNames(); len(got) != len(check.TokenCheckNames) {
		t.Errorf("CheckNames %v: a token check node runs every token check", got)
	}
	if _, choices := e.Resolve(twoDevices()[:2]); choices != nil {
		t.Error("one device: nothing to ask")
	}
	_, choices := e.Resolve(twoDevices())
	if len(choices) != 2 {
		t.Fatalf("choices %+v", choices)
	}
	if choices[0].Line() != "«Vecchia» (MARIO ROSSI) — il certificato di firma è scaduto il 05/09/2026" ||
		choices[1].Line() != "«Nuova» (MARIO ROSSI) — "+NoProblem {
		t.Errorf("lines %q / %q", choices[0].Line(), choices[1].Line())
	}
	if e.Device() != nil {
		t.Error("a device is chosen before the user chose")
	}
	if err := e.ChooseDevice("nessuno"); err == nil {
		t.Error("an unknown device was chosen")
	}
	must(t, e.ChooseDevice(devNew.Key()))
	if d := e.Device(); d == nil || d.Key() != devNew.Key() {
		t.Fatalf("Device() = %+v", d)
	}
	r, choices := e.Resolve(twoDevices())
	if choices != nil || r.Device == nil || r.Device.Label != "Nuova" {
		t.Fatalf("resolved %+v %v", r, choices)
	}
	must(t, e.Outcome(r))
	if e.Facts()[check.FactTokenLabel] != "Nuova" || e.Facts()[check.FactCertStatus] != "valido" {
		t.Errorf("facts %v", e.Facts())
	}

	// The summary lists both devices, the one followed marked.
	lines := e.DevicesLines()
	if len(lines) != 2 || !strings.Contains(lines[0], "«Vecchia» (MARIO ROSSI): il certificato di firma è scaduto") ||
		!strings.HasSuffix(lines[1], "(quello seguito in questo percorso)") {
		t.Errorf("devices lines %q", lines)
	}
	md := e.Markdown(false)
	for _, want := range []string{"## Dispositivi trovati (2)", "- «Vecchia» (MARIO ROSSI): il certificato di firma è scaduto", "(dispositivo «Nuova» (MARIO ROSSI))"} {
		if !strings.Contains(md, want) {
			t.Errorf("transcript lacks %q:\n%s", want, md)
		}
	}
	// Both serials are masked in a redacted summary, not only the followed one's.
	red := e.Markdown(true)
	if strings.Contains(red, "OLD00001") || strings.Contains(red, "NEW00002") {
		t.Errorf("redacted transcript leaks a serial:\n%s", red)
	}

	// A new walk asks again.
	must(t, e.Start(Ref{"uno", "inizio"}))
	if e.Device() != nil || e.DevicesFound() != nil {
		t.Error("the device choice outlives its walk")
	}
}

// Facts never mix two devices: a device's facts replace another's.
func TestFactsFollowTheDevice(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "controllo"}))
	all := twoDevices()
	old := all[5] // the old device's certificate: expired
	must(t, e.Outcome(old))
	if e.Facts()[check.FactCertStatus] != "scaduto" {
		t.Fatalf("facts %v", e.Facts())
	}
	must(t, e.Start(Ref{"uno", "controllo"}))
	r := all[2]
	delete(r.Facts, check.FactCertStatus) // the new device reports no certificate facts here
	must(t, e.Outcome(r))
	if v, ok := e.Facts()[check.FactCertStatus]; ok {
		t.Errorf("cert.status %q of the old device kept with the new one", v)
	}
	if e.Facts()[check.FactTokenLabel] != "Nuova" {
		t.Errorf("facts %v", e.Facts())
	}
}

// When the chosen device is gone, the question is asked again.
func TestChosenDeviceGone(t *testing.T) {
	e := New(loadGood(t))
	must(t, e.Start(Ref{"uno", "controllo"}))
	e.Resolve(twoDevices())
	must(t, e.ChooseDevice(devOld.Key()))
	third := twoDevices()
	for i := range third {
		if third[i].Device != nil && third[i].Device.Label == "Vecchia" {
			d := *third[i].Device
			d.Serial, d.Label = "THIRD003", "Terza"
			third[i].Device = &d
		}
	}
	if _, choices := e.Resolve(third); len(choices) != 2 {
		t.Errorf("choices %+v", choices)
	}
}

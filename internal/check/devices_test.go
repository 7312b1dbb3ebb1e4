package check_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/token"
	"github.com/sportello/sportello/internal/tokentest"
)

// byDevice groups results: check name -> device label -> result.
func byDevice(rs []check.Result) map[string]map[string]check.Result {
	out := map[string]map[string]check.Result{}
	for _, r := range rs {
		if out[r.Check] == nil {
			out[r.Check] = map[string]check.Result{}
		}
		label := ""
		if r.Device != nil {
			label = r.Device.Label
		}
		out[r.Check][label] = r
	}
	return out
}

func serial(t *token.Token, s string) *token.Token { t.Serial = s; return t }

// Every initialised device is judged, each result names its device, and
// the order is that of the checks, then of the devices.
func TestEveryDeviceIsJudged(t *testing.T) {
	old := serial(tok("Vecchia", initialised|token.FlagUserPINLocked, cert(t, "firma", tokentest.Signature, days(-90))), "OLD1")
	renewed := serial(tok("Nuova", initialised, cert(t, "firma", tokentest.Signature, days(11)), cert(t, "cns", tokentest.CNS, days(11))), "NEW2")
	blank := tok("", token.FlagRNG|token.FlagLoginRequired) // a free slot: listed, not judged
	rs := check.TokenChecks(check.TokenInput{Modules: []token.Module{module(old, blank, renewed)}})

	want := []string{"token.module"}
	for _, name := range check.TokenCheckNames[1:] {
		want = append(want, name+"/Vecchia", name+"/Nuova")
	}
	var got []string
	for _, r := range rs {
		s := r.Check
		if r.Device != nil {
			s += "/" + r.Device.Label
		}
		got = append(got, s)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("results\n%v\nwant\n%v", got, want)
	}
	if rs[0].Device != nil {
		t.Errorf("token.module is about no device: %+v", rs[0].Device)
	}
	r := byDevice(rs)
	expect(t, r[check.TokenPresent]["Vecchia"], check.Pass, "", "«Vecchia»")
	expect(t, r[check.TokenPIN]["Vecchia"], check.Fail, check.NodePINLocked, "«Vecchia»")
	expect(t, r[check.TokenPIN]["Nuova"], check.Pass, "", "«Nuova»")
	expect(t, r[check.TokenCertificate]["Vecchia"], check.Fail, check.NodeCertExpired, "scaduto", "dispositivo «Vecchia»")
	expect(t, r[check.TokenCertificate]["Nuova"], check.Warn, check.NodeCertExpiring, "scade tra 11 giorni", "dispositivo «Nuova»")
	expect(t, r[check.TokenCNS]["Vecchia"], check.Skip, "")
	expect(t, r[check.TokenCNS]["Nuova"], check.Warn, check.NodeCNS)

	d := r[check.TokenPIN]["Vecchia"].Device
	if d.Module != "/usr/lib/libbit4xpki.so" || d.Slot != 1 || d.Serial != "OLD1" || d.Holder != "MARIO ROSSI" {
		t.Errorf("device %+v", d)
	}
	if k := r[check.TokenPIN]["Nuova"].Device.Key(); k == d.Key() || k != "/usr/lib/libbit4xpki.so|serial:NEW2" {
		t.Errorf("keys %q and %q", d.Key(), k)
	}
	if det := r[check.TokenPIN]["Nuova"].Detail; !strings.HasPrefix(det, "Dispositivo «Nuova» di MARIO ROSSI, slot 3 di libbit4xpki.so.") {
		t.Errorf("detail %q does not name the device first", det)
	}
	// Facts are each device's own; token.module carries only the module.
	if f := r[check.TokenPIN]["Vecchia"].Facts; f[check.FactTokenLabel] != "Vecchia" || f[check.FactCertStatus] != "scaduto" || f[check.FactPINState] != "bloccato" {
		t.Errorf("facts of Vecchia %v", f)
	}
	if f := r[check.TokenCertificate]["Nuova"].Facts; f[check.FactTokenLabel] != "Nuova" || f[check.FactCertDaysLeft] != "11" || f[check.FactCNSStatus] != "in scadenza" {
		t.Errorf("facts of Nuova %v", f)
	}
	if f := rs[0].Facts; len(f) != 1 || f[check.FactModulePath] == "" {
		t.Errorf("token.module facts %v", f)
	}
}

// With one device nothing changes: no device named in the titles, and
// every result carries the device's facts, token.module too.
func TestOneDeviceReadsAsBefore(t *testing.T) {
	rs := check.TokenChecks(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised, cert(t, "firma", tokentest.Signature, days(200))))}})
	if len(rs) != len(check.TokenCheckNames) {
		t.Fatalf("%d results", len(rs))
	}
	for _, r := range rs {
		if strings.Contains(r.Title, "— dispositivo") || strings.HasPrefix(r.Detail, "Dispositivo «") {
			t.Errorf("%s names the device as if there were several: %q / %q", r.Check, r.Title, r.Detail)
		}
		if r.Facts[check.FactTokenLabel] != "Firma" {
			t.Errorf("%s facts %v", r.Check, r.Facts)
		}
		if (r.Device == nil) != (r.Check == check.TokenModule) {
			t.Errorf("%s device %+v", r.Check, r.Device)
		}
	}
}

// Two devices with the same label are told apart by their serial number.
func TestSameLabelsAreToldApart(t *testing.T) {
	rs := check.TokenChecks(check.TokenInput{Modules: []token.Module{module(
		serial(tok("CNS", initialised), "1111"), serial(tok("CNS", initialised|token.FlagUserPINFinalTry), "2222"))}})
	r := byDevice(rs)
	_ = r
	var titles []string
	for _, res := range check.Of(rs, check.TokenPIN) {
		titles = append(titles, res.Title)
	}
	if len(titles) != 2 || !strings.Contains(titles[0], "«CNS» n. 1111") || !strings.Contains(titles[1], "«CNS» n. 2222") {
		t.Errorf("titles %q", titles)
	}
}

// A device that does not answer beside a working one is judged too: its
// presence is an error, its other checks cannot run.
func TestUnreadDeviceBesideAWorkingOne(t *testing.T) {
	m := module(tok("Firma", initialised))
	m.Slots = append(m.Slots, token.Slot{ID: 9, TokenPresent: true, Error: token.NewCallError("C_GetTokenInfo", 0x30, "")})
	rs := check.TokenChecks(check.TokenInput{Modules: []token.Module{m}})
	present := check.Of(rs, check.TokenPresent)
	if len(present) != 2 {
		t.Fatalf("present results %+v", present)
	}
	expect(t, present[0], check.Pass, "", "«Firma»")
	expect(t, present[1], check.Error, check.NodeNotRecognised, "slot 9 non risponde")
	if d := present[1].Device; d == nil || d.Slot != 9 || d.Key() != "/usr/lib/libbit4xpki.so|slot:9" {
		t.Errorf("device %+v", d)
	}
	pin := check.Of(rs, check.TokenPIN)
	expect(t, pin[1], check.Skip, "", "il dispositivo nello slot 9 non risponde")
}

// Unreadable is not missing: a certificate listed by the driver whose value
// cannot be read (an error, an absurd length, garbage) makes the
// certificate checks an error with a driver remedy, never "no
// certificate, new issue".
func TestUnreadableIsNotMissing(t *testing.T) {
	garbage := token.ParseCertificate("firma", []byte{1}, []byte("\x30\x82garbage"), time.Now(), 30)
	notReturned := token.Certificate{Label: "cns", ID: "02", Usage: token.UsageOther, Unreadable: true,
		ParseError: "il driver dichiara un valore di 2147483648 byte, più di qualsiasi certificato: non è stato letto"}
	for _, certs := range [][]token.Certificate{{garbage}, {notReturned}, {garbage, notReturned}} {
		r := results(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised, certs...))}})
		for _, name := range []string{check.TokenCertificate, check.TokenCNS} {
			res := r[name]
			expect(t, res, check.Error, check.NodeInstall, "il driver non restituisce il certificato")
			for _, s := range []string{res.Title, res.Detail, res.Remedy} {
				if strings.Contains(s, "nuova emissione") || strings.Contains(s, "Nessun certificato") {
					t.Errorf("%s misleads: %q", name, s)
				}
			}
			if !strings.Contains(res.Remedy, "reinstalla il driver") || !strings.Contains(res.Remedy, "altro computer") {
				t.Errorf("%s remedy %q", name, res.Remedy)
			}
		}
	}
	// A certificate of another type (not X.509) is not unreadable: the
	// signature certificate is missing.
	other := token.Certificate{Label: "wtls", Usage: token.UsageOther, ParseError: "certificato non X.509"}
	r := results(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised, other))}})
	expect(t, r[check.TokenCertificate], check.Fail, check.NodeCertExpired, "Nessun certificato di firma")
	// A readable signature certificate beside an unreadable one is judged,
	// and the unreadable one is said.
	r = results(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised, cert(t, "firma", tokentest.Signature, days(300)), garbage))}})
	expect(t, r[check.TokenCertificate], check.Pass, "")
	if !strings.Contains(r[check.TokenCertificate].Detail, "non è leggibile") {
		t.Errorf("detail %q", r[check.TokenCertificate].Detail)
	}
	// An endless object search is the driver's fault, not the port's.
	tk := tok("Firma", initialised)
	tk.CertificatesError = token.BadAnswer("C_FindObjects", "la ricerca dei certificati non finisce")
	r = results(check.TokenInput{Modules: []token.Module{module(tk)}})
	expect(t, r[check.TokenCertificate], check.Error, check.NodeNotRecognised, "Impossibile leggere i certificati")
	if !strings.Contains(r[check.TokenCertificate].Remedy, "reinstalla il driver") || strings.Contains(r[check.TokenCertificate].Remedy, "porta USB") {
		t.Errorf("remedy %q", r[check.TokenCertificate].Remedy)
	}
}

// Names without holes: a CNS certificate with no name takes the holder
// from the signature certificate with the same codice fiscale; with none,
// "titolare non indicato"; a device without a label is named by its slot.
func TestNamesWithoutHoles(t *testing.T) {
	anon := func(cf string, notAfter time.Time) token.Certificate {
		der := tokentest.NewCert(t, tokentest.CertSpec{Kind: tokentest.CNS, CF: cf, NoName: true, NotAfter: notAfter})
		return token.ParseCertificate("cns", []byte{2}, der, time.Now(), 30)
	}
	c := anon("RSSMRA80A01H501U", days(5))
	if c.Holder != "" || c.CodiceFiscale != "RSSMRA80A01H501U" {
		t.Fatalf("fixture: a CNS certificate without a name: %+v", c)
	}
	sig := cert(t, "firma", tokentest.Signature, days(300))
	r := results(check.TokenInput{Modules: []token.Module{module(tok("Firma", initialised, sig, c))}})
	if f := r[check.TokenCNS].Facts[check.FactCNSHolder]; f != "MARIO ROSSI" {
		t.Errorf("cns.holder %q, want the signature certificate's holder", f)
	}
	expect(t, r[check.TokenCNS], check.Warn, check.NodeCNS, "Il certificato CNS di MARIO ROSSI scade")

	other := anon("BNCGPP70B02F205Z", days(5)) // another person's codice fiscale
	r = results(check.TokenInput{Modules: []token.Module{module(tok("", initialised, sig, other))}})
	if f := r[check.TokenCNS].Facts[check.FactCNSHolder]; f != token.HolderUnknown {
		t.Errorf("cns.holder %q, want %q", f, token.HolderUnknown)
	}
	for _, res := range r {
		checkNoHoles(t, res)
	}
	expect(t, r[check.TokenPIN], check.Pass, "", "senza etichetta (slot 1)")
}

var holes = regexp.MustCompile(`«\s*»|\(\s*\)|,\s*,|:\s*,|\s,|,\s*$|\s\.|di\s*$|^\s|\s$|\s{2}`)

func checkNoHoles(t *testing.T, r check.Result) {
	t.Helper()
	for _, s := range []string{r.Title, r.Detail, r.Remedy} {
		if s != "" && holes.MatchString(s) {
			t.Errorf("%s: a hole in %q", r.Check, s)
		}
	}
	for k, v := range r.Facts {
		if strings.TrimSpace(v) == "" || holes.MatchString(v) {
			t.Errorf("%s: fact %s = %q", r.Check, k, v)
		}
	}
}

// No result of any state has a hole: an empty «», a dangling comma.
func TestNoHolesInAnyState(t *testing.T) {
	blank := &token.Token{Label: "   ", Serial: "", Flags: token.TokenFlags(initialised), Initialized: true,
		PIN: token.StateOK, PUK: token.StateUnknown, Certificates: []token.Certificate{}}
	unread := module()
	unread.Slots = []token.Slot{{ID: 4, TokenPresent: true, Error: token.NewCallError("C_GetTokenInfo", 0x30, "")}}
	inputs := []check.TokenInput{
		{},
		{Modules: []token.Module{module(blank)}},
		{Modules: []token.Module{module(blank, tok("Firma", initialised|token.FlagSOPINLocked, cert(t, "firma", tokentest.Signature, days(-3))))}},
		{Modules: []token.Module{unread}},
		{Modules: []token.Module{module(tok("", token.FlagRNG))}},
	}
	for _, in := range inputs {
		for _, r := range check.TokenChecks(in) {
			checkNoHoles(t, r)
		}
	}
}

// Within one report, devices are told apart by module and slot: masked
// serial numbers (--redact) may look alike.
func TestDevicesOfAReport(t *testing.T) {
	a := check.Device{Module: "/m.so", Slot: 1, Serial: "*****789", Label: "CNS"}
	b := check.Device{Module: "/m.so", Slot: 2, Serial: "*****789", Label: "CNS"}
	rs := []check.Result{{Check: check.TokenPIN, Device: &a}, {Check: check.TokenPIN, Device: &b}, {Check: check.TokenPUK, Device: &a}, {Check: check.TokenModule}}
	if d := check.Devices(rs); len(d) != 2 || d[0].Slot != 1 || d[1].Slot != 2 {
		t.Errorf("devices %+v", d)
	}
}

// Package checktest holds what the tests of the user interfaces share
// about checks: a runner that replays one probe, and a probe that finds
// two devices. The diagnostics themselves are tested against real tokens
// (package tokentest); these tests are about how a UI asks and follows.
package checktest

import (
	"context"
	"slices"

	"github.com/sportello/sportello/internal/check"
)

// Func is a check.Runner made of a function that answers for the one
// check of the UI fixtures (testdata/walk), token.present, once per probe;
// the other checks asked with it pass. A run of one other check asks f.
type Func func(ctx context.Context, name string) check.Result

// Run implements check.Runner.
func (f Func) Run(ctx context.Context, names []string, _ func(check.Result)) []check.Result {
	var out []check.Result
	for _, n := range names {
		if n == check.TokenPresent || len(names) == 1 {
			out = append(out, f(ctx, n))
		} else {
			out = append(out, check.Result{Check: n, Status: check.Pass, Title: "Controllo superato"})
		}
	}
	return out
}

// ProbeRunner is a check.Runner whose every run returns the results of one
// probe, those of the names asked.
type ProbeRunner func(ctx context.Context) []check.Result

// Run implements check.Runner.
func (f ProbeRunner) Run(ctx context.Context, names []string, _ func(check.Result)) []check.Result {
	var out []check.Result
	for _, r := range f(ctx) {
		if slices.Contains(names, r.Check) {
			out = append(out, r)
		}
	}
	return out
}

// Old and New are the two devices of TwoDevices.
var (
	Old = check.Device{Module: "/usr/lib/libbit4xpki.so", Slot: 1, Serial: "1111", Label: "Vecchia", Holder: "MARIO ROSSI"}
	New = check.Device{Module: "/usr/lib/libbit4xpki.so", Slot: 2, Serial: "2222", Label: "Nuova", Holder: "MARIO ROSSI"}
)

// TwoDevices is one probe that finds two devices: Old, whose PIN is locked
// and whose signature certificate expired, and New, which works.
func TwoDevices(context.Context) []check.Result {
	old, renewed := Old, New
	return []check.Result{
		{Check: check.TokenModule, Status: check.Pass, Title: "Driver caricato"},
		{Check: check.TokenPresent, Status: check.Pass, Title: "Dispositivo di firma presente: «Vecchia»", Device: &old,
			Facts: map[string]string{check.FactTokenLabel: "Vecchia"}},
		{Check: check.TokenPresent, Status: check.Pass, Title: "Dispositivo di firma presente: «Nuova»", Device: &renewed,
			Facts: map[string]string{check.FactTokenLabel: "Nuova"}},
		{Check: check.TokenPIN, Status: check.Fail, Title: "PIN del dispositivo «Vecchia» bloccato", Device: &old,
			Facts: map[string]string{check.FactPINState: "bloccato"}},
		{Check: check.TokenPIN, Status: check.Pass, Title: "PIN del dispositivo «Nuova» utilizzabile", Device: &renewed},
		{Check: check.TokenCertificate, Status: check.Fail, Title: "Il certificato di firma di MARIO ROSSI è scaduto", Device: &old,
			Facts: map[string]string{check.FactCertStatus: "scaduto", check.FactCertNotAfter: "05/09/2026"}},
		{Check: check.TokenCertificate, Status: check.Pass, Title: "Il certificato di firma di MARIO ROSSI è valido", Device: &renewed},
	}
}

// Live is a check.Runner that emits the results of one probe one by one,
// as the real runner does while it probes: the first Hold at once, then
// each of the rest after a receive from Gate (nil: at once). A cancelled
// ctx ends the run with what was emitted so far plus Error results.
type Live struct {
	Probe func(ctx context.Context) []check.Result
	Hold  int
	Gate  <-chan struct{}
}

// Run implements check.Runner.
func (l Live) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	var out []check.Result
	for i, r := range l.Probe(ctx) {
		if !slices.Contains(names, r.Check) {
			continue
		}
		if i >= l.Hold && l.Gate != nil {
			select {
			case <-l.Gate:
			case <-ctx.Done():
				return append(out, check.Result{Check: r.Check, Status: check.Error, Title: "Controllo annullato"})
			}
		}
		out = append(out, r)
		if emit != nil {
			emit(r)
		}
	}
	return out
}

// Firma is the device of OneDevice.
var Firma = check.Device{Module: "/usr/lib/libbit4xpki.so", Slot: 3, Serial: "3333", Label: "Firma Test", Holder: "MARIO ROSSI"}

// OneDevice is one probe of the six token checks that finds one device,
// «Firma Test», with a locked PIN and a signature certificate expiring in
// 12 days; the rest passes.
func OneDevice(context.Context) []check.Result {
	d := Firma
	facts := func(extra ...string) map[string]string {
		f := map[string]string{check.FactTokenLabel: d.Label, check.FactModulePath: d.Module}
		for i := 0; i+1 < len(extra); i += 2 {
			f[extra[i]] = extra[i+1]
		}
		return f
	}
	return []check.Result{
		{Check: check.TokenModule, Status: check.Pass, Title: "Driver del dispositivo di firma caricato: libbit4xpki.so", Facts: facts()},
		{Check: check.TokenPresent, Status: check.Pass, Title: "Dispositivo di firma presente: «Firma Test»", Device: &d, Facts: facts()},
		{Check: check.TokenPIN, Status: check.Fail, Title: "PIN del dispositivo «Firma Test» bloccato", Node: check.NodePINLocked, Device: &d,
			Detail: "Il PIN è bloccato dopo troppi tentativi errati.", Remedy: "Sblocca il PIN con il codice PUK, scegliendo un nuovo PIN.",
			Facts: facts(check.FactPINState, "bloccato")},
		{Check: check.TokenPUK, Status: check.Pass, Title: "PUK del dispositivo «Firma Test» utilizzabile", Device: &d, Facts: facts(check.FactPUKState, "utilizzabile")},
		{Check: check.TokenCertificate, Status: check.Warn, Title: "Il certificato di firma di MARIO ROSSI scade tra 12 giorni: rinnovalo prima della scadenza",
			Node: check.NodeCertExpiring, Device: &d, Detail: "Certificato di firma «firma» sul dispositivo «Firma Test», valido fino al 13/12/2026.",
			Remedy: "Contatta l'ufficio per il rinnovo prima del 13/12/2026.",
			Facts:  facts(check.FactCertDaysLeft, "12", check.FactCertNotAfter, "13/12/2026", check.FactCertStatus, "in scadenza")},
		{Check: check.TokenCNS, Status: check.Pass, Title: "Il certificato CNS di MARIO ROSSI è valido fino al 01/06/2028 (548 giorni)", Device: &d, Facts: facts()},
	}
}

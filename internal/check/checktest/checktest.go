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

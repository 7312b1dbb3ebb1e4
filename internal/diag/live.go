package diag

import (
	"slices"
	"sync"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/token"
)

// live tells the results of a diagnosis as soon as each is known, for the
// self-check that fills in while the probe runs (Runner.Run's emit). A
// result is known once everything its judgement reads is: the token checks
// read the modules and the smart-card service, USB, restart and clock
// parts of the workstation (the triage of token.present, the clock's hint,
// the facts every such result carries); so do the checks of those parts;
// the software, certificate-store and browser checks read their three
// parts besides. So the token checks and the smart-card block come as soon
// as the modules and those four parts are in, the software block once its
// parts are, and a part that is never gathered (not on this system) holds
// its checks back to the end of the diagnosis. What live sends is judged
// from a copy of the facts that holds every part it reads: the same as
// the report's (TestLiveMatchesReport).
type live struct {
	emit      func(check.Result)
	names     []string // the checks asked
	minGoSign string

	mu       sync.Mutex
	mods     []token.Module    // once every module is probed
	usb      []token.USBDevice // the bus as Diagnose read it, without the workstation
	facts    *station.Facts    // the latest copy of the workstation's facts
	noFacts  bool              // the workstation is not gathered
	sent     map[string]bool
	sentList []check.Result
}

func newLive(names []string, emit func(check.Result), o Options) *live {
	return &live{emit: emit, names: names, minGoSign: o.MinGoSign, noFacts: o.NoWorkstation, sent: map[string]bool{}}
}

// blockParts are the workstation parts the token checks and the
// smart-card, USB, restart and clock checks read.
func blockParts(f *station.Facts) bool {
	return f != nil && f.PCSC != nil && f.USB != nil && f.Reboot != nil && f.Clock != nil
}

// softParts are what the software, store and browser checks read besides.
func softParts(f *station.Facts) bool {
	return blockParts(f) && f.Software != nil && f.CertStores != nil && f.Browsers != nil
}

// softChecks are the checks that read softParts.
var softChecks = check.Names{check.WorkstationObsolete, check.WorkstationGoSign, check.WorkstationDrivers,
	check.WorkstationCertStore, check.WorkstationBrowsers}

// modules takes the probed modules (every probe is over) and, without the
// workstation, the devices Diagnose found on the USB bus.
func (l *live) modules(mods []token.Module, usb []token.USBDevice) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mods = slices.Clone(mods)
	l.usb = usb
	l.send()
}

// part takes a copy of the workstation's facts gathered so far.
func (l *live) part(f *station.Facts) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.facts = f
	l.send()
}

// send judges and emits what is known now and was not sent yet; l.mu is
// held.
func (l *live) send() {
	if l.mods == nil {
		return
	}
	f := l.facts
	if !l.noFacts && !blockParts(f) {
		return
	}
	if l.noFacts {
		f = nil
	}
	var rs []check.Result
	usb := l.usb
	if f != nil {
		usb = f.USB.TokenDevices()
	}
	if !l.sent[check.TokenModule] {
		rs = append(rs, check.TokenChecks(check.TokenInput{Modules: l.mods, USB: usb, Station: f})...)
	}
	if f != nil {
		for _, r := range check.StationChecks(check.StationInput{Station: f, Modules: l.mods, MinGoSign: l.minGoSign}) {
			if !softChecks.Has(r.Check) || softParts(f) {
				rs = append(rs, r)
			}
		}
	}
	for _, name := range check.Known {
		if l.sent[name] || !slices.Contains(l.names, name) {
			continue
		}
		got := check.Of(rs, name)
		if len(got) == 0 {
			continue
		}
		l.sent[name] = true
		for _, r := range got {
			l.sentList = append(l.sentList, r)
			l.emit(r)
		}
	}
}

// wasSent reports whether the results of check name were emitted.
func (l *live) wasSent(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent[name]
}

// partFunc is part as a station.Options.Part, nil without l.
func (l *live) partFunc() func(*station.Facts) {
	if l == nil {
		return nil
	}
	return l.part
}

package diag

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/textsafe"
)

// Headline is a report in one line: the topics screen's status line. It
// is pure: a report in, words out; the TUI probes and draws.
type Headline struct {
	// Urgency of the fact shown (its colour): a problem (fail, error, an
	// urgent warning), a warning, a pass, or skip when nothing ran.
	Urgency check.Urgency
	Device  string // the label of the device the fact is about, "" for none (sanitised)
	Fact    string // the fact in a few words, e.g. "PIN bloccato" (sanitised)
	Text    string // the whole line, e.g. "«Firma Test»: PIN bloccato" (sanitised)
}

// StatusLine is the device inserted and its most urgent fact ("«BK Rossi
// Mario»: il certificato di firma scade tra 11 giorni"), or "Nessun
// dispositivo inserito", or the driver problem; with several devices, the
// most urgent fact over all of them, and how many there are. It speaks of
// the device alone: the token checks (whose token.present already says
// why no device is read); the workstation's other findings are the
// self-check's. Text from the report is sanitised.
func StatusLine(r *Report) Headline { return StatusOf(r.Checks) }

// StatusOf is StatusLine of the results of one run (the topics screen's
// background probe runs the token checks only).
func StatusOf(checks []check.Result) Headline {
	var rs []check.Result
	for _, c := range checks {
		if slices.Contains(check.TokenCheckNames, c.Check) {
			rs = append(rs, c)
		}
	}
	return headline(rs)
}

// headline is the most urgent of rs in one line.
func headline(rs []check.Result) Headline {
	i := check.MostUrgent(rs)
	if i < 0 {
		return Headline{Urgency: check.UrgencySkip, Fact: "nessun controllo eseguito", Text: "Nessun controllo eseguito"}
	}
	main := rs[i]
	h := Headline{Urgency: check.UrgencyOf(main), Device: deviceLabel(main), Fact: check.Short(main)}
	if h.Urgency == check.UrgencyPass {
		// All is well: say so of the device found, with its signature
		// certificate's expiry.
		h.Fact = "nessun problema"
		if p, ok := find(rs, check.TokenPresent, nil); ok && p.Status == check.Pass {
			h.Device = deviceLabel(p)
			if c, ok := find(rs, check.TokenCertificate, &p); ok && c.Status == check.Pass {
				h.Fact += ", " + check.Short(c)
			}
		}
	}
	h.Text = h.line(": ")
	if n := len(check.Devices(rs)); n > 1 {
		h.Text += fmt.Sprintf(" (%d dispositivi inseriti)", n)
	}
	h.Text = textsafe.Line(h.Text)
	return h
}

// line joins device and fact with sep, or begins with the fact.
func (h Headline) line(sep string) string {
	if h.Device == "" {
		return check.Capitalize(h.Fact)
	}
	return "«" + h.Device + "»" + sep + h.Fact
}

// PhoneLine is what a user reads out on the phone to the office: the
// verdict, the device and the main problem, e.g. "Problema: «BK Rossi
// Mario» — PIN bloccato (e altri 2 avvisi)": the main problem over every
// check, the workstation's included. It is built from the report as it
// is, so it is masked when the report is. Sanitised.
func PhoneLine(r *Report) string {
	h := headline(r.Checks)
	verdict := "Tutto a posto"
	switch {
	case !r.Verdict.OK:
		verdict = "Problema"
	case r.Verdict.Status == "warn":
		verdict = "Avviso"
	}
	line := verdict + ": "
	if h.Urgency == check.UrgencyPass {
		// "Tutto a posto" says it already.
		h.Fact = strings.TrimPrefix(h.Fact, "nessun problema, ")
	}
	if h.Device == "" {
		line += h.Fact
	} else {
		line += h.line(" — ")
	}
	if i := check.MostUrgent(r.Checks); i >= 0 {
		line += others(r.Checks, i)
	}
	return textsafe.Line(line)
}

// others counts the results besides main worth a mention: "(e altri 2
// avvisi)". A result that points to the same flow node about the same
// device is the same problem told twice (PIN and PUK locked) and is not
// counted.
func others(rs []check.Result, main int) string {
	problems, warnings := 0, 0
	for i, r := range rs {
		if i == main || r.Node != "" && r.Node == rs[main].Node && sameDevice(r, rs[main]) {
			continue
		}
		switch check.UrgencyOf(r) {
		case check.UrgencyProblem:
			problems++
		case check.UrgencyWarn:
			warnings++
		}
	}
	count := func(n int, one, many string) string {
		if n == 1 {
			return "un altro " + one
		}
		return fmt.Sprintf("altri %d %s", n, many)
	}
	switch {
	case problems > 0 && warnings > 0:
		return fmt.Sprintf(" (e %s e %s)", count(problems, "problema", "problemi"), check.Plural(warnings, "avviso", "avvisi"))
	case problems > 0:
		return " (e " + count(problems, "problema", "problemi") + ")"
	case warnings > 0:
		return " (e " + count(warnings, "avviso", "avvisi") + ")"
	}
	return ""
}

// deviceChecks are the checks whose results are about a device (the
// token checks but the driver's).
var deviceChecks = check.Names{check.TokenPresent, check.TokenPIN, check.TokenPUK, check.TokenCertificate, check.TokenCNS}

// deviceLabel names the device r is about, "" when r is about no device
// in particular: its label, else its slot. A report of a sportello before
// several devices were judged has no device on its results: there the
// device is the one its facts name.
func deviceLabel(r check.Result) string {
	d := r.Device
	switch {
	case d == nil && deviceChecks.Has(r.Check):
		return textsafe.Line(r.Facts[check.FactTokenLabel])
	case d == nil:
		return ""
	case strings.TrimSpace(d.Label) != "":
		return textsafe.Line(strings.TrimSpace(d.Label))
	}
	return fmt.Sprintf("dispositivo nello slot %d", d.Slot)
}

// sameDevice reports whether a and b are about the same device (or both
// about none): within one report a device is its module and slot.
func sameDevice(a, b check.Result) bool {
	if a.Device == nil || b.Device == nil {
		return a.Device == nil && b.Device == nil
	}
	return a.Device.SameSlot(*b.Device)
}

// find returns the first result of check name, about the same device as
// like when like is not nil.
func find(rs []check.Result, name string, like *check.Result) (check.Result, bool) {
	for _, r := range rs {
		if r.Check == name && (like == nil || sameDevice(r, *like)) {
			return r, true
		}
	}
	return check.Result{}, false
}

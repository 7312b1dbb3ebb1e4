package report

import (
	"fmt"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
)

// The "Postazione" section of the text report: the workstation's facts,
// before the checks that judge them. The signing software, drivers,
// certificate stores and browsers come first (station_soft.go); then the
// smart-card service with its readers and cards, the USB bus, a pending
// restart and the clock. Everything read from the machine goes through
// textsafe.

func (t *textWriter) workstation(r *diag.Report) {
	f := r.Workstation
	if f == nil {
		return
	}
	t.header("Postazione")
	t.stationSoft(f)
	t.pcsc(f)
	t.usb(f.USB)
	t.reboot(f)
	t.clock(f.Clock)
}

func (t *textWriter) pcsc(f *station.Facts) {
	p := f.PCSC
	if p == nil {
		t.printf("%s Servizio delle smart card: non controllato\n", t.marker(check.Skip))
		return
	}
	lib := ""
	if p.Library != "" {
		lib = " (" + textsafe.Line(p.Library) + ")"
	}
	call := ""
	if p.Call != "" {
		call = ": " + textsafe.Line(strings.TrimSpace(p.Call+" "+p.Code+" "+p.CodeName))
	}
	switch {
	case p.Status == station.PCSCOK:
		t.printf("%s Servizio delle smart card: attivo%s, %d lettori\n", t.marker(check.Pass), lib, len(p.Readers))
	case p.Status == station.PCSCFault:
		msg := "non risponde"
		if p.Fault != nil {
			msg = p.Fault.Message
		}
		t.printf("%s Servizio delle smart card: %s\n", t.marker(check.Error), textsafe.Line(msg))
	case p.Status == station.PCSCNotInstalled || p.Service != nil && p.Service.State == "not_installed":
		// The loader's message (p.Detail) is English: in the JSON only.
		t.printf("%s Servizio delle smart card: non installato%s\n", t.marker(check.Fail), lib)
	case p.Status == station.PCSCUnsupported:
		t.printf("%s Servizio delle smart card: non verificabile (%s)\n", t.marker(check.Skip), textsafe.Line(p.Detail))
	default:
		t.printf("%s Servizio delle smart card: non attivo%s%s\n", t.marker(check.Fail), lib, call)
	}
	if s := p.Service; s != nil {
		line := fmt.Sprintf("Servizio Windows «Smart Card» (%s): %s", s.Name, s.StateWords())
		if s.StartType != "" {
			line += ", avvio " + s.StartWords()
		}
		t.printf("  %s\n", textsafe.Line(line))
	}
	for _, r := range p.Readers {
		state := "vuoto"
		switch {
		case r.Mute:
			state = "carta che non risponde"
		case r.CardPresent:
			state = "carta inserita"
		}
		if r.InUse {
			state += ", in uso da un altro programma"
		}
		t.printf("  Lettore «%s»: %s\n", textsafe.Line(r.Name), state)
		if r.ATR != "" {
			t.printf("    ATR %s\n", textsafe.Line(r.ATR))
		}
		if c := r.Card; c != nil {
			t.printf("    Carta: %s\n", textsafe.Line(c.Name))
			if c.Middleware != "" {
				t.printf("    Driver necessario: %s\n", textsafe.Line(c.Middleware))
			}
		} else if r.CardPresent && !r.Mute {
			t.printf("    Carta: non identificata\n")
		}
	}
}

func (t *textWriter) usb(u *station.USB) {
	switch {
	case u == nil:
		t.printf("%s USB: non controllato su questo sistema\n", t.marker(check.Skip))
	case u.Error != "":
		t.printf("%s USB: %s\n", t.marker(check.Skip), textsafe.Line(u.Error))
	case len(u.Devices) == 0:
		t.printf("- USB: nessun lettore o dispositivo di firma noto\n")
	}
	if u == nil {
		return
	}
	for _, d := range u.Devices {
		kind := ""
		if d.CCID {
			kind = ", interfaccia smart card"
		}
		if d.Problem != 0 {
			kind += fmt.Sprintf(", problema Windows codice %d", d.Problem)
		}
		t.printf("  USB: %s%s\n", textsafe.Line(d.Name()), kind)
	}
}

func (t *textWriter) reboot(f *station.Facts) {
	r := f.Reboot
	switch {
	case r == nil:
		t.printf("%s Riavvio in sospeso: non verificabile su questo sistema\n", t.marker(check.Skip))
	case r.Pending == "yes":
		t.printf("%s Riavvio in sospeso: sì\n", t.marker(check.Warn))
		for _, m := range r.Markers {
			if m.Found {
				t.printf("    %s\n", textsafe.Line(m.Source))
			}
		}
		for _, it := range r.Items {
			t.printf("    - %s\n", textsafe.Line(it))
		}
	case r.Pending == "no":
		t.printf("%s Riavvio in sospeso: no\n", t.marker(check.Pass))
	default:
		t.printf("%s Riavvio in sospeso: non verificabile\n", t.marker(check.Skip))
	}
}

func (t *textWriter) clock(c *station.Clock) {
	if c == nil {
		return
	}
	words := map[string]struct {
		st   check.Status
		text string
	}{
		"synced": {check.Pass, "sincronizzato"}, "automatic": {check.Pass, "impostato automaticamente"},
		"unsynced": {check.Warn, "non sincronizzato"},
	}
	w, ok := words[c.Sync]
	if !ok {
		w.st, w.text = check.Skip, "non verificabile"
	}
	detail := strings.TrimSpace(c.Source + ": " + c.Detail)
	if c.Source == "" {
		detail = c.Detail
	}
	if detail != "" {
		detail = " (" + detail + ")"
	}
	t.printf("%s Orologio: %s%s\n", t.marker(w.st), w.text, textsafe.Line(detail))
}

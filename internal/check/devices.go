package check

import (
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// Several devices. An office workstation often has the operator's key and
// the user's card inserted together, or an old device beside the new one:
// every device is judged, so that the verdict is the worst over all of
// them and nothing found is left unsaid.
//
// The devices judged are the initialised tokens and, beside them, the
// slots where a device is present but does not answer (it may be the one
// the user means). Uninitialised tokens (SoftHSM2's free slot, a blank
// card) are listed in the report but not judged. token.module is judged
// once; every other token check once per device, in probe order (module,
// then slot).

// devices returns the devices to judge one by one, or nil when no device
// is initialised (then the checks say why none is read).
func (v *view) devices() []tokenRef {
	init := 0
	for _, t := range v.tokens {
		if t.tok().Initialized {
			init++
		}
	}
	if init == 0 {
		return nil
	}
	var out []tokenRef
	for i := range v.in.Modules {
		m := &v.in.Modules[i]
		for j := range m.Slots {
			s := &m.Slots[j]
			switch {
			case s.Token != nil && s.Token.Initialized:
				out = append(out, tokenRef{m, s})
			case unanswered(s):
				out = append(out, tokenRef{m, s})
			}
		}
	}
	return out
}

// perDevice judges each device in devs.
func (v *view) perDevice(devs []tokenRef) []Result {
	views := make([]*view, len(devs))
	for i, d := range devs {
		views[i] = v.forDevice(d, devs)
	}
	mod := v.module()
	if len(devs) > 1 {
		// About no device in particular: only the module is a fact of it.
		mod.Facts = map[string]string{}
		if p := views[0].facts[FactModulePath]; p != "" {
			mod.Facts[FactModulePath] = p
		}
	} else {
		mod.Facts = maps.Clone(views[0].facts)
	}
	out := []Result{mod}
	for _, judge := range []func(*view) Result{(*view).present, (*view).pin, (*view).puk, (*view).certificate, (*view).cnsCert} {
		for _, dv := range views {
			out = append(out, judge(dv))
		}
	}
	return out
}

// forDevice is a view of v that sees only the device d (one of all).
func (v *view) forDevice(d tokenRef, all []tokenRef) *view {
	dv := *v
	dv.facts = map[string]string{}
	dv.multi = len(all) > 1
	dv.sig, dv.cns, dv.primary = nil, nil, nil
	if d.slot.Token != nil {
		dv.tokens, dv.unread = []tokenRef{d}, nil
		dv.primary = &dv.tokens[0]
		dv.sig = dv.bestCert(token.UsageSignature)
		dv.cns = dv.bestCert(token.UsageAuthentication)
	} else {
		dv.tokens, dv.unread = nil, []tokenRef{d}
	}
	dv.fillFacts()
	if dv.primary == nil {
		dv.facts[FactModulePath] = textsafe.Line(d.mod.Path)
	}
	dv.dev = &Device{Module: textsafe.Line(d.mod.Path), Slot: d.slot.ID}
	if t := d.slot.Token; t != nil {
		dv.dev.Serial = textsafe.Line(strings.TrimSpace(t.Serial))
		dv.dev.Label = textsafe.Line(strings.TrimSpace(t.Label))
		switch {
		case dv.sig != nil:
			dv.dev.Holder = textsafe.Line(t.HolderOf(dv.sig.cert))
		case dv.cns != nil:
			dv.dev.Holder = textsafe.Line(t.HolderOf(dv.cns.cert))
		}
	}
	dv.same = 0
	for _, o := range all {
		if o.slot.Token != nil && d.slot.Token != nil && o.slot != d.slot &&
			strings.TrimSpace(o.slot.Token.Label) == strings.TrimSpace(d.slot.Token.Label) {
			dv.same++
		}
	}
	return &dv
}

// label names the device t for a title: «Firma Test»; «Firma Test» n.
// 1234 when another device judged has the same label; a device without a
// label by its slot.
func (v *view) label(t tokenRef) string {
	tk := t.tok()
	if tk == nil || strings.TrimSpace(tk.Label) == "" {
		return fmt.Sprintf("senza etichetta (slot %d)", t.slot.ID)
	}
	s := q(strings.TrimSpace(tk.Label))
	if v.same > 0 {
		if serial := strings.TrimSpace(tk.Serial); serial != "" {
			s += " n. " + textsafe.Line(serial)
		} else {
			s += fmt.Sprintf(" (slot %d)", t.slot.ID)
		}
	}
	return s
}

// nameDevice makes r, a result about one of several devices, say which:
// the title names the device, the detail starts with its label, holder and
// place.
func (v *view) nameDevice(r *Result) {
	if !v.multi {
		return
	}
	var ref tokenRef
	switch {
	case v.primary != nil:
		ref = *v.primary
	case len(v.unread) > 0:
		ref = v.unread[0]
	default:
		return
	}
	name := v.label(ref)
	if ref.tok() == nil {
		name = fmt.Sprintf("nello slot %d", ref.slot.ID)
	}
	if !strings.Contains(r.Title, name) {
		r.Title += " — dispositivo " + name
	}
	who := ""
	if v.dev.Holder != "" {
		who = " di " + v.dev.Holder
	}
	if r.Check == TokenPresent { // its detail already says where the device is
		if who != "" {
			r.Detail = strings.TrimSpace(r.Detail + " Titolare: " + v.dev.Holder + ".")
		}
		return
	}
	where := fmt.Sprintf(", slot %d di", ref.slot.ID)
	if strings.Contains(name, fmt.Sprintf("slot %d", ref.slot.ID)) {
		where = " di"
	}
	lead := fmt.Sprintf("Dispositivo %s%s%s %s.", name, who, where, textsafe.Line(filepath.Base(ref.mod.Path)))
	r.Detail = strings.TrimSpace(lead + " " + r.Detail)
}

// holderOf is the name of the holder of the certificate c, from it or
// from another certificate of its device with the same codice fiscale,
// else token.HolderUnknown.
func holderOf(c *certRef) string {
	if h := c.tok().HolderOf(c.cert); h != "" {
		return h
	}
	return token.HolderUnknown
}

// unreadable counts the certificates of t the driver listed but did not
// return.
func unreadable(t *token.Token) int {
	n := 0
	for _, c := range t.Certificates {
		if c.Unreadable {
			n++
		}
	}
	return n
}

// unreadableWhy says why each unreadable certificate of t was not read
// (at most three are named).
func unreadableWhy(t *token.Token) string {
	var parts []string
	more := 0
	for _, c := range t.Certificates {
		if !c.Unreadable {
			continue
		}
		if len(parts) == 3 {
			more++
			continue
		}
		name := "senza etichetta"
		if strings.TrimSpace(c.Label) != "" {
			name = q(c.Label)
		}
		parts = append(parts, name+": "+textsafe.Line(c.ParseError))
	}
	s := strings.Join(parts, "; ")
	if more > 0 {
		s += fmt.Sprintf("; e altri %d", more)
	}
	return s + "."
}

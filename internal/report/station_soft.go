package report

import (
	"fmt"
	"strings"

	"github.com/sportello/sportello/internal/station"
	"github.com/sportello/sportello/internal/textsafe"
)

// stationSoft writes the facts of the signing software, drivers,
// certificate stores and browsers, for the "Postazione" section: what was
// found, not what it means (the checks say that). Every string from the
// machine goes through textsafe.
func (t *textWriter) stationSoft(f *station.Facts) {
	if f == nil {
		return
	}
	if s := f.Software; s != nil {
		t.software(s)
	}
	if c := f.CertStores; c != nil {
		t.certStores(c)
	}
	if b := f.Browsers; b != nil {
		t.browserList(b)
	}
}

var scopeNames = map[station.Scope]string{
	station.ScopeUser:      "solo per questo utente",
	station.ScopeMachine:   "per tutti gli utenti",
	station.ScopeMachine32: "per tutti gli utenti, 32 bit",
}

func programLine(p station.Program) string {
	s := strings.TrimSpace(p.Name)
	if p.Version != "" {
		s += " " + p.Version
	}
	where := scopeNames[p.Scope]
	if p.Source != "" {
		where += ", " + p.Source
	}
	return textsafe.Line(s) + " (" + textsafe.Line(where) + ")"
}

func (t *textWriter) software(s *station.Software) {
	t.printf("Programmi di firma (letti da: %s; %d programmi esaminati)\n", textsafe.Line(strings.Join(s.Sources, ", ")), s.Scanned)
	list := func(label string, ps []station.Program, none string) {
		if len(ps) == 0 {
			if none != "" {
				t.printf("  %s: %s\n", label, none)
			}
			return
		}
		for _, p := range ps {
			t.printf("  %s: %s\n", label, programLine(p))
		}
	}
	list("GoSign Desktop", s.GoSign, "non trovato")
	list("Obsoleto", s.Obsolete, "nessuno")
	list("Altro certificatore", s.OtherSigning, "")
	list("Driver", s.Drivers, "né Bit4id xPKI né SafeDive trovati")
	for _, d := range s.DriverFiles {
		state := "assente"
		switch {
		case d.Found && d.Error != "":
			state = d.Error
		case d.Found:
			state = "presente"
			if d.Arch != "" {
				state += ", " + d.Arch
			}
			if d.Version != "" {
				state += ", versione " + d.Version
			}
			if d.Mismatch {
				state += ", architettura diversa da quella di sportello"
			}
		}
		t.printf("  File del driver %s: %s\n", textsafe.Line(d.Path), textsafe.Line(state))
	}
	for _, e := range s.Errors {
		t.printf("  Non letto: %s\n", textsafe.Line(e))
	}
}

func moduleList(mods []station.NSSModule) string {
	var parts []string
	for _, m := range mods {
		if m.Library == "" {
			continue // NSS's internal module
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", m.Name, m.Library))
	}
	if len(parts) == 0 {
		return "nessun driver esterno"
	}
	return strings.Join(parts, "; ")
}

func nssLine(db station.NSSDB) string {
	switch {
	case db.Error != "":
		return db.Error
	case db.Format == "dbm":
		return "vecchio formato secmod.db, non letto"
	case db.Format != "sql":
		return "non esiste"
	}
	return moduleList(db.Modules)
}

func (t *textWriter) certStores(c *station.CertStores) {
	if w := c.Windows; w != nil {
		if w.Error != "" {
			t.printf("Archivio personale dei certificati di Windows (%s): %s\n", textsafe.Line(w.Store), textsafe.Line(w.Error))
		} else {
			keys := 0
			for _, x := range w.Certificates {
				if x.HasKey {
					keys++
				}
			}
			more := ""
			if w.Truncated {
				more = " (elenco interrotto)"
			}
			t.printf("Archivio personale dei certificati di Windows (%s): %d certificati, %d collegati a una chiave%s\n", textsafe.Line(w.Store), len(w.Certificates), keys, more)
			for _, x := range w.Certificates {
				if !x.HasKey {
					continue
				}
				line := fmt.Sprintf("%s, emesso da %s", x.Subject, x.Issuer)
				if !x.NotAfter.IsZero() {
					line += ", scadenza " + x.NotAfter.Local().Format("02/01/2006")
				}
				if x.Provider != "" {
					line += ", chiave: " + x.Provider
				}
				t.printf("  %s\n", textsafe.Line(line))
			}
		}
	}
	for _, db := range c.NSS {
		t.printf("Archivio NSS %s: %s\n", textsafe.Line(db.Path), textsafe.Line(nssLine(db)))
	}
	if c.Note != "" {
		t.printf("Archivi dei certificati: %s\n", textsafe.Line(c.Note))
	}
}

var osClientCertsNames = map[string]string{"on": "attivi", "off": "disattivati", "": "impostazione predefinita"}

func (t *textWriter) browserList(b *station.Browsers) {
	var names []string
	for _, x := range b.Installed {
		names = append(names, x.Name)
	}
	if len(names) == 0 {
		names = []string{"nessuno dei più diffusi"}
	}
	t.printf("Browser: %s\n", textsafe.Line(strings.Join(names, ", ")))
	for _, p := range b.Firefox {
		head := "Firefox, profilo «" + p.Name + "»"
		var notes []string
		if p.Default {
			notes = append(notes, "predefinito")
		}
		if p.LastVersion != "" {
			notes = append(notes, "Firefox "+p.LastVersion)
		}
		if len(notes) > 0 {
			head += " (" + strings.Join(notes, ", ") + ")"
		}
		state := nssLine(p.NSS)
		if p.Error != "" {
			state = p.Error
		}
		t.printf("  %s: %s; certificati del sistema: %s\n", textsafe.Line(head), textsafe.Line(state), osClientCertsNames[p.OSClientCerts])
	}
	for _, e := range b.Errors {
		t.printf("  Non letto: %s\n", textsafe.Line(e))
	}
}

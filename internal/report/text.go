package report

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/token"
)

// Markers of the five outcomes, and their colours.
var markers = map[check.Status]struct{ mark, color string }{
	check.Pass:  {"✓", "\x1b[32m"},
	check.Warn:  {"!", "\x1b[33m"},
	check.Fail:  {"✗", "\x1b[31m"},
	check.Skip:  {"-", "\x1b[2m"},
	check.Error: {"?", "\x1b[35m"},
}

const (
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// checkGroup is a category of checks in the text output.
type checkGroup struct {
	title  string
	checks []string
}

// allGroups is every check category of the text output, in order.
func allGroups() []checkGroup {
	return append(append([]checkGroup{}, tokenGroups...), stationGroups...)
}

// tokenGroups and stationGroups are the check categories of the text
// output, in order.
var (
	tokenGroups = []checkGroup{
		{"Driver e dispositivo", []string{check.TokenModule, check.TokenPresent}},
		{"PIN e PUK", []string{check.TokenPIN, check.TokenPUK}},
		{"Certificati", []string{check.TokenCertificate, check.TokenCNS}},
	}
	stationGroups = []checkGroup{
		{"Programmi, certificati e browser", []string{check.WorkstationObsolete, check.WorkstationGoSign, check.WorkstationDrivers,
			check.WorkstationCertStore, check.WorkstationBrowsers}},
		{"Lettori, USB, riavvio e orologio", []string{check.WorkstationPCSC, check.WorkstationUSB, check.WorkstationReboot, check.WorkstationClock}},
	}
)

type textWriter struct {
	w     *bufio.Writer
	color bool
}

func (t *textWriter) printf(format string, a ...any) { fmt.Fprintf(t.w, format, a...) }

func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + reset
}

func (t *textWriter) marker(s check.Status) string {
	m, ok := markers[s]
	if !ok {
		return "?"
	}
	return t.paint(m.color, m.mark)
}

func (t *textWriter) header(title string) {
	t.printf("\n%s\n%s\n", t.paint(bold, title), strings.Repeat("-", len([]rune(title))))
}

// Text writes r for a person: what was found (modules, slots, tokens,
// certificates), then the checks grouped under headers with a marker
// each, the detail and the remedy of those that did not pass, and a
// one-line verdict.
func Text(w io.Writer, r *diag.Report, o Options) error {
	t := &textWriter{w: bufio.NewWriter(w), color: o.Color}
	t.printf("%s\n", t.paint(bold, "Diagnosi del dispositivo di firma"))
	if o.Saved {
		t.printf("Dati dal rapporto del %s (%s), non da questo computer\n", r.GeneratedAt.Local().Format("02/01/2006 15:04"), textsafe.Line(r.Tool))
	}
	if r.Redacted {
		t.printf("(codici fiscali e numeri di serie mascherati)\n")
	}
	t.modules(r)
	t.devices(r)
	t.workstation(r)
	if devs := check.Devices(r.Checks); len(devs) > 1 {
		t.byDevice(r, devs)
		t.groups(r, stationGroups)
	} else {
		t.groups(r, allGroups())
	}
	t.ungrouped(r.Checks)
	st := check.Pass
	switch r.Verdict.Status {
	case "warn":
		st = check.Warn
	case "problem":
		st = check.Fail
	}
	t.printf("\n%s %s\n", t.marker(st), t.paint(bold, "Esito: "+textsafe.Line(r.Verdict.Message)))
	return t.w.Flush()
}

// groups writes the checks of each group under its header; a group with
// no result (the workstation with --no-workstation) is left out.
func (t *textWriter) groups(r *diag.Report, gs []checkGroup) {
	for _, g := range gs {
		var cs []check.Result
		for _, name := range g.checks {
			cs = append(cs, check.Of(r.Checks, name)...)
		}
		if len(cs) == 0 {
			continue
		}
		t.header(g.title)
		for _, c := range cs {
			t.check(c)
		}
	}
}

// ungrouped prints the checks of no group (those of a newer sportello,
// read from its report) under their own header, so none goes unsaid.
func (t *textWriter) ungrouped(rs []check.Result) {
	var rest []check.Result
	for _, c := range rs {
		if !slices.ContainsFunc(allGroups(), func(g checkGroup) bool { return slices.Contains(g.checks, c.Check) }) {
			rest = append(rest, c)
		}
	}
	if len(rest) > 0 {
		t.header("Altri controlli")
		for _, c := range rest {
			t.check(c)
		}
	}
}

// byDevice writes the token checks grouped by device: first those about
// no device in particular (the driver), then each device's, in order.
func (t *textWriter) byDevice(r *diag.Report, devs []check.Device) {
	t.header("Driver")
	for _, c := range r.Checks {
		if c.Device == nil && slices.Contains(check.TokenCheckNames, c.Check) {
			t.check(c)
		}
	}
	for i, d := range devs {
		t.header(fmt.Sprintf("Dispositivo %d di %d: %s", i+1, len(devs), deviceTitle(d)))
		for _, c := range r.Checks {
			if c.Device != nil && c.Device.SameSlot(d) {
				t.check(c)
			}
		}
	}
}

// deviceTitle names a device in a header: «label» di holder, slot N di module.
func deviceTitle(d check.Device) string {
	s := fmt.Sprintf("dispositivo nello slot %d", d.Slot)
	if strings.TrimSpace(d.Label) != "" {
		s = "«" + textsafe.Line(d.Label) + "»"
	}
	if d.Serial != "" {
		s += " n. " + textsafe.Line(d.Serial)
	}
	if d.Holder != "" {
		s += " di " + textsafe.Line(d.Holder)
	}
	return s + fmt.Sprintf(" (slot %d di %s)", d.Slot, textsafe.Line(filepath.Base(d.Module)))
}

func (t *textWriter) check(c check.Result) {
	t.printf("%s %s\n", t.marker(c.Status), textsafe.Line(c.Title))
	if c.Status == check.Pass {
		return
	}
	if c.Detail != "" {
		t.printf("    %s\n", textsafe.Line(c.Detail))
	}
	if c.Remedy != "" {
		t.printf("    → %s\n", textsafe.Line(c.Remedy))
	}
}

var sourceNames = map[token.Source]string{
	token.SourceOption: "opzione --module",
	token.SourceEnv:    token.EnvModule,
	token.SourceVendor: "percorso noto",
	token.SourceP11Kit: "registro p11-kit",
}

func (t *textWriter) modules(r *diag.Report) {
	t.header("Driver (moduli PKCS#11)")
	missing := 0
	for _, m := range r.Modules {
		src := sourceNames[m.Source]
		if m.Vendor != "" {
			src += " " + m.Vendor
		}
		path := textsafe.Line(m.Path)
		switch m.Status {
		case token.ModuleNotFound:
			missing++
		case token.ModuleOK:
			lib := ""
			if l := m.Library; l != nil {
				var parts []string
				if m := strings.TrimSpace(l.Manufacturer); m != "" {
					parts = append(parts, m)
				}
				if d := strings.TrimSpace(l.Description); d != "" {
					parts = append(parts, "«"+d+"»")
				}
				lib = ": " + strings.Join(append(parts, l.Version), " ") + ", Cryptoki " + l.CryptokiVersion
			}
			t.printf("%s %s (%s)%s\n", t.marker(check.Pass), path, textsafe.Line(src), textsafe.Line(lib))
		case token.ModuleFault:
			// Fault.Detail (the loader's or Go's words) is for the JSON
			// report: the reason already says it in Italian.
			t.printf("%s %s (%s)\n    %s\n", t.marker(check.Fail), path, textsafe.Line(src), textsafe.Line(m.Reason))
		default:
			t.printf("%s %s (%s): %s\n", t.marker(check.Skip), path, textsafe.Line(src), textsafe.Line(m.Reason))
		}
	}
	if missing > 0 {
		t.printf("%s %d percorsi noti senza driver installato (l'elenco completo con --format json)\n", t.marker(check.Skip), missing)
	}
	if r.Workstation == nil || r.Workstation.USB == nil {
		for _, d := range r.USB {
			t.printf("  USB: %s %s:%s %s\n", textsafe.Line(d.Vendor), textsafe.Line(d.VendorID), textsafe.Line(d.ProductID), textsafe.Line(d.Product))
		}
	}
}

func (t *textWriter) devices(r *diag.Report) {
	t.header("Slot e dispositivi")
	n := 0
	for _, m := range r.Modules {
		for _, s := range m.Slots {
			n++
			t.slot(m, s)
		}
	}
	if n == 0 {
		t.printf("Nessuno slot.\n")
	}
}

func (t *textWriter) slot(m token.Module, s token.Slot) {
	state := "vuoto"
	switch {
	case s.Error != nil:
		state = "errore: " + s.Error.String()
	case s.Token != nil && !s.Token.Initialized:
		state = "dispositivo non inizializzato"
	case s.TokenPresent:
		state = "dispositivo presente"
	}
	if s.Removable {
		state += ", rimovibile"
	}
	if s.Hardware {
		state += ", lettore fisico"
	}
	desc := ""
	if d := strings.TrimSpace(s.Description); d != "" {
		desc = " «" + textsafe.Line(d) + "»"
	}
	t.printf("Slot %d%s di %s: %s\n", s.ID, desc, textsafe.Line(filepath.Base(m.Path)), textsafe.Line(state))
	tk := s.Token
	if tk == nil || !tk.Initialized {
		return
	}
	label := "senza etichetta"
	if l := strings.TrimSpace(tk.Label); l != "" {
		label = "«" + textsafe.Line(l) + "»"
	}
	line := "  Dispositivo " + label
	if mm := strings.TrimSpace(strings.TrimSpace(tk.Manufacturer) + " " + strings.TrimSpace(tk.Model)); mm != "" {
		line += ": " + textsafe.Line(mm)
	}
	if sn := strings.TrimSpace(tk.Serial); sn != "" {
		line += ", seriale " + textsafe.Line(sn)
	}
	t.printf("%s\n", line)
	t.printf("  PIN: %s (%s)   PUK: %s (%s)\n", textsafe.Line(tk.PIN.Italian()), textsafe.Line(string(tk.PIN)), textsafe.Line(tk.PUK.Italian()), textsafe.Line(string(tk.PUK)))
	t.printf("  Flag %s:\n", textsafe.Line(tk.Flags.Hex))
	for _, f := range tk.Flags.Set {
		t.printf("    %-35s %s\n", textsafe.Line(f.Name), textsafe.Line(f.Meaning))
	}
	if tk.CertificatesError != nil {
		t.printf("  Certificati non leggibili: %s\n", textsafe.Line(tk.CertificatesError.String()))
		return
	}
	t.printf("  Certificati: %d\n", len(tk.Certificates))
	for i := range tk.Certificates {
		t.certificate(tk, &tk.Certificates[i])
	}
}

var usageNames = map[token.Usage]string{
	token.UsageSignature:      "firma qualificata",
	token.UsageAuthentication: "autenticazione (CNS)",
	token.UsageOther:          "altro uso",
}

func (t *textWriter) certificate(tk *token.Token, c *token.Certificate) {
	head := "senza etichetta"
	if l := strings.TrimSpace(c.Label); l != "" {
		head = "«" + textsafe.Line(l) + "»"
	}
	if c.ID != "" {
		head += " id " + textsafe.Line(c.ID)
	}
	if c.ParseError != "" {
		t.printf("    %s %s: certificato non leggibile (%s)\n", t.marker(check.Error), head, textsafe.Line(c.ParseError))
		return
	}
	st := map[token.CertStatus]check.Status{token.CertValid: check.Pass, token.CertExpiring: check.Warn}[c.Status]
	if st == "" {
		st = check.Fail
	}
	t.printf("    %s %s: %s, %s, scadenza %s (%s)\n", t.marker(st), head, usageNames[c.Usage], textsafe.Line(c.Status.Italian()),
		c.NotAfter.Local().Format("02/01/2006"), daysLeft(*c.DaysLeft))
	holder := textsafe.Line(tk.HolderOf(c))
	switch {
	case holder == "":
		holder = token.HolderUnknown
	case strings.TrimSpace(c.Holder) == "":
		holder += " (da un altro certificato dello stesso codice fiscale)"
	}
	t.printf("        Titolare: %s", holder)
	if c.CodiceFiscale != "" {
		t.printf(", codice fiscale %s", textsafe.Line(c.CodiceFiscale))
	}
	t.printf("\n")
	t.printf("        Soggetto: %s\n", textsafe.Line(c.Subject))
	t.printf("        Emittente: %s\n", textsafe.Line(c.Issuer))
	t.printf("        Seriale %s, valido dal %s al %s\n", textsafe.Line(c.Serial),
		c.NotBefore.Local().Format("02/01/2006 15:04"), c.NotAfter.Local().Format("02/01/2006 15:04"))
	if len(c.KeyUsage)+len(c.ExtKeyUsage) > 0 {
		t.printf("        Usi: %s\n", textsafe.Line(strings.Join(append(append([]string{}, c.KeyUsage...), c.ExtKeyUsage...), ", ")))
	}
}

func daysLeft(d int) string {
	switch {
	case d < -1:
		return fmt.Sprintf("scaduto da %d giorni", -d)
	case d == -1:
		return "scaduto da 1 giorno"
	case d == 0:
		return "scade oggi"
	case d == 1:
		return "tra 1 giorno"
	}
	return fmt.Sprintf("tra %d giorni", d)
}

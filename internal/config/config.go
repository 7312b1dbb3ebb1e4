package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/yamlstrict"
)

// Config is one office's configuration.
type Config struct {
	File    string // the file it was read from
	Source  Source // how that file was found
	Ufficio Office
	GoSign  GoSign
}

// Office is the help desk's contacts (ufficio:). Fields not configured are
// empty.
type Office struct {
	Nome      string // the office's name
	Telefono  string // a phone number
	Email     string // an e-mail address
	Orari     string // opening hours
	Indirizzo string // a postal address
	Sito      string // an https:// address
}

// GoSign is what the GoSign Desktop checks need (gosign:).
type GoSign struct {
	// VersioneMinima is the oldest GoSign Desktop version the office
	// supports ("2.1.0"); empty when not configured.
	VersioneMinima string
}

// Facts returns the configured contacts as the facts flow texts quote
// ({{ufficio.telefono}}…). A field not configured is absent.
func (o Office) Facts() map[string]string {
	out := map[string]string{}
	for i, v := range o.values() {
		if v != "" {
			out[FactKeys[i]] = v
		}
	}
	return out
}

// values are the fields in the order of FactKeys.
func (o Office) values() []string {
	return []string{o.Nome, o.Telefono, o.Email, o.Orari, o.Indirizzo, o.Sito}
}

// HasContacts reports whether the office can be reached: a phone, an
// e-mail, a site or an address.
func (o Office) HasContacts() bool {
	return o.Telefono != "" || o.Email != "" || o.Sito != "" || o.Indirizzo != ""
}

// MaxSize bounds a configuration file: a real one is a few hundred bytes.
const MaxSize = 64 << 10

// maxValue bounds one value, in characters.
const maxValue = 200

// Problem is one thing wrong in a configuration file.
type Problem struct {
	File string
	Line int
	Msg  string
}

// String formats the problem as file:line: message, safe for a terminal.
func (p Problem) String() string {
	return textsafe.Line(fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg))
}

// Problems is a list of problems; as an error it prints one per line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// The sections and fields of a configuration file.
var (
	sections     = []string{"ufficio", "gosign"}
	officeFields = []string{"nome", "telefono", "email", "orari", "indirizzo", "sito"}
	gosignFields = []string{"versione_minima"}
)

type parser struct {
	file     string
	problems Problems
}

func (p *parser) errorf(line int, format string, a ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: max(line, 1), Msg: fmt.Sprintf(format, a...)})
}

// Parse reads a configuration file. It returns the configuration (nil when
// there are problems) and every problem found, each with its line.
func Parse(name string, data []byte) (*Config, Problems) {
	p := &parser{file: name}
	root := p.document(data)
	if root == nil {
		return nil, p.problems
	}
	c := &Config{File: name}
	p.config(root, c)
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
		return nil, p.problems
	}
	return c, nil
}

const seeReadme = "vedi «Configurazione dell'ufficio» nel README"

// configFile is how a configuration file's refusals name it (see
// yamlstrict.Root).
var configFile = yamlstrict.Kind{
	MaxSize: MaxSize,
	TooBig:  "la configurazione è testo di poche righe",
	Empty:   "scrivi almeno la sezione «ufficio» (" + seeReadme + ")",
	Binary:  "la configurazione è un file YAML",
	Several: "la configurazione è un documento solo",
	Where:   "nella configurazione",
}

// document checks that data is one plain YAML document and returns its root.
func (p *parser) document(data []byte) *yaml.Node {
	root, bad := configFile.Root(data)
	if bad != nil {
		p.errorf(bad.Line, "%s", bad.Msg)
	}
	return root
}

// mapping reads the keys of n, reporting duplicates and unknown keys (with
// a near miss); what names the mapping ("la configurazione", "«ufficio»"),
// in says where ("nella configurazione", "in «ufficio»").
func (p *parser) mapping(n *yaml.Node, what, in string, allowed []string, hint string) [][2]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "%s deve essere una mappa (chiave: valore), non %s", what, yamlstrict.KindName(n))
		return nil
	}
	var out [][2]*yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k.Line, "chiave non valida %s: le chiavi sono parole semplici", in)
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.errorf(k.Line, "campo «%s» ripetuto (già alla riga %d)", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		if !slices.Contains(allowed, k.Value) {
			p.errorf(k.Line, "campo sconosciuto «%s» %s%s: %s", textsafe.Line(k.Value), in, yamlstrict.Suggest(k.Value, allowed), hint)
			continue
		}
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

func (p *parser) config(root *yaml.Node, c *Config) {
	for _, kv := range p.mapping(root, "la configurazione", "nella configurazione", sections, "le sezioni sono ufficio e gosign") {
		switch kv[0].Value {
		case "ufficio":
			p.office(kv, &c.Ufficio)
		case "gosign":
			p.gosign(kv, &c.GoSign)
		}
	}
}

func (p *parser) office(kv [2]*yaml.Node, o *Office) {
	k, v := kv[0], kv[1]
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" || v.Kind == yaml.MappingNode && len(v.Content) == 0 {
		p.errorf(k.Line, "«ufficio» è vuoto: scrivi almeno il telefono o l'e-mail dell'ufficio, oppure togli la sezione")
		return
	}
	before := len(p.problems)
	for _, f := range p.mapping(v, "«ufficio»", "in «ufficio»", officeFields, "i campi sono nome, telefono, email, orari, indirizzo e sito") {
		name := "ufficio." + f[0].Value
		s, ok := p.text(f, name)
		if !ok {
			continue
		}
		switch f[0].Value {
		case "nome":
			o.Nome = s
		case "telefono":
			if p.phone(f[1], name, s) {
				o.Telefono = s
			}
		case "email":
			if p.email(f[1], name, s) {
				o.Email = s
			}
		case "orari":
			o.Orari = s
		case "indirizzo":
			o.Indirizzo = s
		case "sito":
			if p.site(f[1], name, s) {
				o.Sito = s
			}
		}
	}
	if len(p.problems) == before && !o.HasContacts() {
		p.errorf(k.Line, "«ufficio» non dice come contattare l'ufficio: scrivi almeno telefono, email, sito o indirizzo")
	}
}

func (p *parser) gosign(kv [2]*yaml.Node, g *GoSign) {
	k, v := kv[0], kv[1]
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		p.errorf(k.Line, "«gosign» è vuoto: scrivi versione_minima, oppure togli la sezione")
		return
	}
	for _, f := range p.mapping(v, "«gosign»", "in «gosign»", gosignFields, "il campo è versione_minima") {
		s, ok := p.text(f, "gosign."+f[0].Value)
		if !ok {
			continue
		}
		if !isVersion(s) {
			p.errorf(f[1].Line, "«gosign.versione_minima» «%s» non è un numero di versione: scrivi ad esempio \"2.1.0\"", s)
			continue
		}
		g.VersioneMinima = s
	}
}

// text reads a one-line text value. Numbers and true/false must be quoted
// (YAML would read a phone number 0123456789 as a number and drop its
// leading zero), except a version (2.1 reads the same either way).
func (p *parser) text(f [2]*yaml.Node, name string) (string, bool) {
	v := f[1]
	if v.Kind != yaml.ScalarNode {
		p.errorf(v.Line, "«%s» deve essere un testo, non %s", name, yamlstrict.KindName(v))
		return "", false
	}
	if v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
		p.errorf(f[0].Line, "«%s» è vuoto: scrivi il valore o togli la riga", name)
		return "", false
	}
	if !textsafe.IsSafeText(v.Value) {
		p.errorf(v.Line, "«%s» contiene caratteri di controllo o sequenze di escape: %s", name, textsafe.Line(v.Value))
		return "", false
	}
	if strings.ContainsAny(strings.TrimRight(v.Value, "\n"), "\n") {
		p.errorf(v.Line, "«%s» deve stare su una riga", name)
		return "", false
	}
	s := strings.TrimSpace(v.Value)
	if v.Tag != "!!str" && !(name == "gosign.versione_minima" && (v.Tag == "!!int" || v.Tag == "!!float")) {
		kind := "un numero"
		if v.Tag == "!!bool" {
			kind = "un valore vero/falso"
		}
		p.errorf(v.Line, "«%s» va scritto tra virgolette, \"%s\": senza, YAML lo legge come %s", name, s, kind)
		return "", false
	}
	if n := utf8.RuneCountInString(s); n > maxValue {
		p.errorf(v.Line, "«%s» è troppo lungo (%d caratteri, massimo %d)", name, n, maxValue)
		return "", false
	}
	return s, true
}

// phone accepts what a person writes as a phone number: digits, spaces,
// dots, dashes, slashes and brackets, with an optional leading +; 6 to 15
// digits (15 is the longest international number).
func (p *parser) phone(v *yaml.Node, name, s string) bool {
	digits := 0
	ok := true
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" .-/()", r):
		default:
			ok = false
		}
	}
	if !ok || digits < 6 || digits > 15 {
		p.errorf(v.Line, "«%s» «%s» non sembra un numero di telefono: usa cifre e spazi, con il prefisso internazionale all'inizio se serve (es. \"+39 0123 456789\")", name, s)
		return false
	}
	return true
}

// email accepts a bare address, name@domain.tld.
func (p *parser) email(v *yaml.Node, name, s string) bool {
	a, err := mail.ParseAddress(s)
	_, domain, _ := strings.Cut(s, "@")
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") {
		p.errorf(v.Line, "«%s» «%s» non sembra un indirizzo e-mail: scrivi solo l'indirizzo, es. firma@comune.esempio.it", name, s)
		return false
	}
	return true
}

// site accepts an https:// address with a host.
func (p *parser) site(v *yaml.Node, name, s string) bool {
	u, err := url.Parse(s)
	switch {
	case err == nil && u.Scheme == "http":
		p.errorf(v.Line, "«%s» deve iniziare con https:// (un sito con http:// non è protetto): %s", name, s)
		return false
	case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || strings.ContainsAny(s, " \t"):
		p.errorf(v.Line, "«%s» «%s» non è un indirizzo web valido: scrivi l'indirizzo completo, es. https://www.comune.esempio.it/firma", name, s)
		return false
	}
	return true
}

// isVersion reports whether s is a dotted version: 1 to 4 numbers.
func isVersion(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return false
	}
	for _, part := range parts {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}

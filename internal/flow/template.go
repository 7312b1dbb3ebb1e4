package flow

import (
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/yamlstrict"
)

// Flow texts may quote facts found by the checks of the current walk with
// {{key}}, e.g. "Il certificato di {{cert.holder}} scade tra
// {{cert.days_left}} giorni". Keys are check.FactKeys and the office's
// config.FactKeys (ufficio.telefono...); spaces inside the
// braces are allowed. A fact no check has reported yet expands to Missing.

// factNames are the keys a text may quote: the checks' facts and the
// office configuration's (ufficio.*).
var factNames = append(append(check.Names(nil), check.FactKeys...), config.FactKeys...)

// IsFact reports whether key may be quoted as {{key}}.
func IsFact(key string) bool { return factNames.Has(key) }

// Missing is what a fact expands to when no check has reported it.
const Missing = "—"

// Expand replaces every {{key}} in s with facts[key], or Missing. Text that
// is not a well-formed reference is left as it is (the validator refuses
// it in flow files).
func Expand(s string, facts map[string]string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		key := strings.TrimSpace(s[i+2 : i+2+j])
		if v, ok := facts[key]; ok && v != "" {
			b.WriteString(v)
		} else {
			b.WriteString(Missing)
		}
		s = s[i+2+j+2:]
	}
	b.WriteString(s)
	return b.String()
}

// templateProblems returns a message for each malformed or unknown
// reference in s.
func templateProblems(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			if strings.Contains(s, "}}") {
				out = append(out, "«}}» senza «{{» corrispondente")
			}
			return out
		}
		if strings.Contains(s[:i], "}}") {
			out = append(out, "«}}» senza «{{» corrispondente")
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			return append(out, "«{{» senza «}}» di chiusura")
		}
		key := strings.TrimSpace(s[i+2 : i+2+j])
		if !IsFact(key) {
			out = append(out, "dato sconosciuto «{{"+key+"}}» (i dati citabili sono elencati in flows/README.md)"+yamlstrict.Suggest(key, factNames))
		}
		s = s[i+2+j+2:]
	}
}

package flow

import (
	"strings"

	"github.com/sportello/sportello/internal/check"
)

// Flow texts may quote facts found by the checks of the current walk with
// {{key}}, e.g. "Il certificato di {{cert.holder}} scade tra
// {{cert.days_left}} giorni". Keys are check.FactKeys; spaces inside the
// braces are allowed. A fact no check has reported yet expands to Missing.

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
		if !check.FactKeys.Has(key) {
			out = append(out, "dato sconosciuto «{{"+key+"}}» (i dati citabili sono elencati in flows/README.md)"+suggest(key, check.FactKeys))
		}
		s = s[i+2+j+2:]
	}
}

package token

import (
	"sort"
	"strings"
)

// Mask hides all but the last three characters of s (all of a value of
// four characters or fewer).
func Mask(s string) string {
	r := []rune(s)
	keep := 3
	if len(r) <= 4 {
		keep = 0
	}
	for i := 0; i < len(r)-keep; i++ {
		r[i] = '*'
	}
	return string(r)
}

// minInText is the shortest sensitive value masked inside longer text; a
// shorter one (a test certificate's serial "1") is masked only where it is
// the whole value.
const minInText = 6

// Redactor masks codici fiscali and serial numbers in text.
type Redactor struct {
	values []string // longest first
}

// NewRedactor collects the sensitive values of mods: token serial numbers,
// certificate serial numbers, codici fiscali and CNS card numbers. Any
// other codice fiscale found in a text is masked too.
func NewRedactor(mods []Module) *Redactor {
	var values []string
	for _, m := range mods {
		for _, s := range m.Slots {
			if s.Token == nil {
				continue
			}
			values = append(values, s.Token.Serial)
			for _, c := range s.Token.Certificates {
				values = append(values, c.Serial, c.CodiceFiscale, c.CardNumber)
			}
		}
	}
	return RedactorOf(values...)
}

// RedactorOf masks the given values (empty ones and repeats are ignored)
// and any codice fiscale, with the same Mask as the diagnosis reports.
func RedactorOf(values ...string) *Redactor {
	set := map[string]bool{}
	for _, v := range values {
		set[v] = true
	}
	delete(set, "")
	r := &Redactor{}
	for v := range set {
		r.values = append(r.values, v)
	}
	sort.Slice(r.values, func(i, j int) bool {
		if len(r.values[i]) != len(r.values[j]) {
			return len(r.values[i]) > len(r.values[j])
		}
		return r.values[i] < r.values[j]
	})
	return r
}

// Text returns s with every sensitive value and codice fiscale masked.
func (r *Redactor) Text(s string) string {
	for _, v := range r.values {
		switch {
		case s == v:
			return Mask(s)
		case len(v) >= minInText && strings.Contains(s, v):
			s = strings.ReplaceAll(s, v, Mask(v))
		}
	}
	return cfAnywhere.ReplaceAllStringFunc(s, Mask)
}

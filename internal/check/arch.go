package check

import (
	"runtime"
	"strings"

	"github.com/sportello/sportello/internal/token"
)

// remedyWrongArch fits a driver built for another architecture (a 32-bit
// driver in a 64-bit sportello): reinstalling the same package or changing
// USB port would not help.
const remedyWrongArch = "Installa la versione a 64 bit del driver del dispositivo (dal sito del produttore " +
	"o con la procedura di installazione), poi riavvia il computer: quella a 32 bit non può essere usata."

// wrongArchOnly reports whether every faulty module is a driver for
// another architecture.
func wrongArchOnly(faults []*token.Module) bool {
	for _, m := range faults {
		if m.Fault == nil || m.Fault.Kind != token.FaultWrongArch {
			return false
		}
	}
	return len(faults) > 0
}

// searchedDetail says where discovery looked when no driver was found:
// the vendors of the known paths tried and, where discovery reads it
// (Linux), the p11-kit registry.
func searchedDetail(mods []token.Module, searched int) string {
	var vendors []string
	seen := map[string]bool{}
	p11kit := false
	for _, m := range mods {
		if m.Source == token.SourceP11Kit {
			p11kit = true
		}
		if m.Status != token.ModuleNotFound || m.Vendor == "" || seen[m.Vendor] {
			continue
		}
		seen[m.Vendor] = true
		vendors = append(vendors, m.Vendor)
	}
	s := "Cercati " + Plural(searched, "percorso noto", "percorsi noti")
	if len(vendors) > 0 {
		s += " (" + strings.Join(vendors, ", ") + ")"
	}
	if p11kit || token.SearchesP11Kit(runtime.GOOS) {
		s += " e i moduli registrati in p11-kit"
	}
	return s + ": nessuno è installato."
}

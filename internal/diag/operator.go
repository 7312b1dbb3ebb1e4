package diag

// The operator mode: a user sends the report of their machine, the
// operator walks the flows on it. ReportRunner answers every check from
// the report and never probes this machine; Header says whose report it
// is and when it was made; ReportOS says which system's instructions fit.

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/textsafe"
)

// ReportRunner is a check.Runner over a saved report: the results of each
// check, by check name and device, as the report has them. It never
// probes. A check the report does not hold (made by an older sportello,
// or without the workstation) is a Skip result that says so: not a
// problem of the user's machine, a fact the report lacks.
type ReportRunner struct {
	Report *Report
}

var _ check.Runner = (*ReportRunner)(nil)

// Run returns the report's results of names (nil: every check of
// check.Known), in the order of Known and then of the report, calling
// emit with each.
func (r *ReportRunner) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	if names == nil {
		names = check.Known
	}
	if emit == nil {
		emit = func(check.Result) {}
	}
	order := append(slices.Clone([]string(check.Known)), names...) // Known first, then names it lacks
	var out []check.Result
	done := map[string]bool{}
	for _, name := range order {
		if done[name] || !slices.Contains(names, name) {
			continue
		}
		done[name] = true
		rs := check.Of(r.Report.Checks, name)
		for _, c := range rs {
			out = append(out, c)
			emit(c)
		}
		if len(rs) == 0 {
			// Not a problem of the user's machine: a fact the report does
			// not have. The verdict stays the report's own.
			res := check.Result{Check: name, Status: check.Skip, Title: "Non verificato: il rapporto non contiene il controllo «" + textsafe.Line(check.Label(name)) + "»",
				Detail: "Il rapporto è stato fatto da una versione di sportello che non esegue questo controllo, o senza controllare il computer."}
			out = append(out, res)
			emit(res)
		}
	}
	return out
}

// Last is the report itself: what the operator saves again.
func (r *ReportRunner) Last() *Report { return r.Report }

// Header says whose report the walk uses and when it was made, for the
// top of every screen: «Dati dal rapporto del 01/12/2026 11:34 · «Firma
// Test» (MARIO ROSSI)», the device and its holder as the report has them
// (masked when the report is). Sanitised.
func Header(r *Report) string {
	s := "Dati dal rapporto del " + r.GeneratedAt.Local().Format("02/01/2006 15:04")
	devs := check.Devices(r.Checks)
	switch {
	case len(devs) == 1:
		d := devs[0]
		if strings.TrimSpace(d.Label) != "" {
			s += " · «" + strings.TrimSpace(d.Label) + "»"
		} else {
			s += fmt.Sprintf(" · dispositivo nello slot %d", d.Slot)
		}
		if strings.TrimSpace(d.Holder) != "" {
			s += " (" + strings.TrimSpace(d.Holder) + ")"
		}
	case len(devs) > 1:
		s += fmt.Sprintf(" · %d dispositivi", len(devs))
	default:
		s += " · nessun dispositivo letto"
	}
	if r.Redacted {
		s += " · dati personali mascherati"
	}
	return textsafe.Line(s + ", non da questo computer")
}

// ReportOS is the system the report was made on, as a GOOS ("windows",
// "darwin", "linux"), "" when it does not say: the paths of the drivers
// it tried tell, since discovery tries the paths of the system it runs on.
func ReportOS(r *Report) string {
	for _, m := range r.Modules {
		p := strings.ToLower(m.Path)
		switch {
		case strings.HasSuffix(p, ".dll") || strings.Contains(p, `\`):
			return "windows"
		case strings.HasSuffix(p, ".dylib"):
			return "darwin"
		case strings.HasSuffix(path.Base(p), ".so") || strings.Contains(path.Base(p), ".so."):
			return "linux"
		}
	}
	return ""
}

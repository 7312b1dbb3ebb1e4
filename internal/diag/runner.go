package diag

import (
	"context"
	"fmt"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/textsafe"
)

// Runner runs the token checks for the TUI: it implements check.Runner.
// Every call probes afresh (one isolated child per module), so a device
// inserted a moment ago is seen; a probe of SoftHSM2 takes tens of
// milliseconds, a hung module at most Options.Timeout.
type Runner struct {
	Options Options
}

var _ check.Runner = (*Runner)(nil)

// NewRunner returns a Runner with options o.
func NewRunner(o Options) *Runner { return &Runner{Options: o} }

// Run runs the probe and returns the Result of the named check. It never
// panics: a check that cannot run, an unknown name or a cancelled ctx
// (Esc in the TUI) yields Status Error.
func (r *Runner) Run(ctx context.Context, name string) (res check.Result) {
	defer func() {
		if p := recover(); p != nil {
			res = errorResult(name, "Errore interno durante il controllo", textsafe.Line(fmt.Sprint(p)))
		}
	}()
	if !check.Known.Has(name) {
		return errorResult(name, "Controllo sconosciuto: "+name, "")
	}
	rep := Diagnose(ctx, r.Options)
	if ctx.Err() != nil {
		return errorResult(name, "Controllo annullato", "")
	}
	for _, c := range rep.Checks {
		if c.Check == name {
			return c
		}
	}
	return errorResult(name, "Controllo non eseguito: "+name, "")
}

// RunAll runs every token check from one probe and returns the whole
// report (Report.Checks holds the Results).
func (r *Runner) RunAll(ctx context.Context) *Report { return Diagnose(ctx, r.Options) }

func errorResult(name, title, detail string) check.Result {
	return check.Result{Check: name, Status: check.Error, Title: title, Detail: detail}
}

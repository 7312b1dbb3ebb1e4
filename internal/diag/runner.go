package diag

import (
	"context"
	"slices"
	"sync"

	"github.com/sportello/sportello/internal/check"
)

// Runner runs the checks for the TUI and the plain mode: it implements
// check.Runner. Every call probes afresh (one isolated child per module),
// so a device inserted a moment ago is seen; a probe of SoftHSM2 takes tens
// of milliseconds, a hung module at most Options.Timeout.
type Runner struct {
	Options Options

	mu   sync.Mutex
	last *Report // the report of the last run that completed
}

var _ check.Runner = (*Runner)(nil)

// NewRunner returns a Runner with options o.
func NewRunner(o Options) *Runner { return &Runner{Options: o} }

// Run probes once and returns the results of the named checks (nil: all
// of check.Known), in the order of Known and then of the devices, calling
// emit with each as soon as it is known, while the probe runs (live.go):
// the token checks once the modules and the smart-card block of the
// workstation are in, the workstation's checks by block. It never panics: a check that cannot run, an unknown
// name or a cancelled ctx (Esc in the TUI) yields Status Error.
func (r *Runner) Run(ctx context.Context, names []string, emit func(check.Result)) (out []check.Result) {
	if names == nil {
		names = check.Known
	}
	if emit == nil {
		emit = func(check.Result) {}
	}
	defer func() {
		if p := recover(); p != nil {
			out = nil
			for _, name := range names {
				res := errorResult(name, "Errore interno durante il controllo", "Il controllo automatico non è riuscito: il percorso prosegue come quando un controllo non riesce.")
				out = append(out, res)
				emit(res)
			}
		}
	}()
	o := r.Options
	var l *live
	if !o.Redact { // masked results are only known once the report is
		l = newLive(names, emit, o)
		o.live = l
	}
	rep := Diagnose(ctx, o)
	sent := func(name string) bool { return l != nil && l.wasSent(name) }
	if ctx.Err() == nil {
		r.mu.Lock()
		r.last = rep
		r.mu.Unlock()
	}
	if ctx.Err() != nil {
		for _, name := range names {
			res := errorResult(name, "Controllo annullato", "")
			out = append(out, res)
			emit(res)
		}
		return out
	}
	for _, name := range check.Known {
		if !slices.Contains(names, name) {
			continue
		}
		rs := check.Of(rep.Checks, name)
		if len(rs) == 0 {
			res := errorResult(name, "Controllo non eseguito: "+name, "")
			out = append(out, res)
			emit(res)
		}
		told := sent(name) // emitted while probing: the same results
		for _, c := range rs {
			out = append(out, c)
			if !told {
				emit(c)
			}
		}
	}
	for _, name := range names {
		if !check.Known.Has(name) {
			res := errorResult(name, "Controllo sconosciuto: "+name, "")
			out = append(out, res)
			emit(res)
		}
	}
	return out
}

// Last returns the report of the last run that completed (what the
// self-check saves for the office), nil before one.
func (r *Runner) Last() *Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// RunAll runs every check from one probe and returns the whole report
// (Report.Checks holds the Results).
func (r *Runner) RunAll(ctx context.Context) *Report { return Diagnose(ctx, r.Options) }

func errorResult(name, title, detail string) check.Result {
	return check.Result{Check: name, Status: check.Error, Title: title, Detail: detail}
}

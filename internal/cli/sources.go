package cli

import (
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

// statusEvery is the time between the topics screen's background probes:
// a device plugged in or out shows within it and one probe.
const statusEvery = 2 * time.Second

// sources is where the assistant's checks come from: this machine (the
// isolated probe), or with --report a user's saved report, never probing.
type sources struct {
	runner      check.Runner // the check nodes' and the self-check's
	status      check.Runner // the topics' status line; nil: none (--no-probe)
	statusEvery time.Duration
	header      string                                // the operator's header, "" for this machine
	office      func(redact bool) (diag.Saved, error) // «Salva il rapporto per l'ufficio»; nil: not offered
	os          flow.OS                               // the report's system, "" when unknown or not a report
	fromReport  bool
}

// lastReporter is a runner that keeps the report of its last run.
type lastReporter interface {
	Last() *diag.Report
}

// sources builds the runners of a walk from its flags. A --report file
// that is not a readable report is an error (exit 1) naming it.
func (a *app) sources(o walkOpts, cfg *config.Config, early *earlyRunner) (sources, error) {
	if o.report != "" {
		r, err := diag.ReadReport(o.report)
		if err != nil {
			return sources{}, &exitError{code: ExitProblem, msg: err.Error()}
		}
		run := &diag.ReportRunner{Report: r}
		s := sources{runner: run, header: diag.Header(r), fromReport: true}
		if !o.noProbe {
			s.status = run // the report's state, once: it does not change
		}
		goos := diag.ReportOS(r)
		if r.Workstation != nil && r.Workstation.GOOS != "" {
			goos = r.Workstation.GOOS
		}
		s.os = engine.OSOf(goos)
		return s, nil
	}
	s := sources{statusEvery: statusEvery}
	if early != nil {
		s.runner = early // it wraps the check runner, built by prefetch
	} else {
		s.runner = a.checkRunner(o, cfg)
	}
	if !o.noProbe {
		s.status = a.runner
		if s.status == nil {
			// The device's state: the token checks, without the
			// workstation, one probe every few seconds.
			opts := o.probe.options(cfg)
			opts.NoWorkstation = true
			s.status = diag.NewRunner(opts)
		}
	}
	if lr, ok := s.runner.(lastReporter); ok {
		s.office = func(redact bool) (diag.Saved, error) {
			rep := lr.Last()
			if rep == nil {
				return diag.Saved{}, errNoRun
			}
			return diag.SaveForOffice(rep, diag.SaveOptions{Redact: redact})
		}
	}
	return s, nil
}

// errNoRun: nothing to save before a run of the checks ended.
var errNoRun = italianError("nessun controllo completato da salvare: ripeti l'autodiagnosi")

type italianError string

func (e italianError) Error() string { return string(e) }

package cli

import (
	"context"
	"slices"
	"sync"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

// A walk that starts on the self-check (sportello run autodiagnosi) needs
// its probe at once: starting it when the screen opens would add the time
// to set up the terminal to the probe's. So walk starts the probe as soon
// as the flows are loaded (from their snapshot, well under a millisecond),
// while the screen opens; the self-check's first run takes that probe as
// it goes. A probe no run takes is cancelled (its child killed) unused.

// earlyRunner is a check.Runner whose first run of names was started in
// advance.
type earlyRunner struct {
	inner check.Runner

	mu      sync.Mutex
	pending *earlyRun // taken by the first Run of its names
}

// earlyRun is a run started in advance: what it emitted so far, and its
// results once done.
type earlyRun struct {
	names  []string
	cancel context.CancelFunc
	mu     sync.Mutex
	heard  []check.Result
	wake   chan struct{} // closed and replaced at every result
	done   chan struct{}
	final  []check.Result
}

// startEarly starts runner's run of names now.
func startEarly(runner check.Runner, names []string) *earlyRunner {
	ctx, cancel := context.WithCancel(context.Background())
	er := &earlyRun{names: names, cancel: cancel, wake: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(er.done)
		er.final = check.Run(ctx, runner, names, func(r check.Result) {
			er.mu.Lock()
			er.heard = append(er.heard, r)
			close(er.wake)
			er.wake = make(chan struct{})
			er.mu.Unlock()
		})
	}()
	return &earlyRunner{inner: runner, pending: er}
}

// Run takes the run started in advance when it is of the same names (the
// first time only), else runs anew.
func (e *earlyRunner) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	e.mu.Lock()
	er := e.pending
	if er != nil && slices.Equal(er.names, names) {
		e.pending = nil
	} else {
		er = nil
	}
	e.mu.Unlock()
	if er == nil {
		return e.inner.Run(ctx, names, emit)
	}
	if emit == nil {
		emit = func(check.Result) {}
	}
	sent := 0
	for finished := false; ; {
		er.mu.Lock()
		heard, wake := er.heard[sent:], er.wake
		sent = len(er.heard)
		er.mu.Unlock()
		for _, r := range heard {
			emit(r)
		}
		if finished {
			return er.final
		}
		select {
		case <-wake:
		case <-er.done:
			finished = true // one more pass for what came since
		case <-ctx.Done():
			er.cancel()
			<-er.done
			return er.final
		}
	}
}

// discard cancels a run started in advance that nothing took.
func (e *earlyRunner) discard() {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pending != nil {
		e.pending.cancel()
		e.pending = nil
	}
}

// Last is the inner runner's (the report saved for the office).
func (e *earlyRunner) Last() *diag.Report {
	if lr, ok := e.inner.(lastReporter); ok {
		return lr.Last()
	}
	return nil
}

// prefetch starts the self-check's probe when start names a checklist
// node of set; nil otherwise (the operator mode, a test's runner).
func (a *app) prefetch(set *flow.Set, start string, o walkOpts, cfg *config.Config) *earlyRunner {
	if start == "" || o.report != "" || a.runner != nil {
		return nil
	}
	ref, err := engine.ParseRef(set, start)
	if err != nil {
		return nil
	}
	if n := set.Node(ref.Flow, ref.Node); n != nil && n.Type == flow.Checklist {
		return startEarly(a.checkRunner(o, cfg), n.ChecklistNames())
	}
	return nil
}

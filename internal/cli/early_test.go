package cli

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/check/checktest"
)

// A run started in advance is taken by the first Run of its names, which
// hears every result (those emitted before it came, and the rest); later
// runs, and runs of other names, run anew; discard cancels a run nothing
// took.
func TestEarlyRunner(t *testing.T) {
	var runs atomic.Int32
	gate := make(chan struct{})
	inner := counting{n: &runs, r: checktest.Live{Probe: checktest.OneDevice, Hold: 2, Gate: gate}}
	names := check.TokenCheckNames
	e := startEarly(inner, names)
	time.Sleep(20 * time.Millisecond) // two results emitted before anyone listens
	go func() {
		for range 4 {
			gate <- struct{}{}
		}
	}()
	var heard []string
	got := e.Run(context.Background(), names, func(r check.Result) { heard = append(heard, r.Check) })
	if runs.Load() != 1 || len(got) != 6 || len(heard) != 6 || heard[0] != check.TokenModule || heard[5] != check.TokenCNS {
		t.Fatalf("%d runs, %d results, heard %v", runs.Load(), len(got), heard)
	}
	close(gate)
	if e.Run(context.Background(), names, nil); runs.Load() != 2 {
		t.Errorf("the second run did not run anew: %d runs", runs.Load())
	}

	// Discarded: its context ends.
	stopped := make(chan struct{})
	blocking := runnerFunc(func(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
		<-ctx.Done()
		close(stopped)
		return nil
	})
	startEarly(blocking, names).discard()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("discard did not cancel the run")
	}

	// Cancelled while taken: it returns once the run ends.
	stopped = make(chan struct{})
	e = startEarly(blocking, names)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx, names, nil); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled Run did not return")
	}
}

type counting struct {
	n *atomic.Int32
	r check.Runner
}

func (c counting) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	c.n.Add(1)
	return c.r.Run(ctx, names, emit)
}

type runnerFunc func(ctx context.Context, names []string, emit func(check.Result)) []check.Result

func (f runnerFunc) Run(ctx context.Context, names []string, emit func(check.Result)) []check.Result {
	return f(ctx, names, emit)
}

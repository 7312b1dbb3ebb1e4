package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/engine"
)

// job is one piece of background work of a screen at a time (a check, the
// self-check's list, the status line's probe). It runs in a tea.Cmd (its
// own goroutine) with a context that Esc, leaving the screen or quitting
// cancels. Every run gets a new sequence number, and so does every stop: a
// message that carries an older number is stale (the user left, or
// cancelled) and is dropped.
type job struct {
	seq    int
	cancel context.CancelFunc // nil: nothing runs
}

// begin stops the run in flight, if any, and starts a new one: the
// context it runs with, and the seq its messages carry.
func (j *job) begin() (context.Context, int) {
	j.end()
	ctx, cancel := context.WithCancel(context.Background())
	j.cancel = cancel
	return ctx, j.seq
}

// end cancels the run in flight, if any, and makes every message sent so
// far stale.
func (j *job) end() {
	if j.cancel != nil {
		j.cancel()
		j.cancel = nil
	}
	j.seq++
}

// finish closes the run in flight once its last message came; later
// messages of the same seq (a poll tick) stay current.
func (j *job) finish() {
	j.cancel()
	j.cancel = nil
}

// running reports whether a run is in flight.
func (j *job) running() bool { return j.cancel != nil }

// current reports whether a message of run seq comes from the run in
// flight.
func (j *job) current(seq int) bool { return seq == j.seq && j.running() }

// checkRun is the state of the check of the current node.
type checkRun struct {
	job
	waiting bool          // wait node: the last result was fail; runs again every Poll
	last    *check.Result // the result shown, or the fail being waited on
	// choices, when set, are the devices the probe found: the node asks
	// which one the user means (engine.DeviceQuestion) before showing a
	// result; results is that probe.
	choices []engine.DeviceChoice
	results []check.Result
}

// checkDoneMsg carries the results of run seq: one probe.
type checkDoneMsg struct {
	seq     int
	results []check.Result
}

// checkPollMsg asks to run the check of a wait node again.
type checkPollMsg struct{ seq int }

// spinning reports whether the spinner line is shown.
func (n *node) spinning() bool { return n.run.running() || n.run.waiting }

// start runs the current node's check.
func (n *node) start() tea.Cmd {
	wasSpinning := n.spinning()
	ctx, seq := n.run.begin()
	runner, names := n.c.Runner, n.c.Engine.CheckNames()
	run := func() tea.Msg { return checkDoneMsg{seq: seq, results: check.Run(ctx, runner, names, nil)} }
	if wasSpinning {
		return run
	}
	return tea.Batch(run, n.spin.Tick)
}

// stop cancels a running check, stops waiting, and makes every message in
// flight stale.
func (n *node) stop() {
	n.run.end()
	n.run.waiting = false
	n.run.choices, n.run.results = nil, nil
}

// done takes a probe's results: when several devices answer and none is
// chosen, it asks which one; otherwise it shows the result.
func (n *node) done(msg checkDoneMsg) tea.Cmd {
	if !n.run.current(msg.seq) {
		return nil
	}
	n.run.finish()
	res, choices := n.c.Engine.Resolve(msg.results)
	if choices != nil {
		n.run.waiting, n.run.last = false, nil
		n.run.choices, n.run.results = choices, msg.results
		n.refresh()
		return nil
	}
	return n.show(res)
}

// choose follows device i of the question, then shows its result.
func (n *node) choose(i int) tea.Cmd {
	c := n.run.choices[i]
	_ = n.c.Engine.ChooseDevice(c.Device.Key()) // one of the probe's devices
	res, _ := n.c.Engine.Resolve(n.run.results)
	n.run.choices, n.run.results = nil, nil
	n.c.notify("Dispositivo scelto: "+c.Label, false)
	return n.show(res)
}

// show shows a result. On a wait node a fail keeps waiting: the check runs
// again after Poll.
func (n *node) show(res check.Result) tea.Cmd {
	n.run.last = &res
	n.run.waiting = n.c.Engine.Current().Wait && res.Status == check.Fail
	n.refresh()
	if !n.run.waiting {
		return nil
	}
	seq := n.run.seq
	return tea.Tick(n.c.Poll, func(time.Time) tea.Msg { return checkPollMsg{seq: seq} })
}

// spinLine is the line under the page while a check runs or waits.
func (n *node) spinLine() string {
	msg := "Controllo in corso…" // the spinner frames end with a space
	if n.run.waiting {
		msg = "In attesa: nuovo controllo " + engine.Every(n.c.Poll) + "…"
	}
	return n.spin.View() + n.c.Styles.Dim.Render(msg)
}

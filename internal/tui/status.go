package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/textsafe"
)

// The topics screen's status line: the device inserted and its most
// urgent fact (diag.StatusOf), from a background probe of the token checks
// that runs while the topics are shown, one after another with
// StatusEvery between them, so that a device plugged in or out shows
// within StatusEvery and a probe. The probe runs in a command (its own
// goroutine) and never delays a frame or a key; leaving the topics stops
// it, coming back starts it again.

// statusState is the home screen's background probe.
type statusState struct {
	job                  // the probe (checkrun.go)
	line  *diag.Headline // the last line, kept while a new probe runs
	shown bool           // the topics are shown: the probe may run
}

// statusMsg carries the line of probe seq.
type statusMsg struct {
	seq  int
	line diag.Headline
}

// statusTickMsg asks for the next probe of seq.
type statusTickMsg struct{ seq int }

// show starts probing, the topics being shown.
func (h *home) show() tea.Cmd {
	if h.c.Status == nil || h.status.shown {
		return nil
	}
	h.status.shown = true
	return h.probe()
}

// hide stops probing: the topics are not shown.
func (h *home) hide() {
	h.status.shown = false
	h.status.end()
}

// probe runs one probe of the token checks in the background.
func (h *home) probe() tea.Cmd {
	ctx, seq := h.status.begin()
	runner := h.c.Status
	return func() tea.Msg {
		results := check.Run(ctx, runner, check.TokenCheckNames, nil)
		return statusMsg{seq: seq, line: diag.StatusOf(results)}
	}
}

// statusUpdate takes the status messages; it reports whether msg was one.
func (h *home) statusUpdate(msg tea.Msg) (tea.Cmd, bool) {
	st := &h.status
	switch msg := msg.(type) {
	case statusMsg:
		if !st.current(msg.seq) || !st.shown {
			return nil, true
		}
		st.finish()
		line := msg.line
		st.line = &line
		h.page.render()
		if h.c.StatusEvery <= 0 {
			return nil, true
		}
		seq := st.seq
		return tea.Tick(h.c.StatusEvery, func(time.Time) tea.Msg { return statusTickMsg{seq: seq} }), true
	case statusTickMsg:
		if msg.seq == st.seq && st.shown && !st.running() {
			return h.probe(), true
		}
		return nil, true
	}
	return nil, false
}

// statusLines is the status line at the top of the topics, or nothing
// without a probe.
func (h *home) statusLines(width int) []string {
	if h.c.Status == nil {
		return nil
	}
	s := h.c.Styles
	if h.status.line == nil {
		return wrapStyled(s.Dim, "Controllo del dispositivo di firma in corso…", width)
	}
	l := h.status.line
	st := map[check.Urgency]check.Status{check.UrgencyProblem: check.Fail, check.UrgencyWarn: check.Warn, check.UrgencyPass: check.Pass}[l.Urgency]
	if st == "" {
		st = check.Skip
	}
	line := s.Check[st].Render(checkMark[st]+" "+textsafe.Line(l.Text)) + s.Dim.Render(" · premi a per l'autodiagnosi")
	return []string{line}
}

package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/markup"
	"github.com/sportello/sportello/internal/textsafe"
)

// checklist shows a checklist node: the self-check on one screen. It runs
// every check of the node from one probe and fills the list in as the
// results arrive (a spinner on the pending ones): the problems first,
// expanded (title, detail, remedy), each a choice that follows it to the
// node that solves it; then every check by group, one line each, and with
// several devices one block per device. r runs it again; its choices also
// save the report for the office and go on to the node's next.
type checklist struct {
	c    *Common
	page page
	spin spinner.Model

	job                     // the run of the list's checks (checkrun.go)
	results  []check.Result // as they arrive; once done, the run's own list
	problems []engine.Problem
	asking   bool        // asking whether to mask the report for the office
	saved    *diag.Saved // the report saved for the office
	saveErr  string
}

func newChecklist(c *Common) *checklist {
	return &checklist{
		c:    c,
		page: newPage(c, true),
		spin: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Spinner)),
	}
}

// listMsg carries, for run seq, results as soon as they are known, or
// (done) the run's whole list. ch is where the next ones come from.
type listMsg struct {
	seq     int
	results []check.Result
	done    bool
	final   []check.Result
	ch      <-chan listMsg
}

// listen waits for the next message of a run and takes with it every
// other one already there, so that a burst of results (a probe's token
// checks come together) is one update and one frame; nil once the run is
// over.
func listen(ch <-chan listMsg) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		for !m.done {
			select {
			case next, ok := <-ch:
				if !ok {
					return m
				}
				next.results = append(m.results, next.results...)
				m = next
				continue
			default:
			}
			break
		}
		return m
	}
}

func (s *checklist) Init() tea.Cmd { return nil }

// load shows the engine's checklist node from the top and runs it.
func (s *checklist) load() tea.Cmd {
	s.asking, s.saved, s.saveErr = false, nil, ""
	cmd := s.start() // it stops a run in flight
	s.refresh()
	return cmd
}

// start runs the node's checks from one probe, in a goroutine of its own;
// each result comes back as a listMsg.
func (s *checklist) start() tea.Cmd {
	ctx, seq := s.begin()
	s.results, s.problems = nil, nil
	runner, names := s.c.Runner, s.c.Engine.ChecklistNames()
	ch := make(chan listMsg, 64)
	go func() {
		defer close(ch)
		send := func(m listMsg) {
			select {
			case ch <- m:
			case <-ctx.Done():
			}
		}
		final := check.Run(ctx, runner, names, func(r check.Result) { send(listMsg{seq: seq, results: []check.Result{r}, ch: ch}) })
		send(listMsg{seq: seq, done: true, final: final, ch: ch})
	}()
	return tea.Batch(listen(ch), s.spin.Tick)
}

// stop cancels a run in flight and makes its messages stale.
func (s *checklist) stop() { s.end() }

func (s *checklist) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case listMsg:
		if !s.current(msg.seq) {
			return s, nil
		}
		if !msg.done {
			s.results = append(s.results, msg.results...)
			s.problems = s.c.Engine.Problems(s.results)
			s.page.setItems(s.items())
			return s, listen(msg.ch)
		}
		s.finish()
		s.results = msg.final
		_ = s.c.Engine.ChecklistDone(msg.final) // the engine is on this node
		s.problems = s.c.Engine.Problems(msg.final)
		s.page.setItems(s.items())
		return s, nil
	case spinner.TickMsg:
		if s.running() {
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			s.page.render()
			return s, cmd
		}
	case tea.KeyMsg:
		return s, s.key(msg)
	}
	return s, nil
}

// key handles a key on the list.
func (s *checklist) key(msg tea.KeyMsg) tea.Cmd {
	e, k := s.c.Engine, s.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		if s.asking {
			s.asking = false
			s.refresh()
			return nil
		}
		s.stop()
		e.Back()
		return nil
	case key.Matches(msg, k.Rerun) && !s.asking:
		s.saved, s.saveErr = nil, ""
		cmd := s.start()
		s.refresh()
		return cmd
	}
	i := s.page.update(msg, k.Up, k.Down, k.Choose)
	if i < 0 {
		return nil
	}
	if s.asking {
		return s.answerMask(i)
	}
	if s.running() {
		s.c.notify("Attendi la fine dei controlli, o premi esc per tornare indietro.", false)
		return nil
	}
	switch a := s.actions(); {
	case i < len(s.problems):
		p := s.problems[i]
		if !p.Followable() {
			s.c.notify("Per questo problema non c'è una guida da aprire: segui «Cosa fare».", false)
			return nil
		}
		s.stop()
		_ = e.FollowProblem(p) // followable: its node exists
	case a[i-len(s.problems)] == actionOffice:
		s.asking = true
		s.refresh()
	default:
		s.stop()
		_ = e.Continue()
	}
	return nil
}

// The choices after the problems.
const (
	actionOffice = iota
	actionContinue
)

// actions are the choices after the problems, once the run is done.
func (s *checklist) actions() []int {
	if s.running() {
		return nil
	}
	var out []int
	if s.c.Office != nil {
		out = append(out, actionOffice)
	}
	return append(out, actionContinue)
}

// maskChoices answer «Vuoi mascherare i dati personali?».
var maskChoices = []string{
	"Sì, maschera codice fiscale e numeri di serie (consigliato per e-mail e chat)",
	"No, lasciali in chiaro",
	"Annulla",
}

// answerMask saves the report for the office, masked or not, and shows
// where and what to read out on the phone.
func (s *checklist) answerMask(i int) tea.Cmd {
	s.asking = false
	if i < 2 {
		saved, err := s.c.Office(i == 0)
		if err != nil {
			s.saved, s.saveErr = nil, "Impossibile salvare il rapporto per l'ufficio: "+textsafe.Line(err.Error())
		} else {
			s.saved, s.saveErr = &saved, ""
		}
	}
	s.refresh()
	return nil
}

// refresh lays the list out again from the top (the choices changed).
func (s *checklist) refresh() { s.page.set(s.head, s.items(), s.tail) }

func (s *checklist) head(width int) []string {
	cur := s.c.Engine.Current()
	if cur == nil {
		return nil
	}
	st := s.c.Styles
	out := s.c.nodeHead(cur, width)
	out = append(out, "")
	out = append(out, s.summaryLines(width)...)
	if s.asking {
		out = append(out, "")
		out = append(out, wrapStyled(st.Bold, "Vuoi mascherare i dati personali nel rapporto per l'ufficio?", width)...)
		out = append(out, wrapStyled(st.Dim, "Il rapporto contiene il codice fiscale del titolare e i numeri di serie: mascherali se lo mandi per e-mail o in chat.", width)...)
		return append(out, "")
	}
	if len(s.problems) > 0 {
		out = append(out, "")
		out = append(out, wrapStyled(st.Bold, fmt.Sprintf("Da risolvere (%d):", len(s.problems)), width)...)
	} else if !s.running() {
		out = append(out, "")
	}
	return out
}

// summaryLines say how the run stands: how many results are in, or the
// verdict; then the report saved for the office.
func (s *checklist) summaryLines(width int) []string {
	st := s.c.Styles
	names := s.c.Engine.ChecklistNames()
	var out []string
	if s.running() {
		in := 0
		for _, n := range names {
			if len(check.Of(s.results, n)) > 0 {
				in++
			}
		}
		out = wrapStyled(st.Dim, fmt.Sprintf("Controlli in corso: %d di %d…", in, len(names)), width)
	} else {
		v := diag.NewVerdict(s.results, false)
		status := map[string]check.Status{"ok": check.Pass, "warn": check.Warn, "problem": check.Fail}[v.Status]
		hint := ". Scegli un problema e premi invio per risolverlo; r ricontrolla."
		if len(s.problems) == 0 {
			hint = ". r ricontrolla."
		}
		out = append([]string{st.Check[status].Render(checkMark[status] + " " + v.Message)},
			wrapStyled(st.Dim, engine.ChecklistCount(s.results)+hint, width)...)
	}
	switch {
	case s.saveErr != "":
		out = append(out, "")
		out = append(out, wrapStyled(st.Error, s.saveErr, width)...)
	case s.saved != nil:
		out = append(out, "")
		out = append(out, wrapStyled(st.StatusLine, "Rapporto per l'ufficio salvato in "+textsafe.Line(s.saved.Path), width)...)
		out = append(out, wrapStyled(st.Bold, "Da leggere all'ufficio: "+s.saved.Line, width)...)
		if !s.saved.Redacted {
			out = append(out, wrapStyled(st.Dim, "Contiene codice fiscale e numeri di serie in chiaro.", width)...)
		}
	}
	return out
}

// items are the problems, expanded, then the choices after them; while
// asking whether to mask, the answers.
func (s *checklist) items() []item {
	if s.asking {
		out := make([]item, len(maskChoices))
		for i, l := range maskChoices {
			out[i] = item{label: l}
		}
		return out
	}
	st := s.c.Styles
	var out []item
	for _, p := range s.problems {
		r := p.Result
		it := item{label: st.Check[r.Status].Render(checkMark[r.Status]+" "+engine.StatusWord(r.Status)+":") + " " + textsafe.Text(r.Title)}
		if d := strings.TrimSpace(r.Detail); d != "" {
			it.body = append(it.body, textsafe.Text(d))
		}
		if rem := strings.TrimSpace(r.Remedy); rem != "" {
			it.body = append(it.body, "Cosa fare: "+textsafe.Text(rem))
		}
		if p.Followable() {
			it.body = append(it.body, st.Dim.Render("invio: apri «"+s.c.plainLine(s.c.Engine.TargetTitle(p))+"»"))
		}
		out = append(out, it)
	}
	for _, a := range s.actions() {
		switch a {
		case actionOffice:
			out = append(out, item{label: "Salva il rapporto per l'ufficio", desc: "un file da mandare all'ufficio, e la frase da leggere al telefono"})
		case actionContinue:
			out = append(out, item{label: s.c.text(s.c.Engine.ContinueLabel())})
		}
	}
	return out
}

// tail is every check by group, one line each; with several devices the
// checks about a device in one block per device.
func (s *checklist) tail(width int) []string {
	cur := s.c.Engine.Current()
	if cur == nil || s.asking {
		return nil
	}
	st := s.c.Styles
	out := []string{""}
	out = append(out, wrapStyled(st.Bold, "Tutti i controlli:", width)...)
	devs := check.Devices(s.results)
	several := len(devs) > 1
	block := func(indent string, keep func(check.Result) bool, pending bool) []string {
		var lines []string
		for _, g := range cur.Groups {
			var rows []string
			for _, name := range g.Checks {
				rs := check.Of(s.results, name)
				if len(rs) == 0 {
					if pending && s.running() {
						rows = append(rows, indent+"  "+s.spin.View()+st.Dim.Render(check.Label(name)+"…"))
					}
					continue
				}
				for _, r := range rs {
					if keep(r) {
						rows = append(rows, s.resultLine(r, indent+"  ", width)...)
					}
				}
			}
			if len(rows) > 0 {
				lines = append(lines, indent+st.Bold.Render(s.c.plainLine(g.Title)))
				lines = append(lines, rows...)
			}
		}
		return lines
	}
	if !several {
		return append(out, block("", func(check.Result) bool { return true }, true)...)
	}
	out = append(out, block("", func(r check.Result) bool { return r.Device == nil }, true)...)
	for _, d := range devs {
		out = append(out, "")
		out = append(out, wrapStyled(st.Title, "Dispositivo "+engine.DeviceLabel(d, devs), width)...)
		out = append(out, block("  ", func(r check.Result) bool { return r.Device != nil && r.Device.SameSlot(d) }, false)...)
	}
	return out
}

// resultLine is one check's result on one line (wrapped when long): its
// mark and title.
func (s *checklist) resultLine(r check.Result, indent string, width int) []string {
	st := s.c.Styles
	mark := st.Check[r.Status].Render(checkMark[r.Status])
	prefix := indent + mark + " "
	return markup.Hang(prefix, markup.Lines(textsafe.Text(r.Title), markup.Inner(width, prefix), markup.Plain))
}

func (s *checklist) View() string { return s.page.View() }

func (s *checklist) SetSize(width, height int) { s.page.SetSize(width, height) }

func (s *checklist) ShortHelp() []key.Binding {
	k := s.c.Keys
	switch {
	case s.asking:
		return []key.Binding{k.Choose, k.Close, k.Quit}
	case s.running():
		return []key.Binding{k.CancelCheck, k.Quit}
	case len(s.problems) > 0:
		return []key.Binding{k.Follow, k.Rerun, k.Back, k.Summary, k.Help, k.Quit}
	}
	return []key.Binding{k.Choose, k.Rerun, k.Back, k.Summary, k.Help, k.Quit}
}

func (s *checklist) FullHelp() [][]key.Binding {
	k := s.c.Keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Follow, k.Number, k.Rerun, k.Back, k.Home},
		{k.Search, k.Summary, k.Help, k.Quit, k.ForceQuit},
	}
}

package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/markup"
	"github.com/sportello/sportello/internal/textsafe"
)

// crumbsMinHeight is the smallest screen that still shows the breadcrumbs.
const crumbsMinHeight = 10

// node shows the current node of the walk: breadcrumbs, title, text, steps
// and choices; on end nodes the result and what to do next; on check nodes
// the check running (spinner), its result, or the wait for a device.
type node struct {
	c             *Common
	page          page
	run           checkRun
	spin          spinner.Model
	width, height int
}

func newNode(c *Common) *node {
	return &node{
		c:    c,
		page: newPage(c, true),
		spin: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Spinner)),
	}
}

func (n *node) Init() tea.Cmd { return nil }

// load shows the engine's current node from the top. On a check node it
// starts the check.
func (n *node) load() tea.Cmd {
	n.stop()
	n.run.last = nil
	var cmd tea.Cmd
	if cur := n.c.Engine.Current(); cur != nil && cur.Type == flow.Check {
		cmd = n.start()
	}
	n.refresh()
	return cmd
}

// refresh lays the node out again from the top, after its content changed.
func (n *node) refresh() {
	n.layout()
	n.page.set(n.head, n.items(), nil)
}

func (n *node) SetSize(width, height int) {
	n.width, n.height = width, height
	n.layout()
}

// layout gives the page what is left beside the breadcrumbs and the spinner.
func (n *node) layout() {
	h := n.height
	if n.height >= crumbsMinHeight {
		h -= 2
	}
	if n.spinning() {
		h--
	}
	n.page.SetSize(n.width, h)
}

func (n *node) head(width int) []string {
	cur := n.c.Engine.Current()
	if cur == nil {
		return nil
	}
	e := n.c.Engine
	st := n.c.Styles
	out := n.c.nodeHead(cur, width)
	if steps := e.Steps(cur); len(steps) > 0 {
		out = append(out, "")
		digits := len(fmt.Sprint(len(steps)))
		for i, s := range steps {
			prefix := fmt.Sprintf("%*d. ", digits, i+1)
			out = append(out, markup.Hang(prefix, n.c.lines(s, markup.Inner(width, prefix)))...)
		}
	}
	switch cur.Type {
	case flow.Check:
		if cs := n.run.choices; cs != nil {
			out = append(out, "")
			out = append(out, wrapStyled(st.Bold, engine.DeviceQuestion, width)...)
			out = append(out, wrapStyled(st.Dim, engine.DeviceIntro(len(cs)), width)...)
		}
		if r := n.run.last; r != nil {
			out = append(out, "")
			out = append(out, n.resultLines(*r, width)...)
		}
	case flow.End:
		out = append(out, n.devicesLines(width)...)
		if engine.ShowsContacts(cur) {
			out = append(out, "")
			out = append(out, n.contactLines(width)...)
		}
		if hint := engine.EndHint(cur.Result); hint != "" {
			out = append(out, "")
			out = append(out, wrapStyled(st.Dim, hint, width)...)
		}
		out = append(out, "")
		out = append(out, wrapStyled(st.Bold, "Cosa vuoi fare ora?", width)...)
	}
	if len(n.items()) > 0 && cur.Type != flow.End {
		out = append(out, "")
	}
	return out
}

// devicesLines lists, on an end node, every device the walk's last probe
// found, when there were several: nothing found is left unsaid.
func (n *node) devicesLines(width int) []string {
	lines := n.c.Engine.DevicesLines()
	if len(lines) == 0 {
		return nil
	}
	out := append([]string{""}, wrapStyled(n.c.Styles.Bold, engine.DevicesHeading(len(lines)), width)...)
	for _, l := range lines {
		out = append(out, markup.Hang("- ", markup.Lines(l, markup.Inner(width, "- "), markup.Plain))...)
	}
	return out
}

// contactLines draws the contacts block of an escalation node: its title,
// then each line indented (the values come from the office's file).
func (n *node) contactLines(width int) []string {
	st := n.c.Styles
	out := wrapStyled(st.Bold, engine.ContactsTitle, width)
	for _, l := range n.c.Engine.Contacts() {
		lines := markup.Lines(textsafe.Text(l), markup.Inner(width, "  "), st.Markup)
		out = append(out, markup.Hang("  ", lines)...)
	}
	return out
}

// resultLines draws a check result: status and title, then the detail and
// the remedy indented under them.
func (n *node) resultLines(r check.Result, width int) []string {
	st := n.c.Styles
	status := st.Check[r.Status].Render(checkMark[r.Status] + " " + engine.StatusWord(r.Status) + ":")
	out := markup.Hang(status+" ", markup.Lines(textsafe.Text(r.Title), markup.Inner(width, status+" "), st.Markup))
	more := func(prefix, s string) {
		if strings.TrimSpace(s) != "" {
			lines := markup.Lines(prefix+textsafe.Text(s), markup.Inner(width, "  "), st.Markup)
			out = append(out, markup.Hang("  ", lines)...)
		}
	}
	more("", r.Detail)
	more("Cosa fare: ", r.Remedy)
	return out
}

// items are the node's choices; end nodes offer the end actions, check
// nodes "continue" once there is a result.
func (n *node) items() []item {
	cur := n.c.Engine.Current()
	if cur == nil {
		return nil
	}
	var labels []string
	switch cur.Type {
	case flow.Question, flow.Steps:
		for _, ch := range n.c.Engine.Choices() {
			labels = append(labels, n.c.text(ch.Label))
		}
	case flow.End:
		for _, o := range n.c.Engine.EndOptions() {
			labels = append(labels, n.c.text(o.Label))
		}
	case flow.Check:
		switch {
		case n.run.choices != nil:
			for _, c := range n.run.choices {
				labels = append(labels, c.Line())
			}
		case n.run.waiting:
			labels = []string{"Continua senza aspettare"}
		case n.run.last != nil && !n.run.running():
			labels = []string{"Continua"}
		}
	}
	items := make([]item, len(labels))
	for i, l := range labels {
		items[i] = item{label: l}
	}
	return items
}

func (n *node) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case checkDoneMsg:
		return n, n.done(msg)
	case checkPollMsg:
		if msg.seq == n.run.seq && n.run.waiting && !n.run.running() {
			return n, n.start()
		}
	case spinner.TickMsg:
		if n.spinning() {
			var cmd tea.Cmd
			n.spin, cmd = n.spin.Update(msg)
			return n, cmd
		}
	case tea.KeyMsg:
		return n, n.key(msg)
	}
	return n, nil
}

// key handles a key on the node: back, or a choice.
func (n *node) key(msg tea.KeyMsg) tea.Cmd {
	e, k := n.c.Engine, n.c.Keys
	cur := e.Current()
	if cur == nil {
		return nil
	}
	if key.Matches(msg, k.Back) {
		n.stop() // a running check is cancelled; Back skips check nodes
		e.Back()
		return nil
	}
	i := n.page.update(msg, k.Up, k.Down, k.Choose)
	if i < 0 {
		return nil
	}
	switch cur.Type {
	case flow.Question, flow.Steps:
		_ = e.Choose(i) // i is one of the node's choices
	case flow.End:
		if opts := e.EndOptions(); i < len(opts) {
			if opts[i].Action == engine.EndSave {
				n.c.saveSummary()
			} else {
				e.EndAct(opts[i].Action) // a walk is in progress
			}
		}
	case flow.Check:
		if n.run.choices != nil {
			return n.choose(i)
		}
		if r := n.run.last; r != nil {
			n.stop()
			_ = e.Outcome(*r) // while waiting, r is the last fail: stop waiting, follow it
		}
	}
	return nil
}

func (n *node) View() string {
	var parts []string
	if n.height >= crumbsMinHeight {
		parts = append(parts, n.crumbs(), "")
	}
	parts = append(parts, n.page.View())
	if n.spinning() {
		parts = append(parts, n.spinLine())
	}
	return strings.Join(parts, "\n")
}

// entryMark marks, in the breadcrumbs, a step entered by a visit and the
// step the visit came back to.
var entryMark = map[engine.Entry]string{engine.EnteredVisit: "↪ ", engine.EnteredReturn: "↩ "}

// crumbs is the path so far on one line: flow titles and node titles. When
// it does not fit, its start is cut.
func (n *node) crumbs() string {
	var parts []string
	flowID := ""
	for _, s := range n.c.Engine.Path() {
		if s.Ref.Flow != flowID {
			flowID = s.Ref.Flow
			parts = append(parts, n.c.plainLine(n.c.Engine.Set().Flow(flowID).Title))
		}
		parts = append(parts, entryMark[s.Entry]+n.c.plainLine(s.Node.Title))
	}
	line := strings.Join(parts, " › ")
	if w := ansi.StringWidth(line); w > n.width {
		line = ansi.TruncateLeft(line, w-n.width+1, "…")
	}
	return n.c.Styles.Crumbs.Render(line)
}

func (n *node) ShortHelp() []key.Binding {
	k := n.c.Keys
	cur := n.c.Engine.Current()
	switch {
	case cur == nil:
		return nil
	case n.run.waiting:
		return []key.Binding{k.StopWait, k.CancelCheck, k.Quit}
	case n.run.running():
		return []key.Binding{k.CancelCheck, k.Quit}
	case n.run.choices != nil:
		return []key.Binding{k.Choose, k.Back, k.Home, k.Help, k.Quit}
	case cur.Type == flow.Check:
		return []key.Binding{k.Continue, k.Back, k.Summary, k.Help, k.Quit}
	}
	// "/ cerca" is on the home screen and in the help: this line fits 80 columns.
	return []key.Binding{k.Choose, k.Back, k.Home, k.Summary, k.Help, k.Quit}
}

func (n *node) FullHelp() [][]key.Binding {
	k := n.c.Keys
	groups := [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.Choose, k.Number, k.Back, k.Home},
		{k.Search, k.Summary, k.Help, k.Quit, k.ForceQuit},
	}
	if cur := n.c.Engine.Current(); cur != nil && cur.Type == flow.Check {
		groups = append(groups, []key.Binding{k.Continue, k.StopWait, k.CancelCheck})
	}
	return groups
}

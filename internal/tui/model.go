// Package tui is the full-screen interface of sportello (Bubble Tea v1): the
// list of topics, the walk through a flow, search and key help. The engine
// does all flow logic; this package only shows it and passes keys on.
//
// The root Model is small: it routes keys to the active screen, every other
// message to all screens (check results, spinner ticks), handles the keys
// that work everywhere, and after each message shows the screen that fits
// the engine's position (home or node). Screens share one Common.
package tui

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
)

// Options configure the TUI.
type Options struct {
	// Engine walks the flows. It may already stand on a node (sportello run
	// FLOW:NODE); otherwise the TUI opens on the list of topics.
	Engine *engine.Engine
	// Runner runs the checks of check nodes. Nil: every check node says that
	// the check is unavailable and continues along its error branch.
	Runner check.Runner
	// Save writes the transcript and returns where (the s key). Nil: saving
	// is unavailable.
	Save func(markdown string) (string, error)
	// Redact masks codici fiscali and serial numbers in the saved summary.
	Redact bool
	// Renderer draws the styles. Nil: lipgloss's default renderer.
	Renderer *lipgloss.Renderer
	// Poll is the time between runs of a wait node's check; 0:
	// engine.DefaultPoll.
	Poll time.Duration
	// Office saves the report of the self-check's last run for the
	// office (masked or not) and says where; nil: not offered.
	Office func(redact bool) (diag.Saved, error)
	// Status runs the background probe of the topics screen's status line
	// (the token checks); nil: no status line (--no-probe). StatusEvery
	// is the time between its runs while the topics are shown; 0: once.
	Status      check.Runner
	StatusEvery time.Duration
	// Header, when set, is drawn on top of every screen: whose report the
	// walk uses (the operator mode). Sanitised.
	Header string
}

type screenID int

const (
	homeID screenID = iota
	nodeID
	listID // a checklist node: the self-check
	searchID
	helpID
)

// Model is the root model of the TUI.
type Model struct {
	c      *Common
	home   *home
	node   *node
	list   *checklist
	search *search
	help   *helpScreen
	active screenID
	seen   int // engine.Moves last shown: the engine moved when it differs
	footer help.Model
	header string
	width  int
	height int
}

// New builds the TUI for opts.
func New(opts Options) *Model {
	r := opts.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	poll := opts.Poll
	if poll <= 0 {
		poll = engine.DefaultPoll
	}
	c := &Common{
		Styles: DefaultStyles(r),
		Keys:   DefaultKeyMap(),
		Engine: opts.Engine,
		Runner: opts.Runner,
		Save:   opts.Save,
		Redact: opts.Redact,
		Poll:   poll,
		Office: opts.Office,
		Status: opts.Status, StatusEvery: opts.StatusEvery,
	}
	footer := help.New()
	footer.Styles = c.Styles.Help
	m := &Model{c: c, home: newHome(c), node: newNode(c), list: newChecklist(c), search: newSearch(c), help: newHelpScreen(c),
		footer: footer, header: opts.Header}
	m.seen = -1 // show the engine's position on Init
	return m
}

// Init shows where the engine stands; on a check node the check starts.
func (m *Model) Init() tea.Cmd { return m.sync() }

// screen returns the active screen.
func (m *Model) screen() Component {
	switch m.active {
	case nodeID:
		return m.node
	case listID:
		return m.list
	case searchID:
		return m.search
	case helpID:
		return m.help
	}
	return m.home
}

// base is the screen under search and help: home, the self-check or the
// current node.
func (m *Model) base() screenID {
	switch cur := m.c.Engine.Current(); {
	case cur == nil:
		return homeID
	case cur.Type == flow.Checklist:
		return listID
	}
	return nodeID
}

// screens are every screen, for messages and sizes.
func (m *Model) screens() []Component {
	return []Component{m.home, m.node, m.list, m.search, m.help}
}

// Update routes msg.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	var cmds []tea.Cmd
	for _, s := range m.screens() {
		_, cmd := s.Update(msg)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(append(cmds, m.sync())...)
}

// key handles the keys that work everywhere, then passes the key on.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	m.c.notify("", false)
	if key.Matches(msg, k.ForceQuit) {
		return m.quit()
	}
	if m.active != searchID { // search types letters
		switch {
		case key.Matches(msg, k.Quit):
			return m.quit()
		case key.Matches(msg, k.Help):
			if m.active == helpID {
				m.active = m.base()
			} else {
				m.help.open(m.screen())
				m.active = helpID
			}
			return nil
		case key.Matches(msg, k.Search):
			m.active = searchID
			return m.search.open()
		case key.Matches(msg, k.Summary):
			m.c.saveSummary()
			return nil
		case key.Matches(msg, k.Home):
			m.node.stop()
			m.list.stop()
			m.c.Engine.Home()
			cmd := m.sync()
			m.active = m.base() // also when already home, from help or search
			return cmd
		}
	}
	if (m.active == searchID || m.active == helpID) && key.Matches(msg, k.Close) {
		m.active = m.base()
		return nil
	}
	_, cmd := m.screen().Update(msg)
	return tea.Batch(cmd, m.sync())
}

// sync shows the screen that fits the engine's position after it moved:
// the topics at home, otherwise the node (from its top; a check starts).
func (m *Model) sync() tea.Cmd {
	n := m.c.Engine.Moves()
	if n == m.seen {
		return nil
	}
	m.seen = n
	m.active = m.base()
	m.node.stop()
	m.list.stop()
	if m.active != homeID {
		m.home.hide()
	}
	switch m.active {
	case homeID:
		return m.home.show()
	case listID:
		return m.list.load()
	}
	return m.node.load()
}

// quit stops what runs in the background and ends the program.
func (m *Model) quit() tea.Cmd {
	m.node.stop()
	m.list.stop()
	m.home.hide()
	return tea.Quit
}

// resize gives every screen the space above the footer.
func (m *Model) resize() {
	w, h := max(1, m.width), max(1, m.height-m.footerHeight()-m.headerHeight())
	for _, s := range m.screens() {
		s.SetSize(w, h)
	}
	m.footer.Width = w
}

// footerHeight is one line (status or key help), none on tiny screens.
func (m *Model) footerHeight() int {
	if m.height >= 3 {
		return 1
	}
	return 0
}

// headerLines are the operator's header laid out at the width, at most
// two lines; none without one or on tiny screens.
func (m *Model) headerLines() []string {
	if m.header == "" || m.height < 8 {
		return nil
	}
	// Text from the report, not flow text: wrapped as it is, no markup.
	lines := strings.Split(ansi.Wrap(m.header, max(1, m.width), " "), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = ansi.Truncate(lines[1]+" …", m.width, "…")
	}
	return lines
}

func (m *Model) headerHeight() int { return len(m.headerLines()) }

// View draws the header, the active screen and the footer, cut to the
// terminal's size whatever the screens drew.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	out := m.screen().View()
	if m.footerHeight() > 0 {
		out = fit(out, m.width, m.height-1-m.headerHeight()) + "\n" + m.footerView()
	}
	for _, l := range slices.Backward(m.headerLines()) {
		out = m.c.Styles.Header.Render(l) + "\n" + out
	}
	return fit(out, m.width, m.height)
}

func (m *Model) footerView() string {
	if m.c.status != "" {
		st := m.c.Styles.StatusLine
		if m.c.statusErr {
			st = m.c.Styles.Error
		}
		return st.Render(ansi.Truncate(m.c.status, m.width, "…"))
	}
	return m.footer.ShortHelpView(m.screen().ShortHelp())
}

// fit pads or cuts s to exactly height lines, each at most width cells and
// without trailing spaces (the terminal clears the rest of each line).
func fit(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			l = ansi.Truncate(l, width, "")
		}
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// ErrNoTerminal is returned by Run when in or out is not a terminal.
var ErrNoTerminal = errors.New("serve un terminale: usa la modalità testuale (--plain)")

// Run shows the TUI on the terminal in/out until the user quits, in the
// alternate screen so that the shell's screen is left as it was. The caller
// checks first that in and out are terminals (Bubble Tea v1 would otherwise
// open /dev/tty). It returns the engine as the user left it in opts.Engine.
func Run(ctx context.Context, in io.Reader, out io.Writer, opts Options) error {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.NewRenderer(out)
	}
	// Ask the terminal for its background now, before Bubble Tea reads the
	// keyboard: the answer would otherwise arrive as keys.
	opts.Renderer.HasDarkBackground()
	// 120 frames a second: a result that arrives waits at most 8 ms to be
	// drawn (the renderer writes only what changed, so this costs little).
	p := tea.NewProgram(New(opts), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen(), tea.WithFPS(120))
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

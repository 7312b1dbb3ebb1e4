package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/markup"
)

// maxHits bounds the search results shown.
const maxHits = 50

// search finds nodes of every flow by the words of their titles, texts and
// choices, as the user types, and jumps to the one chosen. The jump is one
// more step of the walk, so Esc comes back.
type search struct {
	c     *Common
	input textinput.Model
	page  page
	hits  []engine.Hit
	width int
}

func newSearch(c *Common) *search {
	in := textinput.New()
	in.Prompt = "Cerca: "
	in.Placeholder = "una o più parole"
	in.PromptStyle = c.Styles.Bold
	in.PlaceholderStyle = c.Styles.Dim
	in.CharLimit = 100
	in.Cursor.Style = c.Styles.Cursor
	in.Cursor.TextStyle = c.Styles.Cursor
	_ = in.Cursor.SetMode(cursor.CursorStatic) // no blinking: nothing to redraw while idle
	s := &search{c: c, input: in, page: newPage(c, false)}
	s.page.set(s.head, nil, nil)
	return s
}

// open starts a new search.
func (s *search) open() tea.Cmd {
	s.input.Reset()
	s.hits = nil
	s.page.set(s.head, nil, nil)
	return s.input.Focus()
}

func (s *search) Init() tea.Cmd { return nil }

func (s *search) head(width int) []string {
	st := s.c.Styles
	q := strings.TrimSpace(s.input.Value())
	var msg string
	switch {
	case q == "":
		msg = "Cerco nei titoli, nei testi e nelle scelte di tutti i percorsi."
	case len(s.hits) == 0:
		msg = "Nessun risultato per «" + s.c.plainLine(q) + "»."
	case len(s.hits) == 1:
		msg = "1 risultato: invio per aprirlo."
	default:
		msg = fmt.Sprintf("%d risultati: ↑/↓ per scegliere, invio per aprire.", len(s.hits))
	}
	return append(wrapStyled(st.Dim, msg, width), "")
}

func (s *search) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return s, cmd
	}
	keys := s.c.Keys
	switch {
	case key.Matches(k, keys.Prev, keys.Next, keys.Open):
		if i := s.page.update(k, keys.Prev, keys.Next, keys.Open); i >= 0 {
			_ = s.c.Engine.Jump(s.hits[i].Ref) // hits are nodes of the set
		}
		return s, nil
	case k.Type == tea.KeyPgUp: // not ctrl+u, space: those edit the text
		s.page.vp.PageUp()
		return s, nil
	case k.Type == tea.KeyPgDown:
		s.page.vp.PageDown()
		return s, nil
	}
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(k)
	if s.input.Value() != before {
		s.find()
	}
	return s, cmd
}

// find runs the query and lists the hits.
func (s *search) find() {
	s.hits = s.c.search(s.input.Value(), maxHits)
	items := make([]item, len(s.hits))
	for i, h := range s.hits {
		items[i] = item{
			label: s.c.text(h.FlowTitle) + " › " + s.c.text(h.Title),
			desc:  s.snippet(h),
		}
	}
	s.page.set(s.head, items, nil)
}

func (s *search) View() string {
	return s.input.View() + "\n\n" + s.page.View()
}

func (s *search) SetSize(width, height int) {
	s.width = width
	s.input.Width = max(1, width-len(s.input.Prompt)-1)
	s.page.SetSize(width, height-2)
}

func (s *search) ShortHelp() []key.Binding {
	k := s.c.Keys
	return []key.Binding{k.Prev, k.Next, k.Open, k.Close}
}

func (s *search) FullHelp() [][]key.Binding {
	k := s.c.Keys
	return [][]key.Binding{{k.Prev, k.Next, k.Open, k.Close, k.ForceQuit}}
}

// snippet shows the line of a node where the words were found, as plain
// text. The engine takes it from one source line: a bold run it cuts leaves
// a lone "**", dropped here, and a line in the middle of a paragraph gets
// "…".
func (s *search) snippet(h engine.Hit) string {
	out := strings.ReplaceAll(markup.Inline(s.c.text(h.Snippet), markup.Plain), "**", "")
	if n := s.c.Engine.Set().Node(h.Ref.Flow, h.Ref.Node); n != nil && continues(n.Text, h.Snippet) {
		out += "…"
	}
	return out
}

// continues reports whether the source line that became snippet (trimmed
// as the engine trims it) is followed by more of the same paragraph.
func continues(text, snippet string) bool {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.TrimSpace(strings.TrimLeft(l, "-* ")) != snippet {
			continue
		}
		if i+1 >= len(lines) {
			return false
		}
		next := strings.TrimSpace(lines[i+1])
		return next != "" && !strings.HasPrefix(next, "- ")
	}
	return false
}

package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// helpScreen lists every key of the screen it was opened from, from that
// screen's FullHelp, one per line so that it reads at any width.
type helpScreen struct {
	c     *Common
	page  page
	under Component
}

func newHelpScreen(c *Common) *helpScreen {
	return &helpScreen{c: c, page: newPage(c, false)}
}

// open shows the keys of under.
func (h *helpScreen) open(under Component) {
	h.under = under
	h.page.set(h.head, nil, nil)
}

func (h *helpScreen) head(width int) []string {
	st := h.c.Styles
	out := wrapStyled(st.Title, "Tasti", width)
	out = append(out, "")
	var groups [][]key.Binding
	if h.under != nil {
		groups = h.under.FullHelp()
	}
	keyW := 0
	for _, g := range groups {
		for _, b := range g {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
	}
	for i, g := range groups {
		if i > 0 {
			out = append(out, "")
		}
		for _, b := range g {
			k := b.Help().Key
			pad := strings.Repeat(" ", keyW-ansi.StringWidth(k)+2)
			out = append(out, st.Help.FullKey.Render(k)+pad+st.Help.FullDesc.Render(b.Help().Desc))
		}
	}
	out = append(out, "")
	out = append(out, wrapStyled(st.Dim, "Il riepilogo (s) raccoglie il percorso fatto, le risposte e i controlli eseguiti: "+
		"incollalo nella richiesta di assistenza. Premi esc o ? per chiudere questo aiuto.", width)...)
	return out
}

func (h *helpScreen) Init() tea.Cmd { return nil }

func (h *helpScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		h.page.update(k, h.c.Keys.Up, h.c.Keys.Down, key.Binding{})
	}
	return h, nil
}

func (h *helpScreen) View() string { return h.page.View() }

func (h *helpScreen) SetSize(width, height int) { h.page.SetSize(width, height) }

func (h *helpScreen) ShortHelp() []key.Binding {
	k := h.c.Keys
	return []key.Binding{k.Up, k.Down, k.Close, k.Quit}
}

func (h *helpScreen) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

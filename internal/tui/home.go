package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/sportello/sportello/internal/engine"
)

// home is the list of topics: every flow of the set, in order, with its
// description.
type home struct {
	c      *Common
	page   page
	status statusState // the status line's background probe (status.go)
}

func newHome(c *Common) *home {
	h := &home{c: c, page: newPage(c, true)}
	var items []item
	for _, f := range c.Engine.Set().Flows {
		items = append(items, item{label: c.text(f.Title), desc: c.text(f.Description)})
	}
	h.page.set(h.head, items, h.tail)
	return h
}

func (h *home) head(width int) []string {
	st := h.c.Styles
	out := wrapStyled(st.AppTitle, "sportello · firma digitale, SPID, PEC e GoSign", width)
	out = append(out, h.statusLines(width)...)
	return append(append(out, ""), wrapStyled(st.Bold, "Scegli l'argomento:", width)...)
}

func (h *home) tail(width int) []string {
	return append([]string{""}, wrapStyled(h.c.Styles.Dim, "Premi / per cercare in tutti i percorsi, ? per l'elenco dei tasti.", width)...)
}

func (h *home) Init() tea.Cmd { return nil }

func (h *home) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, ok := h.statusUpdate(msg); ok {
		return h, cmd
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return h, nil
	}
	keys := h.c.Keys
	if key.Matches(k, keys.SelfCheck) {
		if ref, ok := h.c.Engine.FirstChecklist(); ok {
			_ = h.c.Engine.Start(ref) // the node exists
		} else {
			h.c.notify("Nessuna autodiagnosi tra i percorsi.", true)
		}
		return h, nil
	}
	if i := h.page.update(k, keys.Up, keys.Down, keys.Choose); i >= 0 {
		f := h.c.Engine.Set().Flows[i]
		_ = h.c.Engine.Start(engine.Ref{Flow: f.ID, Node: f.Start}) // the set is validated: the start exists
	}
	return h, nil
}

func (h *home) View() string { return h.page.View() }

func (h *home) SetSize(width, height int) { h.page.SetSize(width, height) }

func (h *home) ShortHelp() []key.Binding {
	k := h.c.Keys
	if _, ok := h.c.Engine.FirstChecklist(); ok {
		return []key.Binding{k.Up, k.Down, k.Choose, k.SelfCheck, k.Search, k.Help, k.Quit}
	}
	return []key.Binding{k.Up, k.Down, k.Choose, k.Search, k.Help, k.Quit}
}

func (h *home) FullHelp() [][]key.Binding {
	k := h.c.Keys
	groups := [][]key.Binding{
		{k.Up, k.Down, k.Choose, k.Number, k.PageUp, k.PageDown},
		{k.Search, k.Summary, k.Help, k.Quit, k.ForceQuit},
	}
	if _, ok := h.c.Engine.FirstChecklist(); ok {
		groups[1] = append([]key.Binding{k.SelfCheck}, groups[1]...)
	}
	return groups
}

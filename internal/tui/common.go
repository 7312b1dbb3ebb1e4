package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/markup"
	"github.com/sportello/sportello/internal/textsafe"
)

// Component is one screen. It is a tea.Model that also tells which keys it
// answers (for the footer and the help screen) and takes the size it may
// draw in. Screens are pointers: Update returns the same screen.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// Common is what every screen shares: the styles, the keys, the engine that
// walks the flows, and the status line shown over the footer.
type Common struct {
	Styles *Styles
	Keys   KeyMap
	Engine *engine.Engine
	Runner check.Runner                          // nil: checks unavailable
	Save   func(markdown string) (string, error) // nil: saving unavailable
	Redact bool                                  // mask codici fiscali and serials in the summary
	Poll   time.Duration                         // wait nodes: time between runs
	// Office saves the report of the last run for the office, masked or
	// not (the self-check's «Salva il rapporto per l'ufficio»); nil: not
	// offered.
	Office func(redact bool) (diag.Saved, error)
	// Status runs the topics screen's background probe; nil: no status
	// line. StatusEvery is the time between its runs (0: once).
	Status      check.Runner
	StatusEvery time.Duration

	status    string // until the next key
	statusErr bool
	index     *engine.Index // built on the first search
}

// search finds query in every node of the set. The index is built the first
// time, so that it does not delay the first frame.
func (c *Common) search(query string, max int) []engine.Hit {
	if c.index == nil {
		c.index = engine.NewIndex(c.Engine.Set())
	}
	return c.index.Search(query, max)
}

// notify shows msg on the status line until the next key.
func (c *Common) notify(msg string, isErr bool) { c.status, c.statusErr = msg, isErr }

// saveSummary saves the session's transcript and says where.
func (c *Common) saveSummary() {
	if c.Save == nil {
		c.notify("Salvataggio del riepilogo non disponibile.", true)
		return
	}
	path, err := c.Save(c.Engine.Markdown(c.Redact))
	if err != nil {
		c.notify(textsafe.Line(err.Error()), true)
		return
	}
	c.notify("Riepilogo salvato in "+textsafe.Line(path), false)
}

// text prepares flow text for drawing: facts filled in, then anything that
// could drive the terminal shown escaped. Styles come after this.
func (c *Common) text(s string) string { return textsafe.Text(c.Engine.Expand(s)) }

// lines lays out flow text at width with the markup styles.
func (c *Common) lines(s string, width int) []string {
	return markup.Lines(c.text(s), width, c.Styles.Markup)
}

// inline renders flow text as one styled line (labels, titles in lists).
func (c *Common) inline(s string) string { return markup.Inline(c.text(s), c.Styles.Markup) }

// plainLine renders flow text as one line without styles (breadcrumbs,
// titles that get a style of their own).
func (c *Common) plainLine(s string) string { return markup.Inline(c.text(s), markup.Plain) }

// wrapStyled lays out s (safe, no markup) at width, each line in style st.
func wrapStyled(st lipgloss.Style, s string, width int) []string {
	lines := markup.Lines(s, width, markup.Plain)
	for i := range lines {
		lines[i] = st.Render(lines[i])
	}
	return lines
}

// nodeHead draws what every node's screen begins with: where an open
// visit comes back to, an end node's outcome, the title, whose
// instructions an OS variant gives, the text.
func (c *Common) nodeHead(cur *flow.Node, width int) []string {
	e, st := c.Engine, c.Styles
	var out []string
	if note := e.VisitNote(); note != "" {
		out = append(out, wrapStyled(st.Dim, c.plainLine(note), width)...)
		out = append(out, "")
	}
	if cur.Type == flow.End {
		out = append(out, st.Result[cur.Result].Render(resultMark[cur.Result]+" "+engine.ResultWord(cur.Result)), "")
	}
	out = append(out, wrapStyled(st.Title, c.plainLine(cur.Title), width)...)
	if note := e.VariantNote(cur); note != "" {
		out = append(out, wrapStyled(st.Dim, note, width)...)
	}
	if text := e.Text(cur); strings.TrimSpace(text) != "" {
		out = append(out, "")
		out = append(out, c.lines(text, width)...)
	}
	return out
}

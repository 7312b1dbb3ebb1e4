package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/sportello/sportello/internal/markup"
)

// item is one entry of a page's list: a choice, a topic, a search result.
// Label and desc are already prepared for drawing (Common.text and friends).
type item struct {
	label string   // styled, may wrap
	desc  string   // one dim line under the label, may wrap; optional
	body  []string // paragraphs under the label (a problem's detail and remedy), may wrap; optional
}

// page is the scrolling part of a screen: lines of text (head), a list of
// items the cursor moves over, and more text (tail), all in one bubbles
// viewport. Moving the cursor keeps the selected item in view; the page keys
// scroll long text. When the content does not fit, the last line says so.
type page struct {
	c        *Common
	vp       viewport.Model
	head     func(width int) []string // text above the items
	tail     func(width int) []string // text below the items
	items    []item
	numbered bool // items show [1]…[9] and answer the number keys
	cursor   int
	spans    [][2]int // first and last content line of each item
	width    int
	height   int
	overflow bool // content taller than the page: a line is kept for the hint
}

func newPage(c *Common, numbered bool) page {
	return page{c: c, vp: viewport.New(1, 1), numbered: numbered, width: 1, height: 1}
}

// set replaces the whole content and goes back to the top.
func (p *page) set(head func(int) []string, items []item, tail func(int) []string) {
	p.head, p.items, p.tail = head, items, tail
	p.cursor = 0
	p.render()
	p.vp.GotoTop()
}

// setItems replaces the items and lays the content out again, keeping the
// cursor (clamped) and the scroll position: content that grows while the
// user reads it (results arriving) does not move the page.
func (p *page) setItems(items []item) {
	p.items = items
	p.cursor = min(p.cursor, max(0, len(items)-1))
	p.render()
}

// SetSize lays the content out again for a new size. The scroll position
// stays (clamped): the reader keeps their place in the text.
func (p *page) SetSize(width, height int) {
	p.width, p.height = max(1, width), max(1, height)
	p.render()
}

// render lays out the content at the current width.
func (p *page) render() {
	var lines []string
	if p.head != nil {
		lines = append(lines, p.head(p.width)...)
	}
	p.spans = p.spans[:0]
	numW := len(fmt.Sprintf("[%d]", len(p.items)))
	for i, it := range p.items {
		first := len(lines)
		lines = append(lines, p.itemLines(i, it, numW)...)
		p.spans = append(p.spans, [2]int{first, len(lines) - 1})
	}
	if p.tail != nil {
		lines = append(lines, p.tail(p.width)...)
	}
	p.overflow = len(lines) > p.height && p.height >= 3
	p.vp.Width, p.vp.Height = p.width, p.height
	if p.overflow {
		p.vp.Height = p.height - 1
	}
	p.vp.SetContent(strings.Join(lines, "\n"))
	p.vp.SetYOffset(p.vp.YOffset) // clamp after a resize
}

// itemLines draws one item: "▸ [1] label", the description under it. The
// numbers take numW columns; past 9 they are shown but only Enter picks.
func (p *page) itemLines(i int, it item, numW int) []string {
	st := p.c.Styles
	mark := "  "
	if i == p.cursor {
		mark = st.Cursor.Render("▸") + " "
	}
	num := ""
	if p.numbered {
		n := fmt.Sprintf("[%d]", i+1)
		num = st.Number.Render(n) + strings.Repeat(" ", numW-len(n)+1)
	}
	prefix := mark + num
	label := markup.Lines(it.label, markup.Inner(p.width, prefix), st.Markup)
	if i == p.cursor {
		for j := range label {
			label[j] = st.Selected.Render(label[j])
		}
	}
	out := markup.Hang(prefix, label)
	if it.desc != "" {
		desc := markup.Lines(it.desc, markup.Inner(p.width, prefix), markup.Plain)
		for j := range desc {
			desc[j] = st.Dim.Render(desc[j])
		}
		out = append(out, markup.Hang(strings.Repeat(" ", ansi.StringWidth(prefix)), desc)...)
	}
	indent := strings.Repeat(" ", ansi.StringWidth(prefix))
	for _, b := range it.body {
		out = append(out, markup.Hang(indent, markup.Lines(b, markup.Inner(p.width, prefix), st.Markup))...)
	}
	return out
}

// move moves the cursor by d items and keeps it in view. Past the first or
// last item it scrolls the text instead, so arrows also read long text.
func (p *page) move(d int) {
	switch next := p.cursor + d; {
	case len(p.items) == 0 || next < 0 || next >= len(p.items):
		if d < 0 {
			p.vp.ScrollUp(1)
		} else {
			p.vp.ScrollDown(1)
		}
		return
	default:
		p.cursor = next
	}
	p.render()
	p.reveal()
}

// reveal scrolls so that the selected item is in view.
func (p *page) reveal() {
	if p.cursor >= len(p.spans) {
		return
	}
	first, last := p.spans[p.cursor][0], p.spans[p.cursor][1]
	if last >= p.vp.YOffset+p.vp.Height {
		p.vp.SetYOffset(last - p.vp.Height + 1)
	}
	if first < p.vp.YOffset {
		p.vp.SetYOffset(first)
	}
}

// update handles the list and scroll keys: up and down move with the given
// bindings, choose (and the number keys when numbered) pick an item. It
// returns the index of the item picked, or -1.
func (p *page) update(msg tea.KeyMsg, up, down, choose key.Binding) int {
	k := p.c.Keys
	switch {
	case key.Matches(msg, up):
		p.move(-1)
	case key.Matches(msg, down):
		p.move(1)
	case key.Matches(msg, k.PageUp):
		p.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		p.vp.PageDown()
	case key.Matches(msg, choose):
		if p.cursor < len(p.items) {
			return p.cursor
		}
	case p.numbered && key.Matches(msg, k.Number):
		if n := int(msg.Runes[0] - '1'); n < len(p.items) {
			p.cursor = n
			return n
		}
	}
	return -1
}

// View draws the viewport and, when the content does not fit, a last line
// that says how to scroll.
func (p *page) View() string {
	if !p.overflow {
		return p.vp.View()
	}
	hint := "▼ continua: pag↓ o spazio"
	if p.vp.AtBottom() {
		hint = "▲ fine: pag↑ per tornare su"
	}
	return p.vp.View() + "\n" + p.c.Styles.Dim.Render(hint)
}

package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/markup"
)

// Styles is every look of the TUI, built in one place from one renderer, so
// that the colour profile (NO_COLOR, a dumb terminal, tests pinned to ASCII)
// and the light or dark background are those of the stream drawn on. Colours
// are adaptive; nothing depends on colour alone: the cursor is a "›", results
// and statuses have a word and a mark.
type Styles struct {
	AppTitle   lipgloss.Style
	Crumbs     lipgloss.Style // breadcrumbs
	Title      lipgloss.Style // node title
	Dim        lipgloss.Style // secondary text: descriptions, snippets, hints
	Bold       lipgloss.Style
	Link       lipgloss.Style
	Cursor     lipgloss.Style // the "›" of the selected item
	Selected   lipgloss.Style // the selected item's label
	Number     lipgloss.Style // item numbers
	StatusLine lipgloss.Style // "Riepilogo salvato in …"
	Header     lipgloss.Style // the operator mode's "Dati dal rapporto del …"
	Error      lipgloss.Style
	Spinner    lipgloss.Style
	Result     map[flow.Result]lipgloss.Style
	Check      map[check.Status]lipgloss.Style
	Help       help.Styles
	Markup     markup.Style
}

// DefaultStyles builds the styles on r.
func DefaultStyles(r *lipgloss.Renderer) *Styles {
	var (
		accent = lipgloss.AdaptiveColor{Light: "#1F5FA8", Dark: "#79B8FF"}
		dim    = lipgloss.AdaptiveColor{Light: "#5F5F5F", Dark: "#A0A0A0"}
		faint  = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#767676"}
		green  = lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#6FD08C"}
		yellow = lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#F0C050"}
		red    = lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF7B72"}
	)
	s := &Styles{
		AppTitle:   r.NewStyle().Bold(true).Foreground(accent),
		Crumbs:     r.NewStyle().Foreground(dim),
		Title:      r.NewStyle().Bold(true).Foreground(accent),
		Dim:        r.NewStyle().Foreground(dim),
		Bold:       r.NewStyle().Bold(true),
		Link:       r.NewStyle().Underline(true).Foreground(accent),
		Cursor:     r.NewStyle().Bold(true).Foreground(accent),
		Selected:   r.NewStyle().Bold(true),
		Number:     r.NewStyle().Foreground(dim),
		StatusLine: r.NewStyle().Foreground(green),
		Header:     r.NewStyle().Bold(true).Foreground(yellow),
		Error:      r.NewStyle().Foreground(red),
		Spinner:    r.NewStyle().Foreground(accent),
		Result: map[flow.Result]lipgloss.Style{
			flow.Resolved: r.NewStyle().Bold(true).Foreground(green),
			flow.Escalate: r.NewStyle().Bold(true).Foreground(yellow),
			flow.Info:     r.NewStyle().Bold(true).Foreground(accent),
		},
		Check: map[check.Status]lipgloss.Style{
			check.Pass:  r.NewStyle().Bold(true).Foreground(green),
			check.Warn:  r.NewStyle().Bold(true).Foreground(yellow),
			check.Fail:  r.NewStyle().Bold(true).Foreground(red),
			check.Skip:  r.NewStyle().Bold(true).Foreground(dim),
			check.Error: r.NewStyle().Bold(true).Foreground(red),
		},
		Help: help.Styles{
			Ellipsis:       r.NewStyle().Foreground(faint),
			ShortKey:       r.NewStyle().Foreground(dim).Bold(true),
			ShortDesc:      r.NewStyle().Foreground(dim),
			ShortSeparator: r.NewStyle().Foreground(faint),
			FullKey:        r.NewStyle().Foreground(dim).Bold(true),
			FullDesc:       r.NewStyle().Foreground(dim),
			FullSeparator:  r.NewStyle().Foreground(faint),
		},
	}
	s.Markup = markup.Style{
		Bold:   func(t string) string { return s.Bold.Render(t) },
		Link:   func(t string) string { return s.Link.Render(t) },
		Bullet: "• ",
	}
	return s
}

// resultMark is the sign before an end node's result word.
var resultMark = map[flow.Result]string{flow.Resolved: "✓", flow.Escalate: "!", flow.Info: "i"}

// checkMark is the sign before a check's status word.
var checkMark = map[check.Status]string{check.Pass: "✓", check.Warn: "!", check.Fail: "✗", check.Skip: "–", check.Error: "?"}

package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key of the TUI, in one place. Screens pick the bindings
// they answer to and show them through ShortHelp/FullHelp; the footer and
// the help screen are drawn from these bindings, so what is shown is what
// works.
type KeyMap struct {
	Up, Down    key.Binding // move in a list
	PageUp      key.Binding // scroll long text
	PageDown    key.Binding //
	Choose      key.Binding // Enter
	Number      key.Binding // 1–9: choose directly
	Back        key.Binding // Esc, Backspace: one step back (cancels a running check)
	Home        key.Binding // the list of topics
	Search      key.Binding // open search
	Summary     key.Binding // save the transcript
	Help        key.Binding // the full key help
	Quit        key.Binding // q
	ForceQuit   key.Binding // Ctrl+C, also while typing
	Close       key.Binding // leave search or help
	Prev, Next  key.Binding // move in search results (letters are typed)
	Open        key.Binding // open a search result
	Continue    key.Binding // follow a check's outcome
	StopWait    key.Binding // stop waiting for a device: follow the fail branch
	CancelCheck key.Binding // stop a running check and go back
	Follow      key.Binding // the self-check: follow a problem to its guide
	Rerun       key.Binding // the self-check: run every check again
	SelfCheck   key.Binding // the topics: open the self-check
}

// DefaultKeyMap returns the keys described in README.md.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "su")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "giù")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pag↑", "scorri su")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pag↓/spazio", "scorri giù")),
		Choose:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("invio", "scegli")),
		Number:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1–9", "scelta diretta")),
		Back:        key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "indietro")),
		Home:        key.NewBinding(key.WithKeys("h", "home"), key.WithHelp("h", "argomenti")),
		Search:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "cerca")),
		Summary:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "salva riepilogo")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "aiuto")),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "esci")),
		ForceQuit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "esci subito")),
		Close:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "chiudi")),
		Prev:        key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "su")),
		Next:        key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "giù")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("invio", "apri")),
		Continue:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("invio", "continua")),
		StopWait:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("invio", "non aspettare")),
		CancelCheck: key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "annulla")),
		Follow:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("invio", "risolvi")),
		Rerun:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "ricontrolla")),
		SelfCheck:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "autodiagnosi")),
	}
}

// global are the keys that work on every screen that is not typing.
func (k KeyMap) global() []key.Binding {
	return []key.Binding{k.Home, k.Search, k.Summary, k.Help, k.Quit}
}

// Package plain is sportello without a full-screen interface: the same walk
// as the TUI, as a numbered dialogue. It serves screen readers, dumb
// terminals, pipes and scripts (printf '2\n1\n' | sportello run pec --plain).
//
// It writes plain lines to stdout: no escape codes, no colours, no cursor
// movement, text not wrapped (one line per paragraph). It reads one answer
// per line: a number chooses, b goes back, h goes to the topics, s saves the
// summary, ? shows the help, q quits. The end of the input ends the walk
// cleanly, wherever it is.
//
// Check nodes run without asking: a progress line goes to stderr, then the
// result (status, title, detail, remedy) and the walk follows its branch. On
// a wait node whose check fails, the check runs again every Poll until it
// passes or a line arrives (any line, or the end of the input, stops waiting
// and follows the fail branch; q quits).
package plain

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/markup"
	"github.com/sportello/sportello/internal/textsafe"
)

// Options configure the dialogue.
type Options struct {
	Engine *engine.Engine                        // may already stand on a node (sportello run)
	Runner check.Runner                          // nil: checks are unavailable
	Save   func(markdown string) (string, error) // the s answer; nil: unavailable
	Redact bool                                  // mask codici fiscali and serials in the summary
	Echo   bool                                  // write each answer after its prompt (input is not a terminal)
	Poll   time.Duration                         // 0: engine.DefaultPoll
	// Office saves the report of the last run for the office, masked or
	// not (the self-check's menu); nil: not offered.
	Office func(redact bool) (diag.Saved, error)
	// Header, when set, is printed first: whose report the walk uses (the
	// operator mode). Sanitised.
	Header string
}

type dialogue struct {
	Options
	ctx    context.Context
	out    io.Writer
	errOut io.Writer
	lines  <-chan string
	shown  int // engine log length when the current screen was last shown
}

// Run holds the dialogue until q or the end of in. Messages about checks in
// progress go to errOut. It returns nil when the walk ends normally, and
// ctx's error when ctx ends first.
func Run(ctx context.Context, in io.Reader, out, errOut io.Writer, opts Options) error {
	if opts.Poll <= 0 {
		opts.Poll = engine.DefaultPoll
	}
	done := make(chan struct{})
	defer close(done)
	d := &dialogue{Options: opts, ctx: ctx, out: out, errOut: errOut, lines: readLines(in, done), shown: -1}
	e := d.Engine
	if opts.Header != "" {
		d.printf("%s\n", opts.Header)
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if cur := e.Current(); cur != nil && cur.Type == flow.Checklist {
			if quit := d.checklist(cur); quit {
				return ctx.Err() // nil after q
			}
			continue
		}
		if cur := e.Current(); cur != nil && cur.Type == flow.Check {
			if quit := d.check(cur); quit {
				return ctx.Err() // nil after q
			}
			continue
		}
		if n := len(e.Log()); n != d.shown {
			d.shown = n
			d.show()
		}
		switch ans, act := d.reply(d.prompt(), ""); act {
		case stop:
			return ctx.Err() // nil after q and at the end of the input
		case follow:
			d.answer(ans)
		}
	}
}

// readLines reads in line by line on its own goroutine, so that a wait node
// can watch for a line while its check polls. The channel closes at the end
// of the input.
func readLines(in io.Reader, done <-chan struct{}) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case ch <- sc.Text():
			case <-done:
				return
			}
		}
	}()
	return ch
}

func (d *dialogue) printf(format string, a ...any) { fmt.Fprintf(d.out, format, a...) }

// text is flow text ready to print: facts filled in, unsafe characters
// shown escaped, markup dropped; one line per paragraph or list item.
func (d *dialogue) text(s string) []string {
	return markup.Lines(textsafe.Text(d.Engine.Expand(s)), 0, markup.Plain)
}

// line is flow text on one line.
func (d *dialogue) line(s string) string {
	return markup.Inline(textsafe.Text(d.Engine.Expand(s)), markup.Plain)
}

// head prints what every node begins with: where an open visit comes
// back to, an end node's outcome, the title, whose instructions an OS
// variant gives, the text.
func (d *dialogue) head(cur *flow.Node) {
	e := d.Engine
	d.printf("\n")
	if note := e.VisitNote(); note != "" {
		d.printf("%s\n", d.line(note))
	}
	if cur.Type == flow.End {
		d.printf("Esito: %s\n", engine.ResultWord(cur.Result))
	}
	d.printf("%s\n", d.line(cur.Title))
	if note := e.VariantNote(cur); note != "" {
		d.printf("%s\n", note)
	}
	d.printLines(e.Text(cur))
}

// show prints the topics or the current node.
func (d *dialogue) show() {
	e := d.Engine
	cur := e.Current()
	if cur == nil {
		d.printf("sportello · firma digitale, SPID, PEC e GoSign\n\nArgomenti:\n")
		for i, f := range e.Set().Flows {
			d.printf("  %d. %s — %s\n", i+1, d.line(f.Title), d.line(f.Description))
		}
		return
	}
	d.head(cur)
	for i, s := range e.Steps(cur) {
		d.printf("Passo %d: %s\n", i+1, d.line(s))
	}
	if cur.Type == flow.End {
		if lines := e.DevicesLines(); len(lines) > 0 {
			d.printf("%s\n", engine.DevicesHeading(len(lines)))
			for _, l := range lines {
				d.printf("- %s\n", l)
			}
		}
		if engine.ShowsContacts(cur) {
			d.printf("%s:\n", engine.ContactsTitle)
			for _, l := range e.Contacts() {
				d.printf("  %s\n", textsafe.Line(l))
			}
		}
		if hint := engine.EndHint(cur.Result); hint != "" {
			d.printf("%s\n", hint)
		}
		d.printf("Cosa vuoi fare ora?\n")
	} else if cur.Type == flow.Steps {
		d.printf("Poi scegli:\n")
	}
	for i, l := range d.choices() {
		d.printf("  %d. %s\n", i+1, l)
	}
}

func (d *dialogue) printLines(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	for _, l := range d.text(s) {
		if l != "" {
			d.printf("%s\n", l)
		}
	}
}

// choices are the numbered answers of the current screen.
func (d *dialogue) choices() []string {
	e := d.Engine
	cur := e.Current()
	var out []string
	switch {
	case cur == nil:
		for _, f := range e.Set().Flows {
			out = append(out, d.line(f.Title))
		}
	case cur.Type == flow.End:
		for _, o := range e.EndOptions() {
			out = append(out, d.line(o.Label))
		}
	default:
		for _, c := range e.Choices() {
			out = append(out, d.line(c.Label))
		}
	}
	return out
}

func (d *dialogue) prompt() string {
	n := numbers(len(d.choices()))
	if d.Engine.AtHome() {
		return fmt.Sprintf("Scegli un argomento (%s, ? aiuto, q esci): ", n)
	}
	return fmt.Sprintf("Risposta (%s, b indietro, h argomenti, ? aiuto, q esci): ", n)
}

// numbers says which numbers answer: "1", "1-4".
func numbers(n int) string {
	if n == 1 {
		return "1"
	}
	return fmt.Sprintf("1-%d", n)
}

// ask prints prompt and waits for a line. It reports false at the end of the
// input (or when ctx ends).
func (d *dialogue) ask(prompt string) (string, bool) {
	d.printf("%s", prompt)
	select {
	case l, ok := <-d.lines:
		if !ok {
			d.printf("\n")
			return "", false
		}
		if d.Echo {
			d.printf("%s\n", textsafe.Line(l))
		}
		return strings.TrimSpace(l), true
	case <-d.ctx.Done():
		d.printf("\n")
		return "", false
	}
}

// answer acts on a number answer of the topics or of a node (reply took
// the others).
func (d *dialogue) answer(ans string) {
	e := d.Engine
	n, err := strconv.Atoi(ans)
	choices := d.choices()
	if err != nil || n < 1 || n > len(choices) {
		d.printf("Risposta non valida: scrivi un numero tra quelli elencati (%s), oppure b, h, s, ?, q.\n", numbers(len(choices)))
		return
	}
	i := n - 1
	cur := e.Current()
	switch {
	case cur == nil:
		f := e.Set().Flows[i]
		_ = e.Start(engine.Ref{Flow: f.ID, Node: f.Start}) // the set is validated
	case cur.Type == flow.End:
		if a := e.EndOptions()[i].Action; a == engine.EndSave {
			d.save()
		} else {
			e.EndAct(a)
		}
	default:
		_ = e.Choose(i) // i is in range
	}
}

func (d *dialogue) save() {
	if d.Save == nil {
		d.printf("Salvataggio del riepilogo non disponibile.\n")
		return
	}
	path, err := d.Save(d.Engine.Markdown(d.Redact))
	if err != nil {
		d.printf("%s\n", textsafe.Line(err.Error()))
		return
	}
	d.printf("Riepilogo salvato in %s\n", textsafe.Line(path))
}

// finish says goodbye at the end of the input; at the topics it also says
// how to use sportello, since nothing was asked.
func (d *dialogue) finish() {
	if !d.Engine.AtHome() {
		d.printf("Fine delle risposte: l'assistente si chiude.\n")
		return
	}
	ex := "pec"
	if fl := d.Engine.Set().Flows; len(fl) > 0 {
		ex = fl[0].ID
	}
	d.printf("Nessuna risposta ricevuta. In un terminale esegui «sportello»; da uno script dai le risposte una per riga, "+
		"ad esempio: printf '1\\n' | sportello run %s --plain\n", ex)
}

// check runs the check of the current node and follows its outcome. It
// reports true when the user quit while waiting or choosing a device, the
// input ended there, or ctx ended.
func (d *dialogue) check(cur *flow.Node) (quit bool) {
	e := d.Engine
	d.head(cur)
	fmt.Fprintf(d.errOut, "Controllo in corso: %s…\n", d.line(cur.Title))
	res, act := d.run()
	if act != follow {
		return act == stop
	}
	d.printResult(res)
	if cur.Wait && res.Status == check.Fail {
		d.printf("In attesa: il controllo riparte %s. Premi Invio per smettere di aspettare, q per uscire.\n", engine.Every(d.Poll))
		res, act = d.wait(res)
		if act != follow {
			return act == stop
		}
		if res.Status == check.Fail { // stopped by a line or the end of the input
			d.printf("Non aspetto più: il percorso prosegue.\n")
		} else {
			d.printResult(res)
		}
	}
	if err := e.Outcome(res); err != nil {
		d.printf("%s\n", err)
	}
	return false
}

// action is what happens after an answer, or after a check ran.
type action int

const (
	follow action = iota // act on the answer, or follow the result's branch
	moved                // the user went back or home (b, h)
	stop                 // quit, the end of the input, or ctx ended
)

// run runs the current node's checks once, from one probe, and returns the
// result to follow; when several devices answer and none is chosen, it asks
// which one first.
func (d *dialogue) run() (check.Result, action) {
	results := check.Run(d.ctx, d.Runner, d.Engine.CheckNames(), nil)
	if d.ctx.Err() != nil { // interrupted: the result says nothing about the device
		return check.Result{}, stop
	}
	for {
		res, choices := d.Engine.Resolve(results)
		if choices == nil {
			return res, follow
		}
		if act := d.askDevice(choices); act != follow {
			return check.Result{}, act
		}
	}
}

// reply reads one answer to a menu (the topics, a node, the device
// question, the self-check) and handles those every menu shares: the end
// of the input and q (stop), b and h (moved: back, the topics), s and ?
// (then it asks again; extraHelp follows the help). Any other answer it
// returns (follow).
func (d *dialogue) reply(prompt, extraHelp string) (string, action) {
	for {
		ans, ok := d.ask(prompt)
		if !ok {
			if d.ctx.Err() == nil {
				d.finish()
			}
			return "", stop
		}
		switch strings.ToLower(ans) {
		case "q", "esci":
			return "", stop
		case "b", "indietro":
			if !d.Engine.Back() {
				d.printf("Sei già all'elenco degli argomenti.\n")
			}
			return "", moved
		case "h":
			d.Engine.Home()
			d.shown = -1
			return "", moved
		case "s":
			d.save()
			continue
		case "?", "aiuto":
			d.printf("%s%s", helpText, extraHelp)
			continue
		}
		return ans, follow
	}
}

// askDevice asks which device the user means and chooses it in the engine.
func (d *dialogue) askDevice(choices []engine.DeviceChoice) action {
	d.printf("%s\n", engine.DeviceQuestion)
	d.printf("%s\n", engine.DeviceIntro(len(choices)))
	for i, c := range choices {
		d.printf("  %d. %s\n", i+1, c.Line())
	}
	for {
		ans, act := d.reply(fmt.Sprintf("Dispositivo (%s, b indietro, h argomenti, ? aiuto, q esci): ", numbers(len(choices))), "")
		if act != follow {
			return act
		}
		n, err := strconv.Atoi(ans)
		if err != nil || n < 1 || n > len(choices) {
			d.printf("Risposta non valida: scrivi il numero del dispositivo (%s), oppure b, h, s, ?, q.\n", numbers(len(choices)))
			continue
		}
		_ = d.Engine.ChooseDevice(choices[n-1].Device.Key()) // one of the last probe's devices
		d.printf("Dispositivo scelto: %s\n", choices[n-1].Label)
		return follow
	}
}

// wait runs the check every Poll until it stops failing or a line arrives
// (which stops waiting: follow the fail).
func (d *dialogue) wait(res check.Result) (check.Result, action) {
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	for res.Status == check.Fail {
		select {
		case l, ok := <-d.lines:
			if ok && d.Echo {
				d.printf("%s\n", textsafe.Line(l))
			}
			if ok && strings.EqualFold(strings.TrimSpace(l), "q") {
				return res, stop
			}
			return res, follow
		case <-d.ctx.Done():
			return res, stop
		case <-t.C:
			var act action
			if res, act = d.run(); act != follow {
				return res, act
			}
		}
	}
	return res, follow
}

func (d *dialogue) printResult(r check.Result) {
	d.printf("Esito del controllo: %s — %s\n", engine.StatusWord(r.Status), textsafe.Line(r.Title))
	if r.Detail != "" {
		d.printf("%s\n", strings.Join(markup.Lines(textsafe.Text(r.Detail), 0, markup.Plain), "\n"))
	}
	if r.Remedy != "" {
		d.printf("Cosa fare: %s\n", strings.Join(markup.Lines(textsafe.Text(r.Remedy), 0, markup.Plain), "\n"))
	}
}

const helpText = `Rispondi con una riga:
  un numero  sceglie la risposta o l'argomento
  b          torna indietro di un passo
  h          torna all'elenco degli argomenti
  s          salva il riepilogo della sessione
  ?          mostra questo aiuto
  q          esce
La fine dell'input (Ctrl+D) chiude l'assistente.
`

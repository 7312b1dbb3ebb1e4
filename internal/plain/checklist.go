package plain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/markup"
	"github.com/sportello/sportello/internal/textsafe"
)

// The self-check (a checklist node) in plain mode: the checks run from one
// probe and the list is printed in its order, by group, as the results
// arrive (each line as soon as it and those before it are known); then the
// verdict and a numbered menu: the problems to follow (each opens its
// guide as a visit that comes back here), saving the report for the
// office, and going on. r runs the checks again.

// entry is one choice of the checklist's menu.
type entry struct {
	label   string
	problem *engine.Problem // follow it
	office  bool            // save the report for the office
}

// checklist runs the current checklist node and answers its menu. It
// reports true when the user quit, the input ended or ctx ended; false
// when the walk moved, or r asked to run again (the caller comes back).
func (d *dialogue) checklist(cur *flow.Node) (quit bool) {
	e := d.Engine
	d.head(cur)
	fmt.Fprintf(d.errOut, "Controlli in corso: %s…\n", d.line(cur.Title))
	results, ok := d.runList(cur)
	if !ok {
		return true
	}
	_ = e.ChecklistDone(results) // the engine is on this node
	problems := e.Problems(results)
	v := diag.NewVerdict(results, false)
	d.printf("Esito: %s (%s).\n", v.Message, check.Plural(len(results), "controllo", "controlli"))
	var menu []entry
	for i := range problems {
		p := &problems[i]
		if p.Followable() {
			menu = append(menu, entry{label: textsafe.Line(p.Result.Title) + " → apre «" + d.line(e.TargetTitle(*p)) + "»", problem: p})
		}
	}
	if len(menu) > 0 {
		d.printf("Problemi da risolvere:\n")
	} else {
		d.printf("Poi scegli:\n")
	}
	if d.Office != nil {
		menu = append(menu, entry{label: "Salva il rapporto per l'ufficio", office: true})
	}
	menu = append(menu, entry{label: d.line(e.ContinueLabel())})
	for i, m := range menu {
		d.printf("  %d. %s\n", i+1, m.label)
	}
	for {
		ans, act := d.reply(fmt.Sprintf("Risposta (%s, r ricontrolla, b indietro, h argomenti, ? aiuto, q esci): ", numbers(len(menu))),
			"  r          ripete tutti i controlli\n")
		switch {
		case act != follow:
			return act == stop
		case strings.EqualFold(ans, "r"):
			return false
		}
		n, err := strconv.Atoi(ans)
		if err != nil || n < 1 || n > len(menu) {
			d.printf("Risposta non valida: scrivi un numero tra quelli elencati (%s), oppure r, b, h, s, ?, q.\n", numbers(len(menu)))
			continue
		}
		switch m := menu[n-1]; {
		case m.problem != nil:
			_ = e.FollowProblem(*m.problem) // followable
			return false
		case m.office:
			if quit := d.saveForOffice(); quit {
				return true
			}
		default:
			_ = e.Continue()
			return false
		}
	}
}

// runList runs the checks of cur and prints each line of the list as soon
// as it and every line before it are known. It reports false when ctx
// ended first.
func (d *dialogue) runList(cur *flow.Node) ([]check.Result, bool) {
	names := cur.ChecklistNames()
	got := make(chan check.Result, 64)
	done := make(chan []check.Result, 1)
	go func() {
		done <- check.Run(d.ctx, d.Runner, names, func(r check.Result) {
			select {
			case got <- r:
			case <-d.ctx.Done():
			}
		})
	}()
	p := &listPrinter{d: d, node: cur}
	for {
		select {
		case r := <-got:
			p.results = append(p.results, r)
			p.flush(false)
		case final := <-done:
			if d.ctx.Err() != nil {
				return nil, false
			}
			// The run's own list is the truth: what was not printed yet is.
			p.results = final
			p.flush(true)
			return final, true
		}
	}
}

// listPrinter prints a checklist's lines in order as they become known.
type listPrinter struct {
	d       *dialogue
	node    *flow.Node
	results []check.Result
	group   int // groups printed so far (their title)
	check   int // checks of the current group printed so far
}

// flush prints every line now known, in order; with over, all of them.
func (p *listPrinter) flush(over bool) {
	for p.group < len(p.node.Groups) {
		g := p.node.Groups[p.group]
		if p.check >= len(g.Checks) {
			p.group, p.check = p.group+1, 0
			continue
		}
		name := g.Checks[p.check]
		if !over && !p.ready(name) {
			return
		}
		if p.check == 0 {
			p.d.printf("%s\n", p.d.line(g.Title))
		}
		for _, r := range check.Of(p.results, name) {
			p.d.printf("  %s — %s\n", engine.StatusWord(r.Status), textsafe.Line(r.Title))
			if check.UrgencyOf(r) >= check.UrgencyWarn {
				for _, s := range []string{r.Detail, prefixed("Cosa fare: ", r.Remedy)} {
					if strings.TrimSpace(s) != "" {
						p.d.printf("    %s\n", strings.Join(markup.Lines(textsafe.Text(s), 0, markup.Plain), " "))
					}
				}
			}
		}
		p.check++
	}
}

func prefixed(prefix, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return prefix + s
}

// ready reports whether every result of check name has arrived. A
// workstation check has one. The token checks arrive in their order, and
// each has a result per device: one is complete once a later token check
// has a result, or once it has as many as token.present and a later check
// of the same probe has shown that token.present is.
func (p *listPrinter) ready(name string) bool {
	rs := check.Of(p.results, name)
	i := slices.Index(check.TokenCheckNames, name)
	if len(rs) == 0 {
		return false
	}
	if i < 0 {
		return true
	}
	for _, later := range check.TokenCheckNames[i+1:] {
		if len(check.Of(p.results, later)) > 0 {
			return true
		}
	}
	if name == check.TokenModule {
		return true // one result, about no device
	}
	present := check.Of(p.results, check.TokenPresent)
	return name != check.TokenPresent && len(present) > 0 && len(rs) == len(present)
}

// saveForOffice asks whether to mask the report and saves it for the
// office. It reports true when the input ended or the user quit.
func (d *dialogue) saveForOffice() (quit bool) {
	d.printf("Vuoi mascherare i dati personali (codice fiscale e numeri di serie) nel rapporto per l'ufficio?\n")
	d.printf("  1. Sì, mascherali (consigliato per e-mail e chat)\n  2. No, lasciali in chiaro\n")
	for {
		ans, ok := d.ask("Risposta (1-2, b annulla, q esci): ")
		if !ok {
			if d.ctx.Err() == nil {
				d.finish()
			}
			return true
		}
		switch strings.ToLower(ans) {
		case "q", "esci":
			return true
		case "b", "indietro":
			return false
		case "1", "2":
			s, err := d.Office(ans == "1")
			if err != nil {
				d.printf("Impossibile salvare il rapporto per l'ufficio: %s\n", textsafe.Line(err.Error()))
				return false
			}
			d.printf("Rapporto per l'ufficio salvato in %s\n", textsafe.Line(s.Path))
			if !s.Redacted {
				d.printf("Contiene codice fiscale e numeri di serie in chiaro.\n")
			}
			d.printf("Da leggere all'ufficio: %s\n", s.Line)
			return false
		}
		d.printf("Risposta non valida: scrivi 1 o 2, oppure b per annullare.\n")
	}
}

package engine

import (
	"fmt"
	"strings"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/token"
)

// ResultWord is the Italian word for an end node's result.
func ResultWord(r flow.Result) string {
	switch r {
	case flow.Resolved:
		return "Risolto"
	case flow.Escalate:
		return "Da inoltrare all'assistenza"
	case flow.Info:
		return "Informazione"
	}
	return string(r)
}

// StatusWord is the Italian word for a check status.
func StatusWord(s check.Status) string {
	switch s {
	case check.Pass:
		return "OK"
	case check.Warn:
		return "attenzione"
	case check.Fail:
		return "problema"
	case check.Skip:
		return "non applicabile"
	case check.Error:
		return "controllo non riuscito"
	}
	return string(s)
}

// Markdown renders the session as Markdown for a ticket: the path taken with
// the answers, the outcome, the checks that ran and the whole log. With
// redact, codice fiscale and serial numbers reported by the checks are
// masked everywhere.
func (e *Engine) Markdown(redact bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Riepilogo sportello\n\nData: %s\n\nIstruzioni per: %s\n\n", e.now().Format("02/01/2006 15:04"), OSName(e.os))

	path := e.path
	if len(path) == 0 {
		path = e.last
	}
	if len(path) > 0 {
		f := e.set.Flow(path[0].Ref.Flow)
		fmt.Fprintf(&b, "## Percorso: %s\n\n", f.Title)
		for i, s := range path {
			fmt.Fprintf(&b, "%d. **%s**", i+1, e.Expand(s.Node.Title))
			if s.Ref.Flow != path[0].Ref.Flow {
				fmt.Fprintf(&b, " (%s)", e.set.Flow(s.Ref.Flow).Title)
			}
			switch s.Entry {
			case EnteredVisit:
				fmt.Fprintf(&b, " — visita, poi si torna a «%s»", e.Expand(e.set.Node(s.Return.Flow, s.Return.Node).Title))
			case EnteredReturn:
				b.WriteString(" — ritorno dalla visita")
			}
			switch {
			case s.Result != nil:
				fmt.Fprintf(&b, " — controllo `%s`: %s — %s%s", s.Node.Check, StatusWord(s.Result.Status), s.Result.Title, e.deviceNote(s.Result))
			case s.Results != nil && s.Choice != "":
				fmt.Fprintf(&b, " — %s; risposta: «%s»", ChecklistCount(s.Results), s.Choice)
			case s.Results != nil:
				fmt.Fprintf(&b, " — %s", ChecklistCount(s.Results))
			case s.Choice != "":
				fmt.Fprintf(&b, " — risposta: «%s»", s.Choice)
			}
			b.WriteString("\n")
		}
		last := path[len(path)-1].Node
		if last.Type == flow.End {
			fmt.Fprintf(&b, "\n## Esito: %s\n\n**%s**\n\n%s\n", ResultWord(last.Result), e.Expand(last.Title), strings.TrimSpace(e.Expand(e.Text(last))))
			if ShowsContacts(last) {
				fmt.Fprintf(&b, "\n### %s\n\n", ContactsTitle)
				for _, l := range e.Contacts() {
					fmt.Fprintf(&b, "- %s\n", l)
				}
			}
		} else {
			fmt.Fprintf(&b, "\n## Esito\n\nPercorso non concluso: fermo a «%s».\n", e.Expand(last.Title))
		}
	}

	if lines := e.DevicesLines(); len(lines) > 0 {
		fmt.Fprintf(&b, "\n## %s\n\n", strings.TrimSuffix(DevicesHeading(len(lines)), ":"))
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}

	var checks []*check.Result
	for _, ev := range e.log {
		if ev.Result != nil {
			checks = append(checks, ev.Result)
		}
		for i := range ev.Results {
			checks = append(checks, &ev.Results[i])
		}
	}
	if len(checks) > 0 {
		b.WriteString("\n## Controlli eseguiti\n\n")
		for _, r := range checks {
			fmt.Fprintf(&b, "- `%s` — **%s**: %s%s\n", r.Check, StatusWord(r.Status), r.Title, e.deviceNote(r))
			if r.Detail != "" {
				fmt.Fprintf(&b, "  - %s\n", r.Detail)
			}
			if r.Remedy != "" {
				fmt.Fprintf(&b, "  - Cosa fare: %s\n", r.Remedy)
			}
		}
	}

	if len(e.log) > 0 {
		b.WriteString("\n## Cronologia\n\n")
		for _, ev := range e.log {
			fmt.Fprintf(&b, "- %s %s\n", ev.Time.Format("15:04:05"), e.describe(ev))
		}
	}
	out := b.String()
	if redact {
		// The same masking as diagnose --redact: the serial number and
		// codice fiscale the checks reported, and any other codice fiscale.
		out = token.RedactorOf(append([]string{e.facts[check.FactTokenSerial], e.facts[check.FactCertCF]}, e.devices.serials...)...).Text(out)
	}
	return out
}

func (e *Engine) describe(ev Event) string {
	where := ""
	if f := e.set.Flow(ev.Ref.Flow); f != nil {
		where = f.Title + " › " + ev.Title
	}
	switch ev.Kind {
	case EvVisit:
		return where
	case EvJump:
		return "ricerca → " + where
	case EvCall:
		return "visita → " + where
	case EvReturn:
		return "ritorno → " + where
	case EvChoice:
		return "risposta «" + ev.Choice + "»"
	case EvCheck:
		return fmt.Sprintf("controllo %s: %s%s", ev.Result.Check, StatusWord(ev.Result.Status), e.deviceNote(ev.Result))
	case EvChecklist:
		return "elenco dei controlli: " + ChecklistCount(ev.Results)
	case EvBack:
		return "indietro → " + where
	case EvHome:
		return "torna all'inizio"
	}
	return ev.Kind
}

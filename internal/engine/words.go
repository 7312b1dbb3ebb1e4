package engine

import (
	"fmt"
	"time"

	"github.com/sportello/sportello/internal/flow"
)

// What every interface (the TUI, the plain mode) says and offers the same
// way, kept here so that they cannot drift apart.

// EndChoices are the choices offered on an end node, in this order: save
// the summary, restart the flow, go back to the topics.
var EndChoices = []string{"Salva il riepilogo", "Ricomincia questo percorso", "Torna agli argomenti"}

// The indexes of EndChoices, and the actions of EndOptions.
const (
	EndSave = iota
	EndRestart
	EndHome
	EndReturn // inside a visit: back to the caller (EndOptions lists it first)
)

// EndHint is the advice shown on an end node with result r, or "".
func EndHint(r flow.Result) string {
	if r == flow.Escalate {
		return "Salva il riepilogo e allegalo alla richiesta di assistenza: contiene il percorso fatto e le risposte date."
	}
	return ""
}

// DefaultPoll is how often a wait node runs its check again while it fails
// (flows/README.md).
const DefaultPoll = 2 * time.Second

// Every says how often something repeats: "ogni secondo", "ogni 2 secondi".
func Every(d time.Duration) string {
	s := max(1, int(d.Round(time.Second)/time.Second))
	if s == 1 {
		return "ogni secondo"
	}
	return fmt.Sprintf("ogni %d secondi", s)
}

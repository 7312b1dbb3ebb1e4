package check

import (
	"context"
	"fmt"
)

// Run runs the check name with r and always returns a Result for it: a nil
// r means no diagnostics are available (Error, saying so), and a runner that
// panics despite its contract yields Error instead of taking the program
// down. The TUI and the plain mode run every check through it.
func Run(ctx context.Context, r Runner, name string) (res Result) {
	if r == nil {
		return Result{
			Check:  name,
			Status: Error,
			Title:  "Controllo automatico non disponibile",
			Detail: "Questa versione di sportello non può eseguire il controllo «" + name + "»: " +
				"il percorso prosegue come quando un controllo non riesce.",
		}
	}
	defer func() {
		if p := recover(); p != nil {
			res = Result{Check: name, Status: Error, Title: "Il controllo si è interrotto per un errore interno",
				Detail: fmt.Sprint(p)}
		}
	}()
	res = r.Run(ctx, name)
	if res.Check == "" {
		res.Check = name
	}
	if !res.Status.Valid() {
		res.Status = Error
	}
	return res
}

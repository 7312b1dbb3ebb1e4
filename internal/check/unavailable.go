package check

import (
	"context"
	"slices"
)

// Run runs the checks names (nil: every check of Known) with r and returns
// at least one Result for each name, in the order of names: a nil r means
// no diagnostics are available (Error, saying so), a name the runner did
// not answer is an Error, a status that is not one of the five becomes
// Error, and a runner that panics despite its contract yields Error instead
// of taking the program down. The TUI and the plain mode run every check
// through it. emit hears the results as the runner reports them.
func Run(ctx context.Context, r Runner, names []string, emit func(Result)) (out []Result) {
	if names == nil {
		names = Known
	}
	if r == nil {
		for _, name := range names {
			out = append(out, Result{
				Check:  name,
				Status: Error,
				Title:  "Controllo automatico non disponibile",
				Detail: "Questa versione di sportello non può eseguire il controllo «" + name + "»: " +
					"il percorso prosegue come quando un controllo non riesce.",
			})
		}
		return out
	}
	defer func() {
		if p := recover(); p != nil {
			out = nil
			for _, name := range names {
				out = append(out, Result{Check: name, Status: Error, Title: "Il controllo si è interrotto per un errore interno",
					Detail: "Il controllo automatico non è riuscito: il percorso prosegue come quando un controllo non riesce. Segnala il problema a chi distribuisce sportello."})
			}
		}
	}()
	got := r.Run(ctx, names, emit)
	for _, name := range names {
		rs := Of(got, name)
		if len(rs) == 0 {
			out = append(out, Result{Check: name, Status: Error, Title: "Controllo non eseguito: " + name})
		}
		for _, res := range rs {
			if !res.Status.Valid() {
				res.Status = Error
			}
			out = append(out, res)
		}
	}
	return out
}

// Of returns the results of check name, in their order.
func Of(results []Result, name string) []Result {
	var out []Result
	for _, r := range results {
		if r.Check == name {
			out = append(out, r)
		}
	}
	return out
}

// Devices returns the distinct devices results of one probe are about, in
// the order they first appear. Within one probe a device is its module and
// slot: serial numbers may be masked (--redact) and then look alike.
func Devices(results []Result) []Device {
	var out []Device
	for _, r := range results {
		if r.Device != nil && !slices.ContainsFunc(out, r.Device.SameSlot) {
			out = append(out, *r.Device)
		}
	}
	return out
}

// SameSlot reports whether d and o are the same device of one probe: the
// same module and slot.
func (d Device) SameSlot(o Device) bool { return d.Module == o.Module && d.Slot == o.Slot }

//go:build !windows && !linux && !darwin

package station

import "context"

// Other systems: no reader of installed programs; the checks say the list
// could not be read.
func readSoftware(ctx context.Context, o Options, s *Software) {
	s.Errors = append(s.Errors, "elenco dei programmi installati non disponibile su questo sistema")
}

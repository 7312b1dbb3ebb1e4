package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/report"
	"github.com/sportello/sportello/internal/textsafe"
)

// reportCmd renders a saved report (the operator's side of a report sent
// by a user) and exits with its verdict.
func (a *app) reportCmd() *cobra.Command {
	var (
		format         string
		strict, redact bool
	)
	cmd := &cobra.Command{
		Use:   "report FILE",
		Short: "Mostra un rapporto salvato (anche di un altro computer) ed esce con il suo esito",
		Long: "Legge un rapporto salvato con «sportello diagnose --format json» o con «Salva il rapporto\n" +
			"per l'ufficio» e lo mostra come lo mostrerebbe diagnose sul computer dove è stato fatto:\n" +
			"niente viene controllato su questo computer. Con - il rapporto si legge da stdin.\n\n" +
			"Un file che non è un rapporto, troncato o modificato, di un formato sconosciuto o di una\n" +
			"versione più recente di sportello viene rifiutato con un messaggio che dice cosa non va.\n\n" +
			"Codici di uscita: 0 nessun problema nel rapporto (gli avvisi sono ammessi, tranne con\n" +
			"--strict), 1 problema nel rapporto o file non leggibile, 2 uso errato.",
		Example: "  sportello report rapporto-sportello-20261201-113400.json\n" +
			"  sportello report rapporto.json --format junit --strict\n" +
			"  sportello diagnose --format json | sportello report - --redact --format json",
		Args: oneArg("indica il file del rapporto, ad esempio: sportello report rapporto.json (con - si legge da stdin)"),
		RunE: func(_ *cobra.Command, args []string) error {
			if !slices.Contains(report.Formats, format) {
				return usageErrorf("formato %q non previsto: usa %s", format, strings.Join(report.Formats, ", "))
			}
			var (
				r   *diag.Report
				err error
			)
			if args[0] == "-" {
				r, err = diag.ReadReportFrom("stdin", a.stdin)
			} else {
				r, err = diag.ReadReport(args[0])
			}
			if err != nil {
				return &exitError{code: ExitProblem, msg: err.Error()}
			}
			if strict && !r.Strict {
				r.Strict = true
				r.Verdict = diag.NewVerdict(r.Checks, true)
			}
			if redact {
				r = diag.Masked(r)
			}
			if err := report.Write(a.stdout, format, r, report.Options{Color: colorOn(a.stdout), Saved: true}); err != nil {
				return &exitError{code: ExitProblem, msg: "impossibile scrivere il risultato"}
			}
			if !r.Verdict.OK {
				return problem()
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "scrive il rapporto nel `FORMATO` text (per le persone), json o junit (per script e CI)")
	f.BoolVar(&strict, "strict", false, "considera gli avvisi come problemi (codice di uscita 1)")
	f.BoolVar(&redact, "redact", false, "maschera codici fiscali e numeri di serie nel risultato")
	return cmd
}

// saveForOffice writes r for the office (diagnose --save) and says on
// stderr where, and the line to read out on the phone.
func (a *app) saveForOffice(r *diag.Report) error {
	s, err := diag.SaveForOffice(r, diag.SaveOptions{})
	if err != nil {
		return &exitError{code: ExitProblem, msg: "impossibile salvare il rapporto per l'ufficio: " + err.Error()}
	}
	fmt.Fprintf(a.stderr, "Rapporto per l'ufficio salvato in %s\n", textsafe.Line(s.Path))
	if !s.Redacted {
		fmt.Fprintln(a.stderr, "Contiene codice fiscale e numeri di serie in chiaro: per mascherarli usa anche --redact.")
	}
	fmt.Fprintf(a.stderr, "Da leggere all'ufficio: %s\n", s.Line)
	return nil
}

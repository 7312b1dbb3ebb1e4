package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sportello/sportello/internal/console"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/probe"
	"github.com/sportello/sportello/internal/report"
	"github.com/sportello/sportello/internal/station"
)

// ExitInterrupted is the exit code of a diagnosis stopped with Ctrl-C.
const ExitInterrupted = 130

func (a *app) diagnoseCmd() *cobra.Command {
	var (
		format                              string
		pf                                  probeFlags
		strict, redact, save, noWorkstation bool
	)
	cmd := &cobra.Command{
		Use:   "diagnose",
		Short: "Controlla il dispositivo di firma (driver, PIN, PUK, certificati) e la postazione",
		Long: "Controlla il dispositivo di firma digitale attraverso il suo driver PKCS#11: se il driver è\n" +
			"installato e funziona, se il dispositivo è inserito, lo stato di PIN e PUK (senza usare\n" +
			"tentativi: non chiede mai il PIN), i certificati di firma e CNS con la loro scadenza.\n" +
			"Controlla anche la postazione: il servizio delle smart card con i lettori e le carte\n" +
			"inserite, i dispositivi sulla porta USB, un riavvio in sospeso e l'orologio.\n" +
			"Ogni driver, e il servizio delle smart card, è controllato in un processo separato: un\n" +
			"driver o un servizio bloccato o difettoso viene segnalato per nome invece di bloccare il\n" +
			"programma.\n\n" +
			"Il risultato va su stdout, i messaggi su stderr. Codici di uscita: 0 nessun problema\n" +
			"(gli avvisi sono ammessi, tranne con --strict), 1 problema trovato, 2 uso errato,\n" +
			"130 controllo interrotto.",
		Example: "  sportello diagnose\n" +
			"  sportello diagnose --format json --redact > diagnosi.json\n" +
			"  sportello diagnose --module /usr/lib/libbit4xpki.so --warn-days 60 --strict",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(report.Formats, format) {
				return usageErrorf("formato %q non previsto: usa %s", format, strings.Join(report.Formats, ", "))
			}
			if err := pf.check(); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			o := pf.options(cfg)
			o.Strict, o.Redact, o.NoWorkstation = strict, redact, noWorkstation
			if isTTY(a.stderr) {
				o.Progress = func(msg string) { fmt.Fprintln(a.stderr, msg) }
			}
			return a.diagnose(ctx, format, o, save)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "scrive il risultato nel `FORMATO` text (per le persone), json o junit (per script e CI)")
	pf.add(f)
	f.BoolVar(&strict, "strict", false, "considera gli avvisi come problemi (codice di uscita 1)")
	f.BoolVar(&redact, "redact", false, "maschera codici fiscali e numeri di serie nel risultato")
	f.BoolVar(&save, "save", false, "salva anche il rapporto per l'ufficio (JSON) nella cartella Documenti e dice dove")
	f.BoolVar(&noWorkstation, "no-workstation", false, "controlla solo il dispositivo, non la postazione (servizio smart card, riavvio, orologio)")
	return cmd
}

// diagnose runs the diagnosis, prints it and maps the verdict to the exit
// code. It turns a panic into an Italian message: the user never sees a
// Go stack trace.
func (a *app) diagnose(ctx context.Context, format string, o diag.Options, save bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &exitError{code: ExitProblem, msg: "errore interno durante la diagnosi: segnalalo agli sviluppatori"}
		}
	}()
	r := diag.Diagnose(ctx, o)
	if ctx.Err() != nil {
		return &exitError{code: ExitInterrupted, msg: "controllo interrotto"}
	}
	out := a.stdout
	if format == "text" {
		out = console.Writer(out) // ASCII markers on a console that cannot draw ✓ ✗ →
	}
	if err := report.Write(out, format, r, report.Options{Color: colorOn(a.stdout)}); err != nil {
		return &exitError{code: ExitProblem, msg: "impossibile scrivere il risultato (l'uscita è chiusa o il disco è pieno)"}
	}
	if save {
		if err := a.saveForOffice(r); err != nil {
			return err
		}
	}
	if !r.Verdict.OK {
		return problem()
	}
	return nil
}

// probeCmd is the child side of the isolation (see package diag): it
// probes one module in this process and writes the JSON on stdout.
func (a *app) probeCmd() *cobra.Command {
	var (
		module   string
		warnDays int
	)
	cmd := &cobra.Command{
		Use:    diag.ProbeCommand,
		Short:  "Uso interno: controlla un solo driver PKCS#11 e scrive il risultato in JSON",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if module == "" {
				return usageErrorf("%s vuole --module", diag.ProbeCommand)
			}
			out := a.stdout
			if a.stdout == io.Writer(os.Stdout) {
				// What the module prints must not mix with the report.
				if f, err := probe.IsolateStdout(); err == nil {
					defer f.Close()
					out = f
				}
			}
			m := probe.Module(module, probe.Options{WarnDays: warnDays, Trace: diag.Tracer(a.stderr)})
			diag.TraceEnd(a.stderr)
			if err := json.NewEncoder(out).Encode(m); err != nil {
				return &exitError{code: ExitProblem, msg: "impossibile scrivere il risultato del controllo"}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&module, "module", "", "controlla il driver PKCS#11 in `PERCORSO`")
	cmd.Flags().IntVar(&warnDays, "warn-days", diag.DefaultWarnDays, "avvisa quando un certificato scade entro `GIORNI` giorni")
	return cmd
}

// readPCSC is the child side of the PC/SC isolation (see package diag),
// which Main runs for «sportello __pcsc» without building the command
// tree: it reads the smart-card service in this process and writes the
// JSON on stdout (whatever libpcsclite prints goes to stderr), tracing
// each call on stderr.
func (a *app) readPCSC() error {
	out := a.stdout
	if a.stdout == io.Writer(os.Stdout) {
		if f, err := probe.IsolateStdout(); err == nil {
			defer f.Close()
			out = f
		}
	}
	p := station.ReadPCSC(diag.Tracer(a.stderr))
	if err := json.NewEncoder(out).Encode(p); err != nil {
		return &exitError{code: ExitProblem, msg: err.Error()}
	}
	return nil
}

// colorOn reports whether to colour output on w: a terminal, NO_COLOR
// unset, TERM not "dumb" (clig.dev).
func colorOn(w io.Writer) bool {
	return isTTY(w) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

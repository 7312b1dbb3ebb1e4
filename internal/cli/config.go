package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/textsafe"
)

// officeConfig is the office configuration, read once per run.
type officeConfig struct {
	flag string // --config
	cfg  *config.Config
	err  error
	done bool
}

// Config returns the office configuration (--config, SPORTELLO_CONFIG or
// the first file found, see config.Resolve), nil when there is none. It is
// read once; a configuration that cannot be read or has problems is an
// error ready to return from a command (the problems are printed on
// stderr, exit 1; a named file that cannot be read is a usage error, exit
// 2). Commands that need a setting (gosign.versione_minima for the
// diagnostics) take it from here.
func (a *app) Config() (*config.Config, error) {
	o := &a.office
	if !o.done {
		o.done = true
		o.cfg, o.err = config.Resolve(o.flag, os.Getenv)
	}
	if o.err != nil {
		return nil, a.configError(o.err)
	}
	return o.cfg, nil
}

// configError turns a configuration error into the command's error,
// printing the problems.
func (a *app) configError(err error) error {
	var ps config.Problems
	var fe *config.FileError
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			fmt.Fprintln(a.stderr, p)
		}
		return &exitError{code: ExitProblem, msg: fmt.Sprintf("la configurazione dell'ufficio contiene %s: correggila (sportello config check %s)",
			check.Plural(len(ps), "errore", "errori"), textsafe.Line(ps[0].File))}
	case errors.As(err, &fe):
		code := ExitProblem
		if fe.Given {
			code = ExitUsage
		}
		return &exitError{code: code, msg: "configurazione dell'ufficio non leggibile: " + textsafe.Line(fe.Error())}
	}
	return &exitError{code: ExitProblem, msg: textsafe.Line(err.Error())}
}

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Controlla la configurazione dell'ufficio (recapiti, impostazioni)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(a.configCheckCmd())
	return cmd
}

func (a *app) configCheckCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check [FILE]",
		Short: "Controlla un file di configurazione e segnala ogni errore come file:riga",
		Long: "Controlla il file di configurazione dell'ufficio indicato o, senza argomenti, quello che\n" +
			"sportello userebbe (--config, SPORTELLO_CONFIG, la cartella dell'utente, quella di sistema,\n" +
			"accanto al programma). Esce con 1 se ci sono errori o se non trova nessun file.",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("indica al massimo un file da controllare, ad esempio: sportello config check ufficio.yaml")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var cfg *config.Config
			var err error
			if len(args) == 1 {
				cfg, err = config.Load(config.Place{Path: args[0], Source: config.FromArg}, true)
			} else {
				cfg, err = config.Resolve(a.office.flag, os.Getenv)
			}
			var ps config.Problems
			if errors.As(err, &ps) {
				for _, p := range ps {
					fmt.Fprintln(a.stdout, p)
				}
				fmt.Fprintf(a.stderr, "%s in %s\n", check.Plural(len(ps), "problema", "problemi"), textsafe.Line(ps[0].File))
				return problem()
			}
			if err != nil {
				return a.configError(err)
			}
			if cfg == nil {
				fmt.Fprintln(a.stderr, "Nessuna configurazione dell'ufficio trovata. Cercata in:")
				for _, pl := range config.Places() {
					fmt.Fprintf(a.stderr, "  %s (%s)\n", textsafe.Line(pl.Path), pl.Source.Describe())
				}
				fmt.Fprintln(a.stderr, "Senza configurazione i nodi di assistenza dicono di rivolgersi all'ufficio che ha rilasciato il dispositivo.")
				return problem()
			}
			fmt.Fprintf(a.stdout, "%s: configurazione valida (%s)\n", textsafe.Line(cfg.File), cfg.Source.Describe())
			facts := cfg.Ufficio.Facts()
			for _, k := range config.FactKeys {
				if v := facts[k]; v != "" {
					fmt.Fprintf(a.stdout, "  %s: %s\n", k, textsafe.Line(v))
				}
			}
			if v := cfg.GoSign.VersioneMinima; v != "" {
				fmt.Fprintf(a.stdout, "  gosign.versione_minima: %s\n", textsafe.Line(v))
			}
			return nil
		},
	}
}

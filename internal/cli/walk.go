package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/config"
	"github.com/sportello/sportello/internal/console"
	"github.com/sportello/sportello/internal/diag"
	"github.com/sportello/sportello/internal/engine"
	"github.com/sportello/sportello/internal/plain"
	"github.com/sportello/sportello/internal/summary"
	"github.com/sportello/sportello/internal/textsafe"
	"github.com/sportello/sportello/internal/tui"
)

// walkOpts are the flags of the commands that open the assistant.
type walkOpts struct {
	plain      bool
	transcript string
	redact     bool       // mask codici fiscali and serials in the summary
	os         string     // --os: whose instructions to show ("": the running system)
	probe      probeFlags // for the check nodes
	noProbe    bool       // --no-probe: no background probe for the topics' status line
	report     string     // --report: answer the checks from this saved report (sources.go)
}

func (a *app) walkFlags(cmd *cobra.Command, o *walkOpts) {
	cmd.Flags().BoolVar(&o.plain, "plain", false,
		"dialogo testuale numerato al posto dell'interfaccia a schermo intero (automatico se l'input o l'output non è un terminale)")
	cmd.Flags().StringVar(&o.transcript, "transcript", "",
		"salva il riepilogo della sessione in `FILE` (con il tasto s e all'uscita)")
	cmd.Flags().BoolVar(&o.redact, "redact", false, "maschera codici fiscali e numeri di serie nel riepilogo salvato")
	cmd.Flags().StringVar(&o.os, "os", "",
		"mostra le istruzioni per il `SISTEMA` windows, macos o linux (predefinito: quello in uso), per guidare un utente che ne usa un altro")
	_ = cmd.RegisterFlagCompletionFunc("os", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"windows", "macos", "linux"}, cobra.ShellCompDirectiveNoFileComp
	})
	o.probe.add(cmd.Flags())
	cmd.Flags().BoolVar(&o.noProbe, "no-probe", false,
		"non controlla il dispositivo in sottofondo per la riga di stato dell'elenco degli argomenti")
	cmd.Flags().StringVar(&o.report, "report", "",
		"risponde ai controlli con il rapporto salvato nel `FILE` (di un altro computer), senza controllare questo")
}

// checkRunner returns the runner of the check nodes: the isolated PKCS#11
// probe, unless a test set another.
func (a *app) checkRunner(o walkOpts, cfg *config.Config) check.Runner {
	if a.runner != nil {
		return a.runner
	}
	return diag.NewRunner(o.probe.options(cfg))
}

func (a *app) runCmd() *cobra.Command {
	var o walkOpts
	cmd := &cobra.Command{
		Use:   "run PERCORSO[:NODO]",
		Short: "Apre l'assistente direttamente su un percorso, o su un suo nodo",
		Example: "  sportello run pec\n" +
			"  sportello run pec:accesso\n" +
			"  printf '2\\n1\\n' | sportello run pec --plain",
		Args:              oneArg("indica un percorso, ad esempio: sportello run pec (elenco: sportello flows list)"),
		ValidArgsFunction: a.completeFlow,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.walk(cmd.Context(), args[0], o)
		},
	}
	a.walkFlags(cmd, &o)
	return cmd
}

// completeFlow completes the first argument with the flow ids.
func (a *app) completeFlow(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	set, err := a.loadFlows()
	if err != nil || len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var ids []string
	for _, f := range set.Flows {
		ids = append(ids, f.ID+"\t"+f.Title)
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// walk opens the assistant at start ("" for the topics): the TUI when stdin
// and stdout are terminals, the plain dialogue otherwise or with --plain.
func (a *app) walk(ctx context.Context, start string, o walkOpts) error {
	if err := o.probe.check(); err != nil {
		return err
	}
	osys, osGiven := engine.RunningOS(), o.os != ""
	if o.os != "" {
		var err error
		if osys, err = engine.ParseOS(o.os); err != nil {
			return usageErrorf("--os: %s", textsafe.Line(err.Error()))
		}
	}
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	set, err := a.loadFlows()
	if err != nil {
		return err
	}
	early := a.prefetch(set, start, o, cfg) // the self-check's probe, while the screen opens (early.go)
	defer early.discard()                   // not taken (the user quit first): its child is killed
	src, err := a.sources(o, cfg, early)
	if err != nil {
		return err
	}
	if src.fromReport && !osGiven {
		osys = src.os // the user's system, as the report tells; unknown: the common instructions
	}
	eng := engine.New(set)
	eng.SetOS(osys)
	if cfg != nil {
		eng.SetOffice(&cfg.Ufficio)
	}
	if start != "" {
		ref, err := engine.ParseRef(set, start)
		if err != nil {
			return usageErrorf("%s: vedi sportello flows list", textsafe.Line(err.Error()))
		}
		_ = eng.Start(ref) // ParseRef checked that the node exists
	}
	saver, saverErr := summary.New(o.transcript, time.Now())
	save := func(markdown string) (string, error) {
		if saverErr != nil {
			return "", saverErr
		}
		return saver.Save(markdown)
	}

	if a.interactive(o) {
		defer console.Save(a.stdin, a.stdout)() // even if the TUI fails half-way
		err = tui.Run(ctx, a.stdin, a.stdout, tui.Options{Engine: eng, Runner: src.runner, Save: save, Redact: o.redact,
			Office: src.office, Status: src.status, StatusEvery: src.statusEvery, Header: src.header})
	} else {
		err = a.plain(ctx, plain.Options{Engine: eng, Runner: src.runner, Save: save, Redact: o.redact, Echo: !isTTY(a.stdin),
			Office: src.office, Header: src.header})
	}
	if err != nil {
		return &exitError{code: ExitProblem, msg: textsafe.Line(err.Error())}
	}
	if o.transcript != "" {
		path, err := save(eng.Markdown(o.redact))
		if err != nil {
			return &exitError{code: ExitProblem, msg: textsafe.Line(err.Error())}
		}
		fmt.Fprintf(a.stderr, "Riepilogo salvato in %s\n", textsafe.Line(path))
	}
	return nil
}

// plain runs the numbered dialogue. Ctrl+C ends it like q (exit 0, the
// transcript saved) and cancels a check in progress; a second Ctrl+C kills
// the program, in case a check ignores the cancellation.
func (a *app) plain(ctx context.Context, opts plain.Options) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	err := plain.Run(ctx, a.stdin, console.Writer(a.stdout), console.Writer(a.stderr), opts)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// interactive reports whether to open the TUI: not --plain, stdin and stdout
// are terminals, and the terminal can move the cursor (TERM is not dumb).
// Bubble Tea v1 would open /dev/tty when stdin is not a terminal: this check
// comes first so that pipes and </dev/null get the plain dialogue.
func (a *app) interactive(o walkOpts) bool {
	return !o.plain && isTTY(a.stdin) && isTTY(a.stdout) && os.Getenv("TERM") != "dumb"
}

// isTTY reports whether s (stdin, stdout or stderr) is a terminal.
func isTTY(s any) bool {
	f, ok := s.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Package cli wires the sportello subcommands (cobra) to the packages that do
// the work. It owns flags, exit codes and which stream gets what: data on
// stdout, messages on stderr. Everything a user reads here is Italian.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/diag"
)

// Exit codes, documented in README.md.
const (
	ExitOK      = 0 // success (warnings allowed unless --strict)
	ExitProblem = 1 // a problem was found (lint errors, a failing check)
	ExitUsage   = 2 // bad flags or arguments
)

// version is set at build time with -ldflags "-X .../internal/cli.version=...".
var version = "dev"

// exitError carries an exit code through cobra's error return. Its message,
// if any, has already been printed or is printed by Main.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageErrorf reports a usage error (exit 2).
func usageErrorf(format string, a ...any) error {
	return &exitError{code: ExitUsage, msg: fmt.Sprintf(format, a...)}
}

// oneArg accepts exactly one argument; otherwise it is a usage error with
// msg, which says what to give.
func oneArg(msg string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageErrorf("%s", msg)
		}
		return nil
	}
}

// problem reports that the command ran and found a problem (exit 1); the
// details were already printed.
func problem() error { return &exitError{code: ExitProblem} }

// app holds what every command shares: the streams and the global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	flowsDir       string // --flows or SPORTELLO_FLOWS; empty means embedded
	// runner runs the checks of check nodes; nil means the real one, the
	// isolated PKCS#11 probe of package diag, built from the walk's flags.
	runner check.Runner
	office officeConfig // --config and the configuration read (config.go)
}

// Main runs sportello with args (without the program name) and returns the
// exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 1 && args[0] == diag.PCSCCommand {
		// The PC/SC child runs on every diagnosis, beside the token probe:
		// it skips building the command tree, the one cost it can.
		if err := a.readPCSC(); err != nil {
			fmt.Fprintf(stderr, "sportello: %s\n", err)
			return ExitProblem
		}
		return ExitOK
	}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "sportello: %s\n", ee.msg)
		}
		if ee.code == ExitUsage {
			fmt.Fprintln(stderr, "Usa «sportello --help» per l'elenco dei comandi e delle opzioni.")
		}
		return ee.code
	}
	// Errors from cobra itself (unknown command, bad flag, wrong arg count)
	// are usage errors; translate the common ones.
	fmt.Fprintf(stderr, "sportello: %s\n", italianCobraError(err))
	fmt.Fprintln(stderr, "Usa «sportello --help» per l'elenco dei comandi e delle opzioni.")
	return ExitUsage
}

func (a *app) rootCmd() *cobra.Command {
	var walk walkOpts
	root := &cobra.Command{
		Use:   "sportello",
		Short: "Assistente per firma digitale, SPID, PEC e GoSign",
		Long: "sportello guida l'operatore dello sportello, o l'utente da solo, nella soluzione dei\n" +
			"problemi con dispositivi di firma digitale, SPID, PEC e firma con GoSign.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.walk(cmd.Context(), "", walk)
		},
	}
	a.walkFlags(root, &walk)
	root.SetVersionTemplate("sportello {{.Version}}\n")
	root.PersistentFlags().StringVar(&a.flowsDir, "flows", os.Getenv("SPORTELLO_FLOWS"),
		"usa i percorsi YAML della `CARTELLA` al posto di quelli incorporati (anche SPORTELLO_FLOWS)")
	root.PersistentFlags().StringVar(&a.office.flag, "config", "",
		"legge la configurazione dell'ufficio (recapiti, impostazioni) dal `FILE` (anche SPORTELLO_CONFIG)")
	root.AddCommand(a.flowsCmd(), a.runCmd(), a.completionCmd(), a.configCmd())
	root.AddCommand(a.diagnoseCmd(), a.probeCmd())
	root.AddCommand(a.reportCmd())
	localize(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%s", italianCobraError(err))
	})
	return root
}

// localize gives cobra's built-in help an Italian face: usage template, the
// help command and the --help/--version flags.
func localize(root *cobra.Command) {
	cobra.AddTemplateFunc("opzioni", func(s string) string { return strings.Replace(s, "[flags]", "[opzioni]", 1) })
	// pflag writes "(default x)" after a flag's usage.
	cobra.AddTemplateFunc("predefiniti", func(s string) string { return strings.ReplaceAll(s, " (default ", " (predefinito: ") })
	root.SetUsageTemplate(usageTemplate)
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [comando]",
		Short: "Mostra l'aiuto di un comando",
		Run: func(c *cobra.Command, args []string) {
			target, _, err := c.Root().Find(args)
			if target == nil || err != nil {
				target = c.Root()
			}
			_ = target.Help()
		},
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().BoolP("help", "h", false, "mostra questo aiuto")
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	root.Flags().BoolP("version", "v", false, "mostra la versione")
}

const usageTemplate = `Uso:{{if .Runnable}}
  {{.UseLine | opzioni}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [comando]{{end}}{{if .HasExample}}

Esempi:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Comandi:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Opzioni:
{{.LocalFlags.FlagUsages | predefiniti | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Opzioni globali:
{{.InheritedFlags.FlagUsages | predefiniti | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Usa "{{.CommandPath}} [comando] --help" per l'aiuto su un comando.{{end}}
`

// italianCobraError translates the messages cobra and pflag produce for
// usage mistakes. Unknown shapes pass through unchanged.
func italianCobraError(err error) string {
	msg := err.Error()
	repl := []struct{ from, to string }{
		{"unknown command", "comando sconosciuto"},
		{"unknown shorthand flag", "opzione breve sconosciuta"},
		{"unknown flag", "opzione sconosciuta"},
		{"flag needs an argument", "l'opzione richiede un valore"},
		{"invalid argument", "valore non valido"},
		{"accepts at most", "accetta al massimo"},
		{"accepts between", "accetta tra"},
		{"accepts", "accetta"},
		{"requires at least", "richiede almeno"},
		{"arg(s), received", "argomenti, ricevuti"},
		{"for \"", "per \""},
		{" in ", " in "},
	}
	for _, r := range repl {
		msg = strings.ReplaceAll(msg, r.from, r.to)
	}
	return msg
}

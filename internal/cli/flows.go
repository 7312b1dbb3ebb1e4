package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/internal/check"
	"github.com/sportello/sportello/internal/flow"
	"github.com/sportello/sportello/internal/textsafe"
)

// readFlowFiles returns the active flow files: the --flows directory when
// given, otherwise the embedded set.
func (a *app) readFlowFiles() ([]flow.File, error) {
	if a.flowsDir != "" {
		return flow.ReadPaths([]string{a.flowsDir})
	}
	return flow.ReadFS(flows.FS, "flows")
}

// loadFlows loads and validates the active flows. A set with problems is
// refused: walking a broken tree would strand the user.
func (a *app) loadFlows() (*flow.Set, error) {
	files, err := a.readFlowFiles()
	if err != nil {
		return nil, &exitError{code: ExitProblem, msg: "impossibile leggere i percorsi: " + err.Error()}
	}
	var set *flow.Set
	var ps flow.Problems
	if a.flowsDir == "" {
		set, ps = flow.LoadSnapshot(files, check.Known, flows.Snapshot) // the YAML when it does not match
	} else {
		set, ps = flow.Load(files, check.Known)
	}
	if len(ps) > 0 {
		for _, p := range ps {
			fmt.Fprintln(a.stderr, p)
		}
		return nil, &exitError{code: ExitProblem, msg: fmt.Sprintf("i percorsi contengono %s: correggili (sportello flows lint)", check.Plural(len(ps), "errore", "errori"))}
	}
	return set, nil
}

func (a *app) flowsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "flows",
		Short: "Controlla, elenca e disegna i percorsi guidati",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(a.flowsLintCmd(), a.flowsListCmd(), a.flowsGraphCmd())
	return cmd
}

func (a *app) flowsLintCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "lint [PERCORSO...]",
		Short: "Controlla i file dei percorsi e segnala ogni errore come file:riga:colonna",
		Long: "Controlla i file YAML dei percorsi (file o cartelle; senza argomenti quelli in uso)\n" +
			"come un unico insieme e segnala ogni problema trovato. Esce con 1 se ce n'è almeno uno.",
		RunE: func(cmd *cobra.Command, args []string) error {
			var files []flow.File
			var err error
			if len(args) > 0 {
				files, err = flow.ReadPaths(args)
			} else {
				files, err = a.readFlowFiles()
			}
			if err != nil {
				return &exitError{code: ExitProblem, msg: err.Error()}
			}
			set, ps := flow.Load(files, check.Known)
			for _, p := range ps {
				fmt.Fprintln(a.stdout, p)
			}
			if len(ps) > 0 {
				fmt.Fprintf(a.stderr, "%s in %d file\n", check.Plural(len(ps), "problema", "problemi"), len(files))
				return problem()
			}
			fmt.Fprintf(a.stderr, "%d file, %s, %s: nessun problema\n", len(files), check.Plural(len(set.Flows), "percorso", "percorsi"), check.Plural(set.NodeCount(), "nodo", "nodi"))
			return nil
		},
	}
}

func (a *app) flowsListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Elenca i percorsi con id, titolo e numero di nodi",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, err := a.loadFlows()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITOLO\tNODI\tDESCRIZIONE")
			for _, f := range set.Flows {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", f.ID, textsafe.Line(f.Title), len(f.Nodes), textsafe.Line(f.Description))
			}
			return tw.Flush()
		},
	}
}

func (a *app) flowsGraphCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:               "graph PERCORSO",
		Short:             "Disegna un percorso come diagramma Mermaid o Graphviz (dot)",
		Args:              oneArg("indica un solo percorso da disegnare, ad esempio: sportello flows graph pec"),
		ValidArgsFunction: a.completeFlow,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "mermaid" && format != "dot" {
				return usageErrorf("formato «%s» sconosciuto: usa mermaid o dot", format)
			}
			set, err := a.loadFlows()
			if err != nil {
				return err
			}
			f := set.Flow(args[0])
			if f == nil {
				return usageErrorf("percorso «%s» inesistente: vedi sportello flows list", textsafe.Line(args[0]))
			}
			if format == "dot" {
				return f.Dot(a.stdout)
			}
			return f.Mermaid(a.stdout)
		},
	}
	cmd.Flags().StringVar(&format, "format", "mermaid", "formato del diagramma: mermaid o dot")
	return cmd
}

package cli

import (
	"github.com/spf13/cobra"
)

// completionCmd replaces cobra's English default with the same scripts and
// an Italian description.
func (a *app) completionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Genera lo script di completamento per la shell indicata",
		Long:  "Genera lo script di completamento automatico dei comandi per bash, zsh, fish o PowerShell.\nEsempio: source <(sportello completion bash)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 || (args[0] != "bash" && args[0] != "zsh" && args[0] != "fish" && args[0] != "powershell") {
				return usageErrorf("indica una shell: bash, zsh, fish o powershell")
			}
			return nil
		},
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(a.stdout, true)
			case "zsh":
				return root.GenZshCompletion(a.stdout)
			case "fish":
				return root.GenFishCompletion(a.stdout, true)
			default:
				return root.GenPowerShellCompletionWithDesc(a.stdout)
			}
		},
	}
}

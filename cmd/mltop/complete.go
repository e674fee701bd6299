package main

import (
	"flag"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/lastmodels"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/themes"
)

type completeFunc = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective)

// fileFlags are the flags whose value is a file: the shell completes
// paths for them. Every other flag's value is completed from what mltop
// knows, or not at all.
var fileFlags = map[string]bool{"config": true, "log-file": true, "out": true, "output": true}

// completeArgs completes a command's positional arguments.
func completeArgs(kind argKind) completeFunc {
	return func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch {
		case kind == argsShell && len(args) == 0:
			return []cobra.Completion{"bash", "zsh", "fish", "powershell"}, cobra.ShellCompDirectiveNoFileComp
		case (kind == argsModel || kind == argsModelVersion) && len(args) == 0:
			return modelNames(cmd), cobra.ShellCompDirectiveNoFileComp
		case kind == argsModelVersion && len(args) == 1:
			return versionsOf(cmd, args[0]), cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// flagCompletions completes the values of a command's flags: contexts
// from the config file, themes, models and versions from the last poll,
// and the choices its usage line shows (--format json|table).
func flagCompletions(fs *flag.FlagSet, forms []form) map[string]completeFunc {
	out := map[string]completeFunc{}
	choices := usageChoices(forms)
	fs.VisitAll(func(f *flag.Flag) {
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() || fileFlags[f.Name] {
			return
		}
		var list func(*cobra.Command, []string) []string
		switch f.Name {
		case "context":
			list = func(cmd *cobra.Command, _ []string) []string { return contextNames(cmd) }
		case "theme":
			list = func(*cobra.Command, []string) []string { return themes.Names() }
		case "model":
			list = func(cmd *cobra.Command, _ []string) []string { return modelNames(cmd) }
		case "version", "candidate", "to":
			list = func(cmd *cobra.Command, args []string) []string {
				if len(args) == 0 {
					return nil
				}
				return versionsOf(cmd, args[0])
			}
		default:
			if c := choices[f.Name]; c != nil {
				list = func(*cobra.Command, []string) []string { return c }
			}
		}
		out[f.Name] = func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if list == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return list(cmd, args), cobra.ShellCompDirectiveNoFileComp
		}
	})
	return out
}

// usageChoices reads "--flag a|b|c" out of usage lines.
func usageChoices(forms []form) map[string][]string {
	out := map[string][]string{}
	for _, f := range forms {
		words := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(f.use))
		for i := 0; i+1 < len(words); i++ {
			if name, ok := strings.CutPrefix(words[i], "--"); ok && strings.Contains(words[i+1], "|") {
				out[name] = strings.Split(words[i+1], "|")
			}
		}
	}
	return out
}

// savedModels are the models of the last polls that the command line
// asks about: the demo's with --demo, one context's with --context, else
// every context's.
func savedModels(cmd *cobra.Command) []lastmodels.Model {
	dir := lastmodels.Dir(wiring.StateDir())
	if demo, _ := cmd.Flags().GetBool("demo"); demo {
		return lastmodels.Load(dir, lastmodels.FileName("demo"))
	}
	if ctx, _ := cmd.Flags().GetString("context"); ctx != "" {
		return lastmodels.Load(dir, lastmodels.FileName(ctx))
	}
	return lastmodels.Load(dir)
}

func modelNames(cmd *cobra.Command) []string {
	var out []string
	for _, m := range savedModels(cmd) {
		out = append(out, m.Name)
	}
	return out
}

func versionsOf(cmd *cobra.Command, model string) []string {
	for _, m := range savedModels(cmd) {
		if m.Name == model {
			return m.Versions
		}
	}
	return nil
}

// contextNames are the contexts of the config file the command line
// names, or of the default one.
func contextNames(cmd *cobra.Command) []string {
	flagPath, _ := cmd.Flags().GetString("config")
	path, ok, err := config.Resolve(flagPath, os.Getenv)
	if err != nil || !ok {
		return nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil
	}
	return cfg.ContextNames()
}

// Command buildengines builds the servers the integration tests run that
// Debian does not package (Thanos, Mimir, kube-apiserver, the Argo Rollouts
// controller, Flagger's load tester) and the release tools (goreleaser,
// ko) into the user's cache directory, once per pinned version, and says
// how long each took.
//
// With -path NAME it builds only that one (if not built yet) and prints
// its binary's path, for scripts: goreleaser=$(go run ./internal/testenv/cmd/buildengines -path goreleaser).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"time"

	"github.com/mltop/mltop/internal/testenv"
)

func main() { os.Exit(run()) }

func run() int {
	only := flag.String("path", "", "build only the engine or tool `NAME` and print its path")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	all := slices.Concat(testenv.Engines, testenv.Tools)
	if *only != "" {
		return printPath(ctx, all, *only)
	}
	code := 0
	for _, e := range all {
		start := time.Now()
		path, built, err := e.Build(ctx, os.Stderr)
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "%s %s: %v\n", e.Name, e.Version, err)
			code = 1
		case built:
			fmt.Printf("%s %s: built in %s: %s\n", e.Name, e.Version, time.Since(start).Round(time.Second), path)
		default:
			fmt.Printf("%s %s: cached: %s\n", e.Name, e.Version, path)
		}
	}
	return code
}

// printPath builds the one named (its build's output to stderr, saying how
// long it took) and prints its path alone on stdout.
func printPath(ctx context.Context, all []testenv.Engine, name string) int {
	i := slices.IndexFunc(all, func(e testenv.Engine) bool { return e.Name == name })
	if i < 0 {
		names := make([]string, len(all))
		for j, e := range all {
			names[j] = e.Name
		}
		fmt.Fprintf(os.Stderr, "buildengines: no engine or tool %q (known: %v)\n", name, names)
		return 2
	}
	e, start := all[i], time.Now()
	path, built, err := e.Build(ctx, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s %s: %v\n", e.Name, e.Version, err)
		return 1
	}
	if built {
		fmt.Fprintf(os.Stderr, "%s %s: built in %s\n", e.Name, e.Version, time.Since(start).Round(time.Second))
	}
	fmt.Println(path)
	return 0
}

// Command buildengines builds the servers the integration tests run that
// Debian does not package (Thanos, Mimir, kube-apiserver, the Argo Rollouts controller, Flagger's load tester) into the user's cache directory,
// once per pinned version, and says how long each took.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/mltop/mltop/internal/testenv"
)

func main() { os.Exit(run()) }

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	code := 0
	for _, e := range testenv.Engines {
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

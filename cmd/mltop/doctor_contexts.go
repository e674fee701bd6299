package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/wiring"
)

// doctorSection is one context doctor checks and what it found; name ""
// for a config without contexts.
type doctorSection struct {
	name string
	cfg  *config.Config
	d    wiring.Diagnosis
}

// problems are the section's problem lines, each prefixed with the
// context's name when it has one.
func (s doctorSection) problems() []string {
	if s.name == "" {
		return s.d.Problems
	}
	out := make([]string, len(s.d.Problems))
	for i, p := range s.d.Problems {
		out[i] = s.name + ": " + p
	}
	return out
}

// doctorSections are the contexts to check: with --context, that one;
// with contexts and no --context, every context in file order, the flags
// laid over each as over the one the dashboard opens; else cfg alone.
func doctorSections(c *globalFlags, cfg *config.Config) ([]doctorSection, error) {
	if c.context != "" {
		return []doctorSection{{name: cfg.ContextName, cfg: cfg}}, nil
	}
	if len(cfg.Contexts) == 0 {
		return []doctorSection{{cfg: cfg}}, nil
	}
	out := make([]doctorSection, len(cfg.Contexts))
	for i, ctx := range cfg.Contexts {
		if err := c.apply(ctx.Config); err != nil {
			return nil, err
		}
		out[i] = doctorSection{name: ctx.Name, cfg: ctx.Config}
	}
	return out, nil
}

// diagnoseAll checks every section at once: each waits on its own
// servers' time limits, not on the others'.
func diagnoseAll(ctx context.Context, sections []doctorSection, log *slog.Logger) {
	var wg sync.WaitGroup
	for i := range sections {
		s := &sections[i]
		l := log
		if s.name != "" {
			l = log.With("context", s.name)
		}
		wg.Go(func() { s.d = wiring.Diagnose(ctx, s.cfg, l) })
	}
	wg.Wait()
}

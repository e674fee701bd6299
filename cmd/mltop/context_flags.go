package main

import (
	"time"

	"github.com/mltop/mltop/internal/config"
)

// everyContext are the command line's flags that hold in every context
// of a config, not only the one mltop starts on: --read-only turns
// actions off wherever the user switches, --refresh and --theme are how
// this dashboard runs. --prometheus and --mlflow are not among them: they
// name one context's server, so they stay with the starting context.
// (--no-color is the dashboard's, given to every context's root.)
type everyContext struct {
	readOnly bool
	refresh  time.Duration
	theme    string
}

// everyContext picks the flags that hold in every context; loadConfig
// has checked their values already.
func (c *globalFlags) everyContext() everyContext {
	return everyContext{readOnly: c.readOnly, refresh: c.refresh, theme: c.theme}
}

// over is a copy of a context's config with the flags laid over it; the
// config itself, shared with the rest of the file, is left as written.
func (e everyContext) over(cfg *config.Config) *config.Config {
	if e == (everyContext{}) {
		return cfg
	}
	c := *cfg
	if e.readOnly {
		c.ReadOnly = true
	}
	if e.refresh != 0 {
		c.Refresh = e.refresh
	}
	if e.theme != "" {
		c.Theme = e.theme
	}
	return &c
}

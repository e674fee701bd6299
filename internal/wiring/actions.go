package wiring

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/servinghistory"
	"github.com/mltop/mltop/sources/mlflow"
)

// newActions builds the executor the config describes. It does no I/O: the
// audit log is created by the first action.
func newActions(cfg *config.Config, registry *mlflow.Client, log *slog.Logger, served *servinghistory.Provider,
	baselines func(model, version string) map[string]float64) (*actions.Executor, error) {
	opts := actions.Options{
		Actions: cfg.Actions, ServingAlias: cfg.MLflow.ServingAlias, CandidateAlias: cfg.MLflow.CandidateAlias,
		ReadOnly: cfg.ReadOnly, Audit: audit.New(expandHome(cfg.Audit.Path)),
		Logger: log.With("component", "actions"), Alertmanager: cfg.Alertmanager,
		Thresholds: judge.FromConfig(cfg).Thresholds, Baselines: baselines,
		Context: cfg.ContextName,
	}
	if registry != nil { // a nil *Client must stay a nil interface
		opts.Registry = registry
	}
	if served != nil { // likewise
		opts.Served = served
	}
	return actions.New(opts)
}

// expandHome expands a leading "~/" left in a path (configs built in code
// rather than loaded, such as the demo's).
func expandHome(p string) string {
	if !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, p[2:])
}

// StateDir is where mltop keeps its state: $XDG_STATE_HOME/mltop, else
// ~/.local/state/mltop.
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "mltop")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "state", "mltop")
	}
	return ""
}

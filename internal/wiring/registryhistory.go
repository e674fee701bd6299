package wiring

import (
	"log/slog"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/registryhistory"
)

// RegistryHistoryPath is where the config keeps the registry history:
// audit.registry_history, else beside the audit log, named after the
// context in a context (the loader names a written path after it); ""
// when neither is set.
func RegistryHistoryPath(cfg *config.Config) string {
	if cfg.Audit.RegistryHistory != "" {
		return expandHome(cfg.Audit.RegistryHistory)
	}
	if cfg.Audit.Path == "" {
		return ""
	}
	return config.ContextFile(registryhistory.PathFor(expandHome(cfg.Audit.Path)), cfg.ContextName)
}

// openRegistryHistory opens the history the poller records into. A history
// that cannot be read is logged and left out: the dashboard runs without it.
func openRegistryHistory(cfg *config.Config, log *slog.Logger) *registryhistory.Log {
	path := RegistryHistoryPath(cfg)
	if path == "" {
		return nil
	}
	h, err := registryhistory.Open(path)
	if err != nil {
		log.Warn("registry history not kept", "err", err)
		return nil
	}
	if n := h.Torn(); n > 0 {
		log.Warn("registry history has unreadable lines", "path", path, "torn", n)
	}
	return h
}

// recordRegistry is the poller's OnRegistry: each successful read is
// compared with the history's last known state.
func recordRegistry(h *registryhistory.Log, log *slog.Logger) func(fleet.Registry, time.Time) {
	return func(reg fleet.Registry, at time.Time) {
		if err := h.Observe(reg, at); err != nil {
			log.Warn("registry history not recorded", "err", err)
		}
	}
}

package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/mltop/mltop/internal/termsafe"
)

// openLog sends logs to a file, never to the terminal the dashboard draws
// on. An unwritable log path is not fatal: logs are then discarded.
func openLog(path string, stderr io.Writer) (*slog.Logger, func()) {
	if path == "" {
		path = defaultLogPath()
	}
	if path == "-" || path == "" {
		return slog.New(slog.DiscardHandler), func() {}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		termsafe.Fprintf(stderr, "mltop: logs discarded: %v\n", err)
		return slog.New(slog.DiscardHandler), func() {}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		termsafe.Fprintf(stderr, "mltop: logs discarded: %v\n", err)
		return slog.New(slog.DiscardHandler), func() {}
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})), func() { _ = f.Close() }
}

func defaultLogPath() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "mltop", "mltop.log")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "state", "mltop", "mltop.log")
	}
	return ""
}

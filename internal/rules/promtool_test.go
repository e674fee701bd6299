package rules

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mltop/mltop/internal/actions" // the config names action kinds
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
)

// promtool runs promtool with args in dir and fails the test, with its
// output, when it does not succeed.
func promtool(t *testing.T, dir string, args ...string) {
	t.Helper()
	bin := testenv.LookBinary(t, "promtool")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %v: %v\n%s", args, err, out)
	}
}

// writeRules generates the rules for cfg into dir/rules.yaml.
func writeRules(t *testing.T, cfg *config.Config, dir string) string {
	t.Helper()
	f, err := Generate(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRulesUnit runs testdata/unit/tests.yaml (promtool's rule unit tests)
// against the rules generated from testdata/unit/config.yaml: every alert
// firing, pending during its for:, and not firing just under its threshold.
func TestRulesUnit(t *testing.T) {
	cfg, err := config.Load(filepath.Join("testdata", "unit", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeRules(t, cfg, dir)
	tests, err := os.ReadFile(filepath.Join("testdata", "unit", "tests.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tests.yaml"), tests, 0o644); err != nil {
		t.Fatal(err)
	}
	promtool(t, dir, "test", "rules", "tests.yaml")
}

package recording_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/recording"
	"github.com/mltop/mltop/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenConfigs are the configs whose rule files are kept as goldens: the
// default, and Triton's profile (ratios of several counters, a unit change)
// with a five-minute window.
func goldenConfigs() map[string]*config.Config {
	def := config.DefaultEnv(nil)
	triton := config.DefaultEnv(nil)
	triton.Prometheus.Profile = []string{"triton"}
	triton.Window = 5 * time.Minute
	return map[string]*config.Config{"default": def, "triton-5m": triton}
}

func TestRuleFileGolden(t *testing.T) {
	for name, cfg := range goldenConfigs() {
		t.Run(name, func(t *testing.T) {
			got, err := recording.RuleFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".rules.yml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("rule file differs from %s (go test -update to rewrite):\n%s", path, got)
			}
		})
	}
}

// Every profile's rule file, and the goldens' configs, pass promtool.
func TestRuleFilesPassPromtool(t *testing.T) {
	promtool := testenv.LookBinary(t, "promtool")
	dir := t.TempDir()
	cfgs := goldenConfigs()
	for _, p := range config.KnownProfiles() {
		cfg := config.DefaultEnv(nil)
		cfg.Prometheus.Profile = []string{p}
		cfgs["profile-"+p] = cfg
	}
	for name, cfg := range cfgs {
		b, err := recording.RuleFile(cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join(dir, name+".yml")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(promtool, "check", "rules", path).CombinedOutput(); err != nil {
			t.Errorf("%s: promtool check rules: %v\n%s\n%s", name, err, out, b)
		}
	}
}

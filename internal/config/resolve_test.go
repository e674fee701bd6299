package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

func writeFile(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("refresh: 5s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	flagFile := writeFile(t, filepath.Join(dir, "flag.yaml"))
	envFile := writeFile(t, filepath.Join(dir, "env.yaml"))
	xdg := filepath.Join(dir, "xdg")
	xdgFile := writeFile(t, filepath.Join(xdg, "mltop", "config.yaml"))
	home := filepath.Join(dir, "home")
	homeFile := writeFile(t, filepath.Join(home, ".config", "mltop", "config.yaml"))
	emptyHome := filepath.Join(dir, "empty-home")
	missing := filepath.Join(dir, "missing.yaml")

	tests := []struct {
		name   string
		flag   string
		env    map[string]string
		want   string
		found  bool
		errHas []string
	}{
		{name: "flag wins", flag: flagFile, env: map[string]string{"MLTOP_CONFIG": envFile, "XDG_CONFIG_HOME": xdg}, want: flagFile, found: true},
		{name: "MLTOP_CONFIG next", env: map[string]string{"MLTOP_CONFIG": envFile, "XDG_CONFIG_HOME": xdg}, want: envFile, found: true},
		{name: "XDG_CONFIG_HOME next", env: map[string]string{"XDG_CONFIG_HOME": xdg, "HOME": home}, want: xdgFile, found: true},
		{name: "HOME/.config last", env: map[string]string{"HOME": home}, want: homeFile, found: true},
		{name: "relative XDG_CONFIG_HOME is ignored", env: map[string]string{"XDG_CONFIG_HOME": "rel", "HOME": home}, want: homeFile, found: true},
		{name: "nothing anywhere", env: map[string]string{"HOME": emptyHome}, want: filepath.Join(emptyHome, ".config", "mltop", "config.yaml")},
		{name: "XDG dir without a file", env: map[string]string{"XDG_CONFIG_HOME": emptyHome, "HOME": home}, want: filepath.Join(emptyHome, "mltop", "config.yaml")},
		{name: "no home at all"},
		{name: "missing flag file", flag: missing, env: map[string]string{"HOME": home}, want: missing, errHas: []string{missing, "--config", "does not exist"}},
		{name: "missing MLTOP_CONFIG file", env: map[string]string{"MLTOP_CONFIG": missing, "HOME": home}, want: missing, errHas: []string{missing, "$MLTOP_CONFIG", "does not exist"}},
		{name: "flag naming a directory", flag: dir, want: dir, errHas: []string{dir, "is a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, found, err := config.Resolve(tt.flag, env(tt.env))
			if path != tt.want || found != tt.found {
				t.Errorf("got (%q, %v), want (%q, %v)", path, found, tt.want, tt.found)
			}
			if len(tt.errHas) == 0 {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.errHas)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

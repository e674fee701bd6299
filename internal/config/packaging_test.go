package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The .deb and .rpm install packaging/config.yaml as /etc/mltop/config.yaml
// for packaging/mltop.service, whose sandbox lets it write only its state
// and log directories: everything the config makes mltop serve write must
// lie in them, or the service fails on its first start or first action.

// unitKeys reads the values of a systemd unit's keys, each key's values in
// the order written.
func unitKeys(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the unit: %v", err)
	}
	keys := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		keys[k] = append(keys[k], v)
	}
	return keys
}

func TestPackagedConfigFitsTheService(t *testing.T) {
	dir := filepath.Join("..", "..", "packaging")
	unit := unitKeys(t, filepath.Join(dir, "mltop.service"))
	exec := strings.Fields(strings.Join(unit["ExecStart"], " "))
	if len(exec) < 2 || exec[0] != "/usr/bin/mltop" || exec[1] != "serve" {
		t.Fatalf("ExecStart = %q, want /usr/bin/mltop serve ...", exec)
	}
	flag := func(name string) string {
		for i, a := range exec {
			if a == name && i+1 < len(exec) {
				return exec[i+1]
			}
		}
		t.Fatalf("ExecStart %q has no %s", exec, name)
		return ""
	}
	if got := flag("--config"); got != "/etc/mltop/config.yaml" {
		t.Errorf("the service reads %s; the packages install the config as /etc/mltop/config.yaml", got)
	}

	var writable []string
	writable = append(writable, strings.Fields(strings.Join(unit["ReadWritePaths"], " "))...)
	for _, d := range strings.Fields(strings.Join(unit["StateDirectory"], " ")) {
		writable = append(writable, "/var/lib/"+d)
	}
	for _, d := range strings.Fields(strings.Join(unit["LogsDirectory"], " ")) {
		writable = append(writable, "/var/log/"+d)
	}
	within := func(p string) bool {
		for _, w := range writable {
			if strings.HasPrefix(filepath.Clean(p), filepath.Clean(w)+"/") {
				return true
			}
		}
		return false
	}

	// No environment: the paths must not rest on the installing user's $HOME.
	c, err := LoadEnv(filepath.Join(dir, "config.yaml"), func(string) string { return "" })
	if err != nil {
		t.Fatalf("the packaged config does not load: %v", err)
	}
	if w := c.Warnings(); len(w) > 0 {
		t.Errorf("the packaged config loads with warnings: %q", w)
	}
	for what, p := range map[string]string{
		"serve.host_key": c.Serve.HostKey,
		"audit.path":     c.Audit.Path,
		"--log-file":     flag("--log-file"),
	} {
		if !filepath.IsAbs(p) || !within(p) {
			t.Errorf("%s is %q, outside the directories the service may write (%q)", what, p, writable)
		}
	}
	if c.Prometheus.URL == "" && len(c.Scrape.Targets) == 0 {
		t.Error("the packaged config names no metrics source")
	}
}

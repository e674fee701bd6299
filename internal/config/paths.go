package config

import (
	"path/filepath"
	"strings"
)

// expandPaths replaces a leading "~/" in every path-valued key with home.
func expandPaths(c *Config, home string) {
	if home == "" {
		return
	}
	paths := []*string{
		&c.Prometheus.BearerTokenFile,
		&c.Prometheus.BasicAuth.PasswordFile,
		&c.Prometheus.TLS.CAFile,
		&c.Prometheus.TLS.CertFile,
		&c.Prometheus.TLS.KeyFile,
		&c.Actions.Rollback.TokenFile,
		&c.Actions.Retrain.TokenFile,
		&c.Audit.Path,
		&c.Audit.RegistryHistory,
		&c.Serve.HostKey,
	}
	for i := range c.Actions.Custom {
		paths = append(paths, &c.Actions.Custom[i].TokenFile)
		paths = append(paths, paramPaths(c.Actions.Custom[i].Params)...)
	}
	paths = append(paths, paramPaths(c.Actions.Rollback.Params)...)
	paths = append(paths, paramPaths(c.Actions.Retrain.Params)...)
	paths = append(paths, paramPaths(c.Actions.Rollout.Params)...)
	for i := range c.Serve.Users {
		paths = append(paths, &c.Serve.Users[i].AuthorizedKeys)
	}
	for _, p := range paths {
		*p = expandHome(*p, home)
	}
}

func expandHome(p, home string) string {
	switch {
	case p == "~":
		return home
	case strings.HasPrefix(p, "~/"):
		return filepath.Join(home, p[2:])
	}
	return p
}

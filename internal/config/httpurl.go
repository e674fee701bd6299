package config

import (
	"fmt"
	"net/url"
	"strings"
)

// CheckHTTPURL says what is wrong with s as the http(s) URL of a server, in
// the words the config file's errors use, so that a flag (--prometheus) and
// the file give the same message; nil when s is fine.
func CheckHTTPURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil && !strings.Contains(s, "://"):
		return fmt.Errorf("not an http or https URL: %q%s", s, schemeHint(s))
	case err != nil:
		return fmt.Errorf("not a URL: %q", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("not an http or https URL: %q%s", s, schemeHint(s))
	case u.Host == "":
		return fmt.Errorf("URL has no host: %q", s)
	}
	return nil
}

// schemeHint suggests the URL a HOST:PORT without a scheme was meant to be.
func schemeHint(s string) string {
	if strings.Contains(s, "://") {
		return ""
	}
	u, err := url.Parse("http://" + s)
	if err != nil || u.Host == "" || u.Port() == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean \"http://%s\"?)", s)
}

// trackingURIFromEnv is $MLFLOW_TRACKING_URI when it names a tracking
// server mltop can read. The MLflow client also takes "databricks",
// "file:" and "sqlite:" URIs, which mltop cannot: those leave the registry
// off with a warning, rather than stopping mltop when it was asked only
// for Prometheus.
func (c *Config) trackingURIFromEnv(getenv func(string) string) {
	env := strings.TrimSpace(getenv("MLFLOW_TRACKING_URI"))
	if env == "" {
		return
	}
	if err := CheckHTTPURL(env); err != nil {
		c.warnings = append(c.warnings, fmt.Sprintf(
			"$MLFLOW_TRACKING_URI=%q is not the http(s) URL of an MLflow tracking server, so the registry is off (set mlflow.tracking_uri or --mlflow to read one)", env))
		return
	}
	c.MLflow.TrackingURI = env
}

// Warnings are problems that did not stop the config from loading, such
// as an environment variable that was ignored; one line each.
func (c *Config) Warnings() []string { return c.warnings }

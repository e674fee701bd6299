package mlflow

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mltop/mltop/internal/secretfile"
)

// Environment variables read the way MLflow's Python client reads them
// (mlflow/environment_variables.py, mlflow/utils/rest_utils.py).
const (
	EnvTrackingURI    = "MLFLOW_TRACKING_URI"
	EnvToken          = "MLFLOW_TRACKING_TOKEN"
	EnvUsername       = "MLFLOW_TRACKING_USERNAME"
	EnvPassword       = "MLFLOW_TRACKING_PASSWORD"
	EnvInsecureTLS    = "MLFLOW_TRACKING_INSECURE_TLS"
	EnvServerCertPath = "MLFLOW_TRACKING_SERVER_CERT_PATH"
	EnvClientCertPath = "MLFLOW_TRACKING_CLIENT_CERT_PATH"
)

// parseTrackingURI accepts http(s) URLs only; a path prefix is kept and a
// trailing slash dropped, as rest_utils strips it before adding the endpoint.
func parseTrackingURI(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("mlflow: no tracking URI: set mlflow.tracking_uri, --mlflow or " + EnvTrackingURI)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("mlflow: tracking URI is not a URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("mlflow: tracking URI %q is not an http(s) URL of a tracking server", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.RawQuery = ""
	u.Fragment = ""
	return u, nil
}

// authHeader picks the Authorization header as rest_utils.http_request does:
// basic auth when both username and password are set, else a bearer token.
// It returns "" when neither is configured.
func authHeader(getenv func(string) string) string {
	user, pass := getenv(EnvUsername), getenv(EnvPassword)
	if user != "" && pass != "" {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	if tok := getenv(EnvToken); tok != "" {
		return "Bearer " + tok
	}
	return ""
}

// parseBool reads a boolean variable as MLflow's _BooleanEnvironmentVariable:
// true/false/1/0, any case; anything else is an error rather than a guess.
func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return false, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("mlflow: %s must be one of true, false, 1, 0 (got %q)", name, v)
}

// tlsConfig builds the client TLS settings from the environment. It returns
// nil when nothing is configured, leaving Go's defaults (system roots).
func tlsConfig(getenv func(string) string) (*tls.Config, error) {
	insecure, err := parseBool(EnvInsecureTLS, getenv(EnvInsecureTLS))
	if err != nil {
		return nil, err
	}
	caPath := getenv(EnvServerCertPath)
	certPath := getenv(EnvClientCertPath)
	if insecure && caPath != "" {
		// MLflow refuses this combination too: one of them is a mistake.
		return nil, fmt.Errorf("mlflow: %s and %s are both set; set only one", EnvInsecureTLS, EnvServerCertPath)
	}
	if !insecure && caPath == "" && certPath == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if insecure {
		cfg.InsecureSkipVerify = true //nolint:gosec // asked for explicitly by MLFLOW_TRACKING_INSECURE_TLS
	}
	if caPath != "" {
		pem, err := secretfile.ReadPEM(caPath)
		if err != nil {
			return nil, fmt.Errorf("mlflow: %s: %w", EnvServerCertPath, err)
		}
		// requests' verify=<path> trusts only that bundle; so do we.
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("mlflow: %s (%s) holds no PEM certificate", EnvServerCertPath, caPath)
		}
		cfg.RootCAs = pool
	}
	if certPath != "" {
		// MLflow hands this single path to requests' cert=, which expects the
		// certificate and its private key in the same PEM file.
		pem, err := secretfile.ReadPEM(certPath)
		if err != nil {
			return nil, fmt.Errorf("mlflow: %s: %w", EnvClientCertPath, err)
		}
		cert, err := tls.X509KeyPair(pem, pem)
		if err != nil {
			return nil, fmt.Errorf("mlflow: %s (%s) must hold the client certificate and its key: %w", EnvClientCertPath, certPath, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

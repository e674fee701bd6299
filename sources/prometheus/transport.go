package prometheus

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/mltop/mltop/internal/secretfile"
)

// Auth is how requests authenticate. Secrets come from files, re-read on
// every request so a rotated token is picked up without a restart.
type Auth struct {
	Headers         map[string]string
	BearerTokenFile string
	Username        string
	PasswordFile    string
	CAFile          string
	CertFile        string
	KeyFile         string
	InsecureSkipTLS bool
}

// Transport builds an HTTP transport that applies auth to every request.
func Transport(a Auth) (http.RoundTripper, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: a.InsecureSkipTLS} //nolint:gosec // opt-in by config
	if a.CAFile != "" {
		pem, err := secretfile.ReadPEM(a.CAFile)
		if err != nil {
			return nil, fmt.Errorf("CA file (prometheus.tls.ca_file): %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", a.CAFile)
		}
		tlsConf.RootCAs = pool
	}
	if a.CertFile != "" || a.KeyFile != "" {
		cert, err := loadKeyPair(a.CertFile, a.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load client certificate: %w", err)
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	}
	base := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   5 * time.Second,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
	}
	return &authTransport{next: base, auth: a}, nil
}

type authTransport struct {
	next http.RoundTripper
	auth Auth
}

// CloseIdleConnections closes kept-alive connections (on shutdown).
func (t *authTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	for k, v := range t.auth.Headers {
		req.Header.Set(k, v)
	}
	switch {
	case t.auth.BearerTokenFile != "":
		tok, err := secretfile.Read(t.auth.BearerTokenFile)
		if err != nil {
			return nil, fmt.Errorf("bearer token (prometheus.bearer_token_file): %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	case t.auth.Username != "":
		pass := ""
		if t.auth.PasswordFile != "" {
			p, err := secretfile.Read(t.auth.PasswordFile)
			if err != nil {
				return nil, fmt.Errorf("basic auth password (prometheus.basic_auth.password_file): %w", err)
			}
			pass = p
		}
		req.SetBasicAuth(t.auth.Username, pass)
	}
	return t.next.RoundTrip(req)
}

// loadKeyPair is tls.LoadX509KeyPair with the files' size bounded.
func loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := secretfile.ReadPEM(certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := secretfile.ReadPEM(keyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

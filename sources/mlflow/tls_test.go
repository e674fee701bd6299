package mlflow

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writePEM(t *testing.T, name string, blocks ...*pem.Block) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	var b []byte
	for _, blk := range blocks {
		b = append(b, pem.EncodeToMemory(blk)...)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// serverCAFile writes the test server's certificate as a CA bundle.
func serverCAFile(t *testing.T, srv *httptest.Server) string {
	return writePEM(t, "ca.pem", &pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

// clientCert makes a self-signed client certificate and returns its pool and
// the combined cert+key PEM path MLflow's client cert variable expects.
func clientCert(t *testing.T) (*x509.CertPool, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(7),
		Subject:               pkix.Name{CommonName: "mltop-test-client"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	path := writePEM(t, "client.pem",
		&pem.Block{Type: "CERTIFICATE", Bytes: der},
		&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return pool, path
}

func tlsServer(t *testing.T, clientCAs *x509.CertPool) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, runJSON)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are the point of some tests
	if clientCAs != nil {
		srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientCAs}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func getRunWith(t *testing.T, srv *httptest.Server, env map[string]string) error {
	t.Helper()
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: mapEnv(env)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetRun(context.Background(), "r")
	return err
}

func TestTLSServerCertPath(t *testing.T) {
	srv := tlsServer(t, nil)
	if err := getRunWith(t, srv, nil); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted server: err = %v", err)
	}
	if err := getRunWith(t, srv, map[string]string{EnvServerCertPath: serverCAFile(t, srv)}); err != nil {
		t.Errorf("with CA bundle: %v", err)
	}
}

func TestTLSInsecure(t *testing.T) {
	srv := tlsServer(t, nil)
	for _, v := range []string{"true", "TRUE", "1"} {
		if err := getRunWith(t, srv, map[string]string{EnvInsecureTLS: v}); err != nil {
			t.Errorf("%s=%s: %v", EnvInsecureTLS, v, err)
		}
	}
	if err := getRunWith(t, srv, map[string]string{EnvInsecureTLS: "false"}); err == nil {
		t.Errorf("%s=false still skipped verification", EnvInsecureTLS)
	}
}

func TestTLSConfigErrors(t *testing.T) {
	srv := tlsServer(t, nil)
	ca := serverCAFile(t, srv)
	notPEM := writePEM(t, "empty.pem")
	cases := map[string]map[string]string{
		"insecure and CA both set": {EnvInsecureTLS: "true", EnvServerCertPath: ca},
		"insecure not a boolean":   {EnvInsecureTLS: "yes"},
		"CA file missing":          {EnvServerCertPath: filepath.Join(t.TempDir(), "nope.pem")},
		"CA file holds no PEM":     {EnvServerCertPath: notPEM},
		"client cert without key":  {EnvClientCertPath: ca},
	}
	for name, env := range cases {
		if _, err := NewClient(Options{TrackingURI: srv.URL, Getenv: mapEnv(env)}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMutualTLS(t *testing.T) {
	pool, combined := clientCert(t)
	srv := tlsServer(t, pool)
	ca := serverCAFile(t, srv)
	if err := getRunWith(t, srv, map[string]string{EnvServerCertPath: ca}); err == nil {
		t.Error("server requiring a client certificate accepted none")
	}
	if err := getRunWith(t, srv, map[string]string{EnvServerCertPath: ca, EnvClientCertPath: combined}); err != nil {
		t.Errorf("with client certificate: %v", err)
	}
}

// A certificate path naming an endless file (/dev/zero by mistake) is
// refused after a bounded read, for both variables.
func TestTLSCertReadIsBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	for _, env := range []string{EnvServerCertPath, EnvClientCertPath} {
		_, err := NewClient(Options{TrackingURI: "https://127.0.0.1:1", Getenv: mapEnv(map[string]string{env: "/dev/zero"})})
		if err == nil || !strings.Contains(err.Error(), "larger than") || !strings.Contains(err.Error(), env) {
			t.Errorf("%s=/dev/zero: err %v, want a refusal naming %s and the size", env, err, env)
		}
	}
}

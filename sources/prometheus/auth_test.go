package prometheus

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
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const okBody = `{"status":"success","data":{"resultType":"vector","result":[]}}`

// recorder is a Prometheus API stub that remembers the last request's headers.
func recorder(t *testing.T, check func(r *http.Request) bool) *httptest.Server {
	t.Helper()
	return httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !check(r) {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(okBody))
	}))
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func query(t *testing.T, url string, a Auth) error {
	t.Helper()
	rt, err := Transport(a)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{URL: url, Transport: rt, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Query(context.Background(), "up", time.Now())
	return err
}

func TestBearerTokenFromFileIsReReadEachRequest(t *testing.T) {
	want := "Bearer s3cret"
	srv := recorder(t, func(r *http.Request) bool { return r.Header.Get("Authorization") == want })
	srv.Start()
	defer srv.Close()
	tok := writeFile(t, "token", "s3cret\n")
	if err := query(t, srv.URL, Auth{BearerTokenFile: tok}); err != nil {
		t.Fatal(err)
	}
	// A rotated token is used without a restart.
	if err := os.WriteFile(tok, []byte("rotated"), 0o600); err != nil {
		t.Fatal(err)
	}
	want = "Bearer rotated"
	if err := query(t, srv.URL, Auth{BearerTokenFile: tok}); err != nil {
		t.Fatal(err)
	}
	if err := query(t, srv.URL, Auth{BearerTokenFile: filepath.Join(t.TempDir(), "missing")}); err == nil || !strings.Contains(err.Error(), "bearer token") {
		t.Fatalf("missing token file: %v", err)
	}
}

func TestBasicAuthAndHeaders(t *testing.T) {
	srv := recorder(t, func(r *http.Request) bool {
		u, p, ok := r.BasicAuth()
		return ok && u == "mltop" && p == "pa55" && r.Header.Get("X-Scope-OrgID") == "ml"
	})
	srv.Start()
	defer srv.Close()
	pass := writeFile(t, "pass", "pa55\n")
	if err := query(t, srv.URL, Auth{Username: "mltop", PasswordFile: pass, Headers: map[string]string{"X-Scope-OrgID": "ml"}}); err != nil {
		t.Fatal(err)
	}
	err := query(t, srv.URL, Auth{Username: "mltop", PasswordFile: pass})
	if err == nil || !strings.Contains(err.Error(), "authentication failed (401)") {
		t.Fatalf("without the tenant header: %v", err)
	}
}

// TestMutualTLS: a server that requires a client certificate signed by its
// CA accepts mltop with ca_file + cert_file + key_file, and refuses it without.
func TestMutualTLS(t *testing.T) {
	caKey, caCert, caPEM := newCA(t)
	srvCertPEM, srvKeyPEM := issue(t, caKey, caCert, "server", true)
	cliCertPEM, cliKeyPEM := issue(t, caKey, caCert, "mltop", false)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	srvPair, err := tls.X509KeyPair(srvCertPEM, srvKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv := recorder(t, func(r *http.Request) bool { return len(r.TLS.PeerCertificates) > 0 })
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes below are expected
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{srvPair}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert}
	srv.StartTLS()
	defer srv.Close()

	ca := writeFile(t, "ca.pem", string(caPEM))
	cert := writeFile(t, "client.pem", string(cliCertPEM))
	key := writeFile(t, "client.key", string(cliKeyPEM))
	if err := query(t, srv.URL, Auth{CAFile: ca, CertFile: cert, KeyFile: key}); err != nil {
		t.Fatalf("mTLS: %v", err)
	}
	if err := query(t, srv.URL, Auth{CAFile: ca}); err == nil || !strings.Contains(err.Error(), "client certificate") {
		t.Fatalf("without a client certificate: %v", err)
	}
	if err := query(t, srv.URL, Auth{CertFile: cert, KeyFile: key}); err == nil || !strings.Contains(err.Error(), "unknown authority: set prometheus.tls.ca_file") {
		t.Fatalf("without the CA: %v", err)
	}
	if err := query(t, srv.URL, Auth{CertFile: cert, KeyFile: key, InsecureSkipTLS: true}); err != nil {
		t.Fatalf("insecure_skip_verify with a client certificate: %v", err)
	}
}

func newCA(t *testing.T) (*ecdsa.PrivateKey, *x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return key, cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func issue(t *testing.T, caKey *ecdsa.PrivateKey, ca *x509.Certificate, name string, server bool) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// A secret file that is not one line is refused before anything is sent,
// in words that name the key and the file: a token with a line break
// inside, and a path to an endless file, which is not read further than
// the secret size limit.
func TestSecretFilesRefusedPlainly(t *testing.T) {
	srv := recorder(t, func(*http.Request) bool { return true })
	srv.Start()
	defer srv.Close()
	twoLines := writeFile(t, "token", "s3cret\nsecond\n")
	err := query(t, srv.URL, Auth{BearerTokenFile: twoLines})
	if err == nil || !strings.Contains(err.Error(), "prometheus.bearer_token_file") || !strings.Contains(err.Error(), "more than one line") {
		t.Errorf("token with a line break: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "invalid header") {
		t.Errorf("token with a line break reaches the HTTP client: %v", err)
	}
	err = query(t, srv.URL, Auth{Username: "mltop", PasswordFile: "/dev/zero"})
	if err == nil || !strings.Contains(err.Error(), "prometheus.basic_auth.password_file") || !strings.Contains(err.Error(), "/dev/zero is larger than 64 KiB") {
		t.Errorf("password file /dev/zero: %v", err)
	}
}

// A CA or key file path that leads to an endless file is refused at the
// PEM size limit rather than read until memory runs out.
func TestTLSFilesBounded(t *testing.T) {
	if _, err := Transport(Auth{CAFile: "/dev/zero"}); err == nil || !strings.Contains(err.Error(), "prometheus.tls.ca_file") || !strings.Contains(err.Error(), "/dev/zero is larger than 4 MiB") {
		t.Errorf("ca_file /dev/zero: %v", err)
	}
	cert := writeFile(t, "cert.pem", "not a certificate\n")
	if _, err := Transport(Auth{CertFile: cert, KeyFile: "/dev/zero"}); err == nil || !strings.Contains(err.Error(), "/dev/zero is larger than 4 MiB") {
		t.Errorf("key_file /dev/zero: %v", err)
	}
}

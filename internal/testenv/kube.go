package testenv

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// Kube is a real Kubernetes API server (kube-apiserver on etcd, on free
// loopback ports) with RBAC and the Argo Rollouts CRDs installed. No
// controller runs: objects change only when a test or mltop changes them.
type Kube struct {
	URL    string // https://127.0.0.1:PORT
	CAFile string // the server's self-signed certificate
	// Tokens are the static users' bearer tokens by name: "admin"
	// (system:masters) and the users without any right until a test binds
	// a role to them: "mltop", "reader".
	Tokens map[string]string
	dir    string
	client *http.Client
	api    *process
	etcd   *process
}

// KubeUsers are the users the server knows besides admin.
var KubeUsers = []string{"mltop", "reader"}

// StartKube starts etcd and kube-apiserver and installs the Argo Rollouts
// CRDs; about 6 s. Both stop when the test ends.
func StartKube(t testing.TB) *Kube {
	t.Helper()
	etcdBin := LookBinary(t, "etcd")
	kas := EngineBinary(t, KubeAPIServerEngine)
	crds := ArgoRolloutsCRDs(t)
	dir := t.TempDir()
	k := &Kube{dir: dir, Tokens: map[string]string{}}

	ep, pp := FreePort(t), FreePort(t)
	k.etcd = newProcess(t, "etcd", etcdBin, dir, fmt.Sprintf("http://127.0.0.1:%d/health", ep),
		"--name=t", "--data-dir="+filepath.Join(dir, "etcd"),
		fmt.Sprintf("--listen-client-urls=http://127.0.0.1:%d", ep), fmt.Sprintf("--advertise-client-urls=http://127.0.0.1:%d", ep),
		fmt.Sprintf("--listen-peer-urls=http://127.0.0.1:%d", pp), fmt.Sprintf("--initial-advertise-peer-urls=http://127.0.0.1:%d", pp),
		fmt.Sprintf("--initial-cluster=t=http://127.0.0.1:%d", pp))
	k.etcd.start(30 * time.Second)

	pki := filepath.Join(dir, "pki")
	if err := os.MkdirAll(pki, 0o700); err != nil {
		t.Fatal(err)
	}
	saKey, saPub := writeServiceAccountKey(t, pki)
	var csv strings.Builder
	for i, user := range append([]string{"admin"}, KubeUsers...) {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		k.Tokens[user] = hex.EncodeToString(b)
		group := ""
		if user == "admin" {
			group = ",system:masters"
		}
		fmt.Fprintf(&csv, "%s,%s,%d%s\n", k.Tokens[user], user, 1000+i, group)
	}
	tokens := filepath.Join(pki, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ap := FreePort(t)
	k.URL = fmt.Sprintf("https://127.0.0.1:%d", ap)
	certs := filepath.Join(dir, "certs")
	k.CAFile = filepath.Join(certs, "apiserver.crt")
	k.api = newProcess(t, "kube-apiserver", kas, dir, k.URL+"/readyz",
		fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", ep),
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", ap),
		"--cert-dir="+certs,
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file="+saPub, "--service-account-signing-key-file="+saKey,
		"--authorization-mode=RBAC", "--token-auth-file="+tokens,
		"--disable-admission-plugins=ServiceAccount", "--service-cluster-ip-range=10.0.0.0/24",
		"--endpoint-reconciler-type=none")
	// The certificate is made at start: readiness is polled without
	// checking it, every later request checks it.
	k.api.readyClient = &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // readiness only
	k.api.start(60 * time.Second)
	pemBytes, err := os.ReadFile(k.CAFile)
	if err != nil {
		t.Fatalf("the API server's certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	k.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(k.client.CloseIdleConnections)
	k.installCRDs(t, crds)
	return k
}

func writeServiceAccountKey(t testing.TB, dir string) (keyFile, pubFile string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	keyFile, pubFile = filepath.Join(dir, "sa.key"), filepath.Join(dir, "sa.pub")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644); err != nil {
		t.Fatal(err)
	}
	return keyFile, pubFile
}

// installCRDs creates every *-crd.yaml of dir and waits until Rollouts
// can be listed.
func (k *Kube) installCRDs(t testing.TB, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*-crd.yaml"))
	if len(files) == 0 {
		t.Fatalf("no CRDs in %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		if err := yaml.Unmarshal(b, &obj); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if code, body := k.Do("admin", "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "", obj); code != http.StatusCreated {
			t.Fatalf("create CRD %s: HTTP %d %s", filepath.Base(f), code, body)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, _ := k.Do("admin", "GET", "/apis/argoproj.io/v1alpha1/namespaces/default/rollouts", "", nil)
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("rollouts not servable 30s after the CRDs were created (HTTP %d)", code)
		}
		time.Sleep(100 * time.Millisecond) // polling the API server until it serves the new resource
	}
}

// Do sends one request as user (a key of Tokens) and returns the status
// and body. contentType defaults to JSON; body is JSON-encoded.
func (k *Kube) Do(user, method, path, contentType string, body any) (int, []byte) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, []byte(err.Error())
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, k.URL+path, rd)
	if err != nil {
		return 0, []byte(err.Error())
	}
	req.Header.Set("Authorization", "Bearer "+k.Tokens[user])
	req.Header.Set("Content-Type", cmpOr(contentType, "application/json"))
	resp, err := k.client.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TokenFile writes user's token to a file of its own and returns its path.
func (k *Kube) TokenFile(t testing.TB, user string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), user+".token")
	if err := os.WriteFile(p, []byte(k.Tokens[user]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Log returns what the API server printed.
func (k *Kube) Log() string { return k.api.Log() }

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

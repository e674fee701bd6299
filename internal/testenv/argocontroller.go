package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ArgoRolloutsControllerEngine is the Argo Rollouts controller, built from
// a writable copy of its module (the module cache's is read-only, and the
// build updates go.sum).
var ArgoRolloutsControllerEngine = Engine{Name: "rollouts-controller", Module: "github.com/argoproj/argo-rollouts",
	Version: "v1.10.1", Package: "./cmd/rollouts-controller", Env: "MLTOP_ROLLOUTS_CONTROLLER_BIN", build: buildFromCopy}

func buildFromCopy(ctx context.Context, e Engine, out string, log io.Writer) error {
	info, err := modDownload(ctx, e.Module+"@"+e.Version, log)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "mltop-engine-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "src")
	if err := os.CopyFS(src, os.DirFS(info.Dir)); err != nil {
		return fmt.Errorf("copy %s: %w", e.Module, err)
	}
	// The copy keeps the cache's read-only modes.
	_ = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			mode := os.FileMode(0o644)
			if d.IsDir() {
				mode = 0o755
			}
			_ = os.Chmod(p, mode)
		}
		return nil
	})
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, e.Package)
	cmd.Dir, cmd.Env = src, goEnv()
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Run()
}

// StartArgoController runs the Argo Rollouts controller bin (from
// EngineBinary(t, ArgoRolloutsControllerEngine)) against k, watching the
// default namespace, and returns the URL of its metrics. No kubelet runs:
// ReadyReplicaSets plays it.
func (k *Kube) StartArgoController(t testing.TB, bin string) (metricsURL string) {
	t.Helper()
	dir := t.TempDir()
	kubeconfig := filepath.Join(dir, "kubeconfig")
	conf := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: t, cluster: {server: %q, certificate-authority: %q}}]
users: [{name: admin, user: {token: %q}}]
contexts: [{name: t, context: {cluster: t, user: admin}}]
current-context: t
`, k.URL, k.CAFile, k.Tokens["admin"])
	if err := os.WriteFile(kubeconfig, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	health, metrics := FreePort(t), FreePort(t)
	p := newProcess(t, "rollouts-controller", bin, dir, fmt.Sprintf("http://127.0.0.1:%d/healthz", health),
		"--kubeconfig="+kubeconfig, "--leader-elect=false", "--namespaced", "--namespace=default",
		fmt.Sprintf("--healthzPort=%d", health), fmt.Sprintf("--metricsPort=%d", metrics))
	p.start(60 * time.Second)
	return fmt.Sprintf("http://127.0.0.1:%d/metrics", metrics)
}

// ReadyReplicaSets marks every ReplicaSet in default as having all its
// replicas ready and available, as a kubelet would once the pods ran.
func (k *Kube) ReadyReplicaSets(t testing.TB) {
	t.Helper()
	code, body := k.Do("admin", "GET", "/apis/apps/v1/namespaces/default/replicasets", "", nil)
	if code != http.StatusOK {
		t.Fatalf("list replica sets: HTTP %d %s", code, body)
	}
	var list struct {
		Items []struct {
			Metadata struct {
				Name       string `json:"name"`
				Generation int64  `json:"generation"`
			} `json:"metadata"`
			Spec struct {
				Replicas *int `json:"replicas"`
			} `json:"spec"`
			Status struct {
				ReadyReplicas      int   `json:"readyReplicas"`
				ObservedGeneration int64 `json:"observedGeneration"`
			} `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	for _, rs := range list.Items {
		n := 1
		if rs.Spec.Replicas != nil {
			n = *rs.Spec.Replicas
		}
		if rs.Status.ReadyReplicas == n && rs.Status.ObservedGeneration == rs.Metadata.Generation {
			continue
		}
		st := map[string]any{"replicas": n, "readyReplicas": n, "availableReplicas": n, "fullyLabeledReplicas": n,
			"observedGeneration": rs.Metadata.Generation}
		code, body := k.Do("admin", "PATCH", "/apis/apps/v1/namespaces/default/replicasets/"+rs.Metadata.Name+"/status",
			"application/merge-patch+json", map[string]any{"status": st})
		if code != http.StatusOK && code != http.StatusConflict && code != http.StatusNotFound {
			t.Fatalf("mark replica set %s ready: HTTP %d %s", rs.Metadata.Name, code, strings.TrimSpace(string(body)))
		}
	}
}

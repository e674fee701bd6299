package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// KubeAPIServerEngine is kube-apiserver, built from the k8s.io/kubernetes
// module: that module replaces its staging modules (k8s.io/api, ...) with
// directories it does not publish, so it is built from a throwaway module
// that requires it with each of them replaced by its released version.
var KubeAPIServerEngine = Engine{Name: "kube-apiserver", Module: "k8s.io/kubernetes", Version: "v1.34.4",
	Package: "k8s.io/kubernetes/cmd/kube-apiserver", Env: "MLTOP_KUBE_APISERVER_BIN", build: buildKubeAPIServer}

// kubeStagingVersion is the released version of the staging modules that
// goes with KubeAPIServerEngine's version.
const kubeStagingVersion = "v0.34.4"

// ArgoRolloutsModule holds the Argo Rollouts CRDs the test API server
// installs (manifests/crds). v1.10.1: later releases need a newer Go.
const ArgoRolloutsModule = "github.com/argoproj/argo-rollouts@v1.10.1"

var replaced = regexp.MustCompile(`^\s*(k8s\.io/\S+)\s+=>`)

func buildKubeAPIServer(ctx context.Context, e Engine, out string, log io.Writer) error {
	info, err := modDownload(ctx, e.Module+"@"+e.Version, log)
	if err != nil {
		return err
	}
	mod, err := os.ReadFile(info.GoMod)
	if err != nil {
		return fmt.Errorf("read %s's go.mod: %w", e.Module, err)
	}
	dir, err := os.MkdirTemp("", "mltop-kube-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(kubeBuildModule(e, mod)), 0o644); err != nil {
		return err
	}
	env := append(goEnv(), "GOFLAGS=-mod=mod -buildvcs=false")
	run := func(args ...string) error {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir, cmd.Env = dir, env
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %s: %w", args[0], err)
		}
		return nil
	}
	if err := run("get", e.Package+"@"+e.Version); err != nil {
		return err
	}
	// Clients refuse the server's default version "v0.0.0-master".
	cv := "k8s.io/component-base/version"
	major, minor, _ := strings.Cut(strings.TrimPrefix(e.Version, "v"), ".")
	minor, _, _ = strings.Cut(minor, ".")
	ldflags := fmt.Sprintf("-s -w -X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean",
		cv, e.Version, cv, major, cv, minor, cv)
	return run("build", "-trimpath", "-ldflags", ldflags, "-o", out, e.Package)
}

// kubeBuildModule is the throwaway module's go.mod: it requires e's
// module, and replaces each module that the module's own go.mod (mod)
// replaces with a local directory by its released staging version.
func kubeBuildModule(e Engine, mod []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "module mltoptest/kubeapiserver\n\ngo 1.24.0\n\ngodebug default=go1.24\n\nrequire %s %s\n\nreplace (\n", e.Module, e.Version)
	inReplace := false
	for line := range strings.SplitSeq(string(mod), "\n") {
		switch {
		case strings.HasPrefix(line, "replace ("):
			inReplace = true
		case inReplace && strings.HasPrefix(line, ")"):
			inReplace = false
		case inReplace:
			if m := replaced.FindStringSubmatch(line); m != nil {
				fmt.Fprintf(&b, "\t%s => %s %s\n", m[1], m[1], kubeStagingVersion)
			}
		}
	}
	b.WriteString(")\n")
	return b.String()
}

type modInfo struct{ Dir, GoMod, Error string }

func modDownload(ctx context.Context, modVersion string, log io.Writer) (modInfo, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", modVersion)
	cmd.Env = goEnv()
	cmd.Dir = os.TempDir() // outside any module
	cmd.Stderr = log
	out, err := cmd.Output()
	var info modInfo
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return info, fmt.Errorf("download %s: %s", modVersion, info.Error)
	}
	if err != nil {
		return info, fmt.Errorf("download %s: %w", modVersion, err)
	}
	return info, nil
}

// ArgoRolloutsCRDs returns the directory of the Argo Rollouts CRDs,
// downloading the module when the module cache lacks it (skipped outside
// CI when that fails).
func ArgoRolloutsCRDs(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var log strings.Builder
	info, err := modDownload(ctx, ArgoRolloutsModule, &log)
	if err != nil || info.Dir == "" {
		if !Required() {
			t.Skipf("the Argo Rollouts CRDs (%s) cannot be downloaded: %v", ArgoRolloutsModule, err)
		}
		t.Fatalf("the Argo Rollouts CRDs (%s): %v\n%s", ArgoRolloutsModule, err, tail(log.String(), 2000))
	}
	return filepath.Join(info.Dir, "manifests", "crds")
}

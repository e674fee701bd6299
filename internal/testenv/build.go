package testenv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Engine is a server that Debian does not package, built from its Go module
// at a pinned version with the build tags it needs. Binaries are built once
// and kept under the user's cache directory, keyed by version.
type Engine struct {
	Name    string // the binary's name
	Module  string
	Version string
	Package string // the main package, relative to the module
	Tags    string
	// Env names a variable that may point at a ready binary instead.
	Env string
	// build, when set, builds the binary to out its own way (a module
	// that cannot be built in its own directory).
	build func(ctx context.Context, e Engine, out string, log io.Writer) error
}

// The engines the integration tests run.
var (
	// Thanos: without slicelabels its sidecar panics on the first call.
	ThanosEngine = Engine{Name: "thanos", Module: "github.com/thanos-io/thanos", Version: "v0.42.4",
		Package: "./cmd/thanos", Tags: "slicelabels", Env: "MLTOP_THANOS_BIN"}
	// Mimir: release tags (mimir-X.Y.Z) are not semver, so a main-branch
	// pseudo-version is pinned.
	MimirEngine = Engine{Name: "mimir", Module: "github.com/grafana/mimir", Version: "v1.3.1-0.20260423142704-aced80d74930",
		Package: "./cmd/mimir", Tags: "netgo,stringlabels", Env: "MLTOP_MIMIR_BIN"}
)

// Engines lists them, for tools that build them all.
var Engines = []Engine{ThanosEngine, MimirEngine, KubeAPIServerEngine, ArgoRolloutsControllerEngine, FlaggerLoadTesterEngine}

// CacheDir is where built engines live: $XDG_CACHE_HOME/mltop/engines
// (~/.cache when unset).
func CacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cache directory: %w", err)
	}
	return filepath.Join(dir, "mltop", "engines"), nil
}

// Path is where the engine's binary is, or will be once built.
func (e Engine) Path() (string, error) {
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, e.Name+"-"+e.Version, e.Name), nil
}

// Cached returns the path of an already built binary, or "".
func (e Engine) Cached() string {
	if p := os.Getenv(e.Env); e.Env != "" && p != "" {
		return p
	}
	p, err := e.Path()
	if err != nil {
		return ""
	}
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
		return p
	}
	return ""
}

// Build downloads the module and builds the binary into the cache, unless
// it is there already (built is false then). Concurrent builds of the same
// engine, from several test processes, wait for one another.
func (e Engine) Build(ctx context.Context, log io.Writer) (path string, built bool, err error) {
	if p := e.Cached(); p != "" {
		return p, false, nil
	}
	path, err = e.Path()
	if err != nil {
		return "", false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", false, fmt.Errorf("build %s: %w", e.Name, err)
	}
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return "", false, fmt.Errorf("build %s: %w", e.Name, err)
	}
	defer unlock()
	if p := e.Cached(); p != "" {
		return p, false, nil // another process built it while we waited
	}
	tmp := path + ".tmp"
	if err := e.buildTo(ctx, tmp, log); err != nil {
		_ = os.Remove(tmp)
		return "", false, fmt.Errorf("build %s %s: %w", e.Name, e.Version, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", false, fmt.Errorf("build %s: %w", e.Name, err)
	}
	return path, true, nil
}

func (e Engine) buildTo(ctx context.Context, out string, log io.Writer) error {
	if e.build != nil {
		return e.build(ctx, e, out, log)
	}
	dir, err := e.download(ctx, log)
	if err != nil {
		return err
	}
	// Built inside the module's own directory: its go.mod has replace
	// directives that `go install module@version` refuses.
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", e.Tags, "-o", out, e.Package)
	cmd.Dir = dir
	cmd.Env = goEnv()
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Run()
}

// download fetches the module into the module cache and returns its directory.
func (e Engine) download(ctx context.Context, log io.Writer) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", e.Module+"@"+e.Version)
	cmd.Env = goEnv()
	cmd.Stderr = log
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return "", fmt.Errorf("download %s@%s: %s", e.Module, e.Version, info.Error)
	}
	if err != nil {
		return "", fmt.Errorf("download %s@%s: %w", e.Module, e.Version, err)
	}
	if info.Dir == "" {
		return "", fmt.Errorf("download %s@%s: no directory in %q", e.Module, e.Version, out)
	}
	return info.Dir, nil
}

// goEnv is the environment for go commands run outside this module: the
// engine's module decides its own dependencies.
func goEnv() []string {
	env := make([]string, 0, len(os.Environ())+3)
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOFLAGS=") || strings.HasPrefix(kv, "GOWORK=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS=-buildvcs=false", "GOWORK=off")
}

// lockFile takes an exclusive lock, waiting for whoever holds it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// EngineBinary returns the engine's binary for a test. Not built yet: in CI
// (MLTOP_REQUIRE_INTEGRATION=1) it is built now, which takes minutes the
// first time; elsewhere the test is skipped with the command that builds it.
func EngineBinary(t testing.TB, e Engine) string {
	t.Helper()
	if p := e.Cached(); p != "" {
		return p
	}
	if !Required() {
		t.Skipf("%s %s is not built: `go run ./internal/testenv/cmd/buildengines` builds it (a few minutes, once), or set MLTOP_REQUIRE_INTEGRATION=1", e.Name, e.Version)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	start := time.Now()
	var log strings.Builder
	p, built, err := e.Build(ctx, &log)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("%w (gave up after 15m)", err)
		}
		t.Fatalf("%v\n%s", err, tail(log.String(), 4000))
	}
	if built {
		t.Logf("built %s %s in %s", e.Name, e.Version, time.Since(start).Round(time.Second))
	}
	return p
}

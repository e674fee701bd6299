package testenv

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var fakeEngine = Engine{Name: "fake", Module: "example.com/fake", Version: "v1.2.3", Package: "./cmd/fake", Env: "MLTOP_FAKE_BIN"}

// TestEngineCachedUnderXDG: the binary lives under $XDG_CACHE_HOME, keyed
// by version; a built one is found there and not built again.
func TestEngineCachedUnderXDG(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv(fakeEngine.Env, "")
	p, err := fakeEngine.Path()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "mltop", "engines", "fake-v1.2.3", "fake"); p != want {
		t.Fatalf("path %s, want %s", p, want)
	}
	if c := fakeEngine.Cached(); c != "" {
		t.Fatalf("nothing built yet, but Cached = %q", c)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The module does not exist: Build must not try to download it.
	got, built, err := fakeEngine.Build(context.Background(), io.Discard)
	if err != nil || built || got != p {
		t.Fatalf("Build = %q, built %v, err %v; want the cached %s", got, built, err, p)
	}
	if bin := EngineBinary(t, fakeEngine); bin != p {
		t.Fatalf("EngineBinary = %q, want %q", bin, p)
	}
}

// TestEngineFromEnv: a variable may name a ready binary instead.
func TestEngineFromEnv(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv(fakeEngine.Env, "/opt/fake/bin/fake")
	if c := fakeEngine.Cached(); c != "/opt/fake/bin/fake" {
		t.Fatalf("Cached = %q", c)
	}
}

// TestEngineNotBuiltSkips: outside CI a missing engine skips the test
// rather than spending minutes building it.
func TestEngineNotBuiltSkips(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv(fakeEngine.Env, "")
	t.Setenv("MLTOP_REQUIRE_INTEGRATION", "")
	skipped := false
	t.Run("inner", func(t *testing.T) {
		t.Cleanup(func() { skipped = t.Skipped() })
		EngineBinary(t, fakeEngine)
		t.Error("EngineBinary returned instead of skipping")
	})
	if !skipped {
		t.Fatal("the inner test was not skipped")
	}
}

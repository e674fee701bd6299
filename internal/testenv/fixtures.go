package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// Fixture is the path of a file or folder under ../shared/fixtures beside
// the repository root (the exporters' samples, MLflow REST shapes and
// scipy's drift vectors, which the repository does not copy). Without it
// the test is skipped, except under CI or MLTOP_REQUIRE_INTEGRATION=1,
// where it fails.
func Fixture(t testing.TB, parts ...string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	path := filepath.Join(append([]string{dir, "..", "shared", "fixtures"}, parts...)...)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" || Required() {
			t.Fatalf("fixture %s is required under CI: %v", path, err)
		}
		t.Skipf("fixture %s not found (the shared folder sits beside the repository); skipping", path)
	}
	return path
}

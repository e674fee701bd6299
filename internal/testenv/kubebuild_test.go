package testenv

import (
	"strings"
	"testing"
)

// The throwaway module replaces exactly the staging modules that
// k8s.io/kubernetes replaces with directories, by their released version.
func TestKubeBuildModule(t *testing.T) {
	mod := `module k8s.io/kubernetes

require (
	k8s.io/api v0.0.0
	github.com/spf13/cobra v1.9.1
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/apiserver => ./staging/src/k8s.io/apiserver
)
`
	got := kubeBuildModule(KubeAPIServerEngine, []byte(mod))
	for _, want := range []string{
		"require k8s.io/kubernetes v1.34.4\n",
		"\tk8s.io/api => k8s.io/api v0.34.4\n",
		"\tk8s.io/apiserver => k8s.io/apiserver v0.34.4\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("go.mod lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "cobra") || strings.Contains(got, "./staging") {
		t.Errorf("go.mod carries more than the replaced modules:\n%s", got)
	}
}

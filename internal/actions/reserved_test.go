package actions

import (
	"slices"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

// The built-in actions' keys are among the keys the config refuses for a
// custom action, so a custom R cannot hide behind the rollback.
func TestBuiltinActionKeysAreReserved(t *testing.T) {
	acts := config.Actions{Rollback: config.Action{Kind: "mlflow-alias"}, Retrain: config.Action{Kind: "webhook"},
		Rollout: config.Action{Kind: kindArgoRollouts}}
	got := specs(acts)
	if len(got) != 2+len(RolloutVerbs) {
		t.Fatalf("specs = %d, want rollback, retrain and the rollout verbs", len(got))
	}
	for _, s := range got {
		if !slices.Contains(config.ReservedKeys(), s.Key) {
			t.Errorf("%s's key %q is not in config.ReservedKeys", s.Action, s.Key)
		}
	}
}

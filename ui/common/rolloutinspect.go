package common

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mltop/mltop/internal/actions"
)

// RolloutInspector is the Actions of a dashboard whose rollout actions read
// a Kubernetes API (kind argo-rollouts): the detail screen asks it for the
// Rollout's pause reason and its analysis runs' measurements, which the
// controller's metrics do not carry. A type assertion finds it.
type RolloutInspector interface {
	InspectRollout(ctx context.Context, model string, tags map[string]string) (actions.RolloutInspection, error)
	InspectsRollouts() bool
}

// InspectorOf is a's RolloutInspector; nil when a has none or no API to
// read.
func InspectorOf(a Actions) RolloutInspector {
	if ri, ok := a.(RolloutInspector); ok && ri.InspectsRollouts() {
		return ri
	}
	return nil
}

// inspectTimeout bounds one read: the screen shows the last answer, or
// the error, rather than wait.
const inspectTimeout = 10 * time.Second

// RolloutInspectionMsg is the answer to FetchRolloutInspection.
type RolloutInspectionMsg struct {
	Model      string
	Inspection actions.RolloutInspection
	Err        error
}

// FetchRolloutInspection reads model's Rollout through ri; nil without an
// inspector.
func FetchRolloutInspection(ri RolloutInspector, model string, tags map[string]string) tea.Cmd {
	if ri == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), inspectTimeout)
		defer cancel()
		ins, err := ri.InspectRollout(ctx, model, tags)
		return RolloutInspectionMsg{Model: model, Inspection: ins, Err: err}
	}
}

package contexts

import (
	"context"
	"errors"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/ui/common"
)

// refusing is the merged view's actions: the keys of the contexts' own
// actions, so pressing one says why it does nothing here, and nothing
// that can run. Actions never cross contexts. specs is asked each time,
// so a context started after the view was built is covered too.
type refusing struct{ specs func() []actions.Spec }

var errCrossContext = errors.New(common.CrossContextRefusal)

func (r refusing) Plan(context.Context, actions.Request) (actions.Plan, error) {
	return actions.Plan{}, errCrossContext
}

func (r refusing) Execute(_ context.Context, req actions.Request) actions.Result {
	return actions.Result{ID: req.ID, Action: req.Action, Model: req.Model, Outcome: actions.Refused, Message: errCrossContext.Error()}
}

func (r refusing) Specs() []actions.Spec { return r.specs() }
func (r refusing) ReadOnly() bool        { return false }
func (r refusing) AuditRecords(audit.Filter) ([]audit.Record, int, error) {
	return nil, 0, errors.New("the action log is each context's: open a context to read it")
}

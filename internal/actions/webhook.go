package actions

import (
	"context"
	"fmt"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

const kindWebhook = "webhook"

func init() {
	register(kindOf[struct{}]{
		name:   kindWebhook,
		serves: []string{Rollback, Retrain, Custom},
		check:  func(c *config.ActionCheck, a *config.Action, _ *struct{}) { c.Require("url", a.URL) },
		build: func(e *Executor, s Spec, _ *struct{}) (adapter, error) {
			h, err := newHTTP(e, s)
			return &webhookAdapter{h}, err
		},
	})
}

// webhookAdapter POSTs JSON to a URL: the `body` template's output, else
// the default body (see defaultBody). A rollback webhook typically fronts a
// CD system (Argo CD, Argo Rollouts' undo, Spinnaker).
type webhookAdapter struct{ httpAdapter }

func (w *webhookAdapter) target() string { return audit.SafeURL(w.base) }

func (w *webhookAdapter) describe(d TemplateData) ([]string, string) {
	switch w.spec.Action {
	case Rollback:
		return []string{fmt.Sprintf("asks %s to roll %s back: %s → %s", w.host(), d.Model, orNone(d.From), d.To)},
			fmt.Sprintf("asks %s to undo; a new revision may re-run analysis before traffic moves", w.host())
	case Retrain:
		return []string{fmt.Sprintf("asks %s to retrain %s%s", w.host(), d.Model, versionNote(d.Version))},
			w.meaning("a training run starts")
	}
	return []string{fmt.Sprintf("%s: POST to %s for %s", w.spec.Title, w.host(), d.Model)}, "whatever " + w.host() + " does with it"
}

func (w *webhookAdapter) change(d TemplateData) (before, after map[string]string) {
	if w.spec.Action == Rollback {
		return map[string]string{"version": d.From}, map[string]string{"version": d.To}
	}
	return w.versionChange(d)
}

func (w *webhookAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	a, err := w.post(ctx, d, w.base, newDefaultBody(d), nil)
	if err != nil {
		return audit.Response{}, err
	}
	r := accepted(a, "accepted")
	r.RunID = stringField(a.body, "run_id", "id")
	r.URL = stringField(a.body, "url", "run_url", "html_url")
	return r, nil
}

func (w *webhookAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check %s: it may or may not have received request %s", w.host(), d.RequestID)
}

func versionNote(v string) string {
	if v == "" {
		return ""
	}
	return " (serving v" + v + ")"
}

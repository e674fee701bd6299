package actions

import (
	"context"
	"fmt"
	"net/url"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

const kindKubeflow = "kubeflow"

func init() {
	register(kindOf[KubeflowParams]{
		name:   kindKubeflow,
		serves: pipelines,
		check: func(c *config.ActionCheck, a *config.Action, p *KubeflowParams) {
			c.Require("url", a.URL)
			c.Require("pipeline_id", p.PipelineID)
		},
		build: func(e *Executor, s Spec, p *KubeflowParams) (adapter, error) {
			h, err := newHTTP(e, s)
			return &kubeflowAdapter{h, p}, err
		},
	})
}

// KubeflowParams are the keys of kind kubeflow.
type KubeflowParams struct {
	PipelineID string `yaml:"pipeline_id"`
}

// kubeflowAdapter creates a Kubeflow Pipelines run of a pipeline's latest
// version: POST {url}/apis/v2beta1/runs.
type kubeflowAdapter struct {
	httpAdapter
	p *KubeflowParams
}

func (k *kubeflowAdapter) endpoint() string { return k.base + "/apis/v2beta1/runs" }

func (k *kubeflowAdapter) target() string { return audit.SafeURL(k.endpoint()) }

func (k *kubeflowAdapter) describe(d TemplateData) ([]string, string) {
	return []string{fmt.Sprintf("starts a run of pipeline %s on %s for %s%s", k.p.PipelineID, k.host(), d.Model, versionNote(d.Version))},
		k.meaning("a Kubeflow run starts")
}

func (k *kubeflowAdapter) change(d TemplateData) (before, after map[string]string) {
	return k.versionChange(d)
}

func (k *kubeflowAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	body := map[string]any{
		"display_name":               fmt.Sprintf("%s %s (%s)", d.Action, d.Model, d.RequestID),
		"description":                d.Reason,
		"pipeline_version_reference": map[string]string{"pipeline_id": k.p.PipelineID},
		"runtime_config":             map[string]any{"parameters": params(d)},
	}
	ans, err := k.post(ctx, d, k.endpoint(), body, nil)
	if err != nil {
		return audit.Response{}, err
	}
	r := accepted(ans, "run created")
	r.RunID = stringField(ans.body, "run_id")
	if r.RunID != "" {
		r.URL = fmt.Sprintf("%s/#/runs/details/%s", k.base, url.PathEscape(r.RunID))
	}
	return r, nil
}

func (k *kubeflowAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check Kubeflow Pipelines: a run named %q may or may not exist", fmt.Sprintf("%s %s (%s)", d.Action, d.Model, d.RequestID))
}

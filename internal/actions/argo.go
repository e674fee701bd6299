package actions

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

const kindArgoWorkflows = "argo-workflows"

func init() {
	register(kindOf[ArgoParams]{
		name:   kindArgoWorkflows,
		serves: pipelines,
		finish: func(_ *config.Action, p *ArgoParams) { p.Namespace = or(p.Namespace, "default") },
		check: func(c *config.ActionCheck, a *config.Action, p *ArgoParams) {
			c.Require("url", a.URL)
			c.Require("template", p.Template)
		},
		build: func(e *Executor, s Spec, p *ArgoParams) (adapter, error) {
			h, err := newHTTP(e, s)
			return &argoAdapter{h, p}, err
		},
	})
}

// ArgoParams are the keys of kind argo-workflows.
type ArgoParams struct {
	Template  string `yaml:"template"`  // WorkflowTemplate name
	Namespace string `yaml:"namespace"` // default "default"
}

// argoAdapter submits a workflow from a WorkflowTemplate:
// POST {url}/api/v1/workflows/{namespace}/submit. The workflow is named
// after the request id, so a repeated request fails (AlreadyExists)
// instead of starting a second workflow.
type argoAdapter struct {
	httpAdapter
	p *ArgoParams
}

func (a *argoAdapter) endpoint() string {
	return fmt.Sprintf("%s/api/v1/workflows/%s/submit", a.base, url.PathEscape(a.p.Namespace))
}

func (a *argoAdapter) target() string { return audit.SafeURL(a.endpoint()) }

func (a *argoAdapter) describe(d TemplateData) ([]string, string) {
	return []string{fmt.Sprintf("submits WorkflowTemplate %s in namespace %s on %s for %s%s",
		a.p.Template, a.p.Namespace, a.host(), d.Model, versionNote(d.Version))}, a.meaning("an Argo workflow starts")
}

func (a *argoAdapter) change(d TemplateData) (before, after map[string]string) {
	return a.versionChange(d)
}

func (a *argoAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	p := params(d)
	var list []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		list = append(list, k+"="+p[k])
	}
	body := map[string]any{
		"namespace":    a.p.Namespace,
		"resourceKind": "WorkflowTemplate",
		"resourceName": a.p.Template,
		"submitOptions": map[string]any{
			"name":       d.RequestID,
			"parameters": list,
			"labels":     "mltop-request-id=" + d.RequestID,
		},
	}
	ans, err := a.post(ctx, d, a.endpoint(), body, nil)
	if err != nil {
		return audit.Response{}, err
	}
	r := accepted(ans, "workflow submitted")
	r.RunID = nestedString(ans.body, "metadata", "name")
	if r.RunID != "" {
		r.URL = fmt.Sprintf("%s/workflows/%s/%s", a.base, url.PathEscape(a.p.Namespace), url.PathEscape(r.RunID))
	}
	return r, nil
}

func (a *argoAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check Argo Workflows: namespace %s may or may not have a workflow %s", a.p.Namespace, d.RequestID)
}

package actions

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/mltop/mltop/internal/audit"
)

// githubAdapter dispatches a workflow (workflow_dispatch):
// POST {url}/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches.
// GitHub answers 204 without a body, so the run itself is found on the
// repository's Actions tab.
type githubAdapter struct{ httpAdapter }

func newGitHub(h httpAdapter) (*githubAdapter, error) {
	if owner, name, ok := strings.Cut(h.cfg.Repo, "/"); !ok || owner == "" || name == "" {
		return nil, fmt.Errorf("repo %q: want OWNER/NAME", h.cfg.Repo)
	}
	if h.cfg.Workflow == "" {
		return nil, fmt.Errorf("workflow is required for kind github")
	}
	return &githubAdapter{h}, nil
}

func (g *githubAdapter) endpoint() string {
	owner, name, _ := strings.Cut(g.cfg.Repo, "/")
	return fmt.Sprintf("%s/repos/%s/%s/actions/workflows/%s/dispatches",
		g.base, url.PathEscape(owner), url.PathEscape(name), url.PathEscape(g.cfg.Workflow))
}

func (g *githubAdapter) target() string { return audit.SafeURL(g.endpoint()) }

func (g *githubAdapter) ref() string { return or(g.cfg.Ref, "main") }

func (g *githubAdapter) describe(d TemplateData) ([]string, string) {
	return []string{fmt.Sprintf("dispatches workflow %s of %s on %s for %s%s", g.cfg.Workflow, g.cfg.Repo, g.ref(), d.Model, versionNote(d.Version))},
		g.meaning("a GitHub Actions run starts")
}

func (g *githubAdapter) change(d TemplateData) (before, after map[string]string) {
	return g.versionChange(d)
}

// actionsURL is the workflow's page on the web, for API hosts
// api.github.com and GitHub Enterprise's https://HOST/api/v3.
func (g *githubAdapter) actionsURL() string {
	web := strings.TrimSuffix(g.base, "/api/v3")
	if u, err := url.Parse(web); err == nil && u.Host == "api.github.com" {
		web = "https://github.com"
	}
	return fmt.Sprintf("%s/%s/actions/workflows/%s", web, g.cfg.Repo, url.PathEscape(g.cfg.Workflow))
}

func (g *githubAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	body := map[string]any{"ref": g.ref(), "inputs": params(d)}
	header := map[string]string{"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
	ans, err := g.post(ctx, d, g.endpoint(), body, header)
	if err != nil {
		return audit.Response{}, err
	}
	r := audit.Response{Status: ans.status, Message: "dispatched; see the Actions tab", URL: g.actionsURL()}
	// Newer API versions may describe the run they started.
	if id := stringField(ans.body, "workflow_run_id", "id"); id != "" {
		r.RunID = id
	}
	if u := stringField(ans.body, "html_url", "run_url"); u != "" {
		r.URL = u
	}
	return r, nil
}

func (g *githubAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check the Actions tab of %s: workflow %s may or may not have been dispatched (input request_id %s)", g.cfg.Repo, g.cfg.Workflow, d.RequestID)
}

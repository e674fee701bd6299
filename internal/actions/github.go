package actions

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

const kindGitHub = "github"

func init() {
	register(kindOf[GitHubParams]{
		name:   kindGitHub,
		serves: pipelines,
		finish: func(a *config.Action, p *GitHubParams) {
			a.URL = or(a.URL, "https://api.github.com")
			p.Ref = or(p.Ref, "main")
		},
		check: func(c *config.ActionCheck, _ *config.Action, p *GitHubParams) {
			c.Require("repo", p.Repo)
			c.Require("workflow", p.Workflow)
			owner, name, ok := strings.Cut(p.Repo, "/")
			if p.Repo != "" && (!ok || owner == "" || name == "" || strings.Contains(name, "/")) {
				c.Errorf("repo", "want OWNER/NAME, got %q", p.Repo)
			}
		},
		build: func(e *Executor, s Spec, p *GitHubParams) (adapter, error) {
			h, err := newHTTP(e, s)
			return &githubAdapter{h, p}, err
		},
	})
}

// GitHubParams are the keys of kind github.
type GitHubParams struct {
	Repo     string `yaml:"repo"`     // OWNER/NAME
	Workflow string `yaml:"workflow"` // file name or id
	Ref      string `yaml:"ref"`      // default main
}

// githubAdapter dispatches a workflow (workflow_dispatch):
// POST {url}/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches.
// GitHub answers 204 without a body, so the run itself is found on the
// repository's Actions tab.
type githubAdapter struct {
	httpAdapter
	p *GitHubParams
}

func (g *githubAdapter) endpoint() string {
	owner, name, _ := strings.Cut(g.p.Repo, "/")
	return fmt.Sprintf("%s/repos/%s/%s/actions/workflows/%s/dispatches",
		g.base, url.PathEscape(owner), url.PathEscape(name), url.PathEscape(g.p.Workflow))
}

func (g *githubAdapter) target() string { return audit.SafeURL(g.endpoint()) }

func (g *githubAdapter) describe(d TemplateData) ([]string, string) {
	return []string{fmt.Sprintf("dispatches workflow %s of %s on %s for %s%s", g.p.Workflow, g.p.Repo, g.p.Ref, d.Model, versionNote(d.Version))},
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
	return fmt.Sprintf("%s/%s/actions/workflows/%s", web, g.p.Repo, url.PathEscape(g.p.Workflow))
}

func (g *githubAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	body := map[string]any{"ref": g.p.Ref, "inputs": params(d)}
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
	return fmt.Sprintf("check the Actions tab of %s: workflow %s may or may not have been dispatched (input request_id %s)", g.p.Repo, g.p.Workflow, d.RequestID)
}

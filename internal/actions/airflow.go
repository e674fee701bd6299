package actions

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

const kindAirflow = "airflow"

func init() {
	register(kindOf[AirflowParams]{
		name:   kindAirflow,
		serves: pipelines,
		check: func(c *config.ActionCheck, a *config.Action, p *AirflowParams) {
			c.Require("url", a.URL)
			c.Require("dag", p.DAG)
			if p.APIVersion != 0 && p.APIVersion != 1 && p.APIVersion != 2 {
				c.Errorf("api_version", "must be 1 or 2 (Airflow 3), got %d", p.APIVersion)
			}
		},
		build: newAirflow,
	})
}

// AirflowParams are the keys of kind airflow.
type AirflowParams struct {
	DAG string `yaml:"dag"`
	// APIVersion is 1, or 2 for Airflow 3; 0 takes it from the url (a path
	// ending in /api/v2), else 1.
	APIVersion int `yaml:"api_version"`
}

// airflowAdapter triggers a DAG run: POST {url}/api/v1/dags/{dag}/dagRuns
// (Airflow 2), or /api/v2/... with logical_date null (Airflow 3). The
// request id is the dag_run_id, so a repeated request is refused by
// Airflow itself (409) instead of starting a second run.
type airflowAdapter struct {
	httpAdapter
	dag     string
	version int
}

func newAirflow(e *Executor, s Spec, p *AirflowParams) (adapter, error) {
	h, err := newHTTP(e, s)
	if err != nil {
		return nil, err
	}
	a := &airflowAdapter{httpAdapter: h, dag: p.DAG, version: p.APIVersion}
	for _, v := range []int{1, 2} {
		suffix := fmt.Sprintf("/api/v%d", v)
		if strings.HasSuffix(a.base, suffix) {
			a.base = strings.TrimSuffix(a.base, suffix)
			if a.version == 0 {
				a.version = v
			}
		}
	}
	if a.version == 0 {
		a.version = 1
	}
	return a, nil
}

func (a *airflowAdapter) endpoint() string {
	return fmt.Sprintf("%s/api/v%d/dags/%s/dagRuns", a.base, a.version, url.PathEscape(a.dag))
}

func (a *airflowAdapter) target() string { return audit.SafeURL(a.endpoint()) }

func (a *airflowAdapter) describe(d TemplateData) ([]string, string) {
	return []string{fmt.Sprintf("starts a run of DAG %s on %s for %s%s", a.dag, a.host(), d.Model, versionNote(d.Version))},
		a.meaning("an Airflow run starts")
}

func (a *airflowAdapter) change(d TemplateData) (before, after map[string]string) {
	return a.versionChange(d)
}

// airflowConf is the DAG run's conf: what the DAG reads as dag_run.conf.
type airflowConf struct {
	Model     string  `json:"model"`
	Version   string  `json:"version"`
	Reason    string  `json:"reason"`
	RequestID string  `json:"request_id"`
	Actor     Actor   `json:"actor"`
	Summary   Summary `json:"summary"`
	Action    string  `json:"action"`
}

func (a *airflowAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	conf := airflowConf{Model: d.Model, Version: d.Version, Reason: d.Reason, RequestID: d.RequestID,
		Actor: d.Actor, Summary: d.Summary, Action: d.Action}
	body := map[string]any{"dag_run_id": d.RequestID, "conf": conf}
	if a.version == 2 {
		body["logical_date"] = nil // Airflow 3 requires the key; null means "now"
	}
	ans, err := a.post(ctx, d, a.endpoint(), body, nil)
	if err != nil {
		return audit.Response{}, err
	}
	r := accepted(ans, "DAG run queued")
	r.RunID = stringField(ans.body, "dag_run_id")
	if r.RunID == "" {
		r.RunID = d.RequestID
	}
	if a.version == 2 {
		r.URL = fmt.Sprintf("%s/dags/%s/runs/%s", a.base, url.PathEscape(a.dag), url.PathEscape(r.RunID))
	} else {
		r.URL = fmt.Sprintf("%s/dags/%s/grid?dag_run_id=%s", a.base, url.PathEscape(a.dag), url.QueryEscape(r.RunID))
	}
	return r, nil
}

func (a *airflowAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check Airflow: DAG %s may or may not have a run %s", a.dag, d.RequestID)
}

package actions

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/mltop/mltop/internal/audit"
)

// airflowAdapter triggers a DAG run: POST {url}/api/v1/dags/{dag}/dagRuns
// (Airflow 2), or /api/v2/... with logical_date null (Airflow 3). The
// request id is the dag_run_id, so a repeated request is refused by
// Airflow itself (409) instead of starting a second run.
type airflowAdapter struct {
	httpAdapter
	version int
}

func newAirflow(h httpAdapter) (*airflowAdapter, error) {
	a := &airflowAdapter{httpAdapter: h, version: h.cfg.APIVersion}
	for _, v := range []int{1, 2} {
		suffix := fmt.Sprintf("/api/v%d", v)
		if strings.HasSuffix(a.base, suffix) {
			a.base = strings.TrimSuffix(a.base, suffix)
			if a.version == 0 {
				a.version = v
			}
		}
	}
	switch a.version {
	case 0:
		a.version = 1
	case 1, 2:
	default:
		return nil, fmt.Errorf("api_version %d: want 1 or 2", a.version)
	}
	if h.cfg.DAG == "" {
		return nil, fmt.Errorf("dag is required for kind airflow")
	}
	return a, nil
}

func (a *airflowAdapter) endpoint() string {
	return fmt.Sprintf("%s/api/v%d/dags/%s/dagRuns", a.base, a.version, url.PathEscape(a.cfg.DAG))
}

func (a *airflowAdapter) target() string { return audit.SafeURL(a.endpoint()) }

func (a *airflowAdapter) describe(d TemplateData) ([]string, string) {
	return []string{fmt.Sprintf("starts a run of DAG %s on %s for %s%s", a.cfg.DAG, a.host(), d.Model, versionNote(d.Version))},
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
		r.URL = fmt.Sprintf("%s/dags/%s/runs/%s", a.base, url.PathEscape(a.cfg.DAG), url.PathEscape(r.RunID))
	} else {
		r.URL = fmt.Sprintf("%s/dags/%s/grid?dag_run_id=%s", a.base, url.PathEscape(a.cfg.DAG), url.QueryEscape(r.RunID))
	}
	return r, nil
}

func (a *airflowAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check Airflow: DAG %s may or may not have a run %s", a.cfg.DAG, d.RequestID)
}

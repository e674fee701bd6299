package mlflow

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// metricHistoryPageSize matches what MLflow's docs show for get-history.
const metricHistoryPageSize = 1000

// GetRun reads a run: info, metrics (latest value per key), params, tags, inputs.
func (c *Client) GetRun(ctx context.Context, runID string) (Run, error) {
	var resp struct {
		Run Run `json:"run"`
	}
	err := c.do(ctx, request{
		method:   http.MethodGet,
		path:     "/runs/get",
		query:    url.Values{"run_id": {runID}},
		resource: fmt.Sprintf("run %q", runID),
	}, &resp)
	if err != nil {
		return Run{}, fmt.Errorf("get run %s: %w", shortID(runID), err)
	}
	return resp.Run, nil
}

// GetMetricHistory reads every logged value of metric key in run runID, across pages.
func (c *Client) GetMetricHistory(ctx context.Context, runID, key string) ([]Metric, error) {
	var all []Metric
	err := paginate(func(token string) (int, string, error) {
		q := url.Values{
			"run_id":      {runID},
			"metric_key":  {key},
			"max_results": {strconv.Itoa(metricHistoryPageSize)},
		}
		if token != "" {
			q.Set("page_token", token)
		}
		var page struct {
			Metrics       []Metric `json:"metrics"`
			NextPageToken string   `json:"next_page_token"`
		}
		err := c.do(ctx, request{
			method:   http.MethodGet,
			path:     "/metrics/get-history",
			query:    q,
			resource: fmt.Sprintf("metric %q of run %q", key, runID),
		}, &page)
		all = append(all, page.Metrics...)
		return len(page.Metrics), page.NextPageToken, err
	})
	if err != nil {
		return nil, fmt.Errorf("get history of metric %q in run %s: %w", key, shortID(runID), err)
	}
	return all, nil
}

package demo

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"
)

type wireSearchModels struct {
	RegisteredModels []struct {
		Name                 string             `json:"name"`
		LastUpdatedTimestamp int64              `json:"last_updated_timestamp"`
		Tags                 []wireTag          `json:"tags"`
		Aliases              []wireAlias        `json:"aliases"`
		LatestVersions       []wireModelVersion `json:"latest_versions"`
	} `json:"registered_models"`
	NextPageToken string `json:"next_page_token"`
}

func TestRegistrySearchPaginates(t *testing.T) {
	f := startManual(t, 20)
	var names []string
	token := ""
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("pagination does not end")
		}
		q := url.Values{"max_results": {"2"}}
		if token != "" {
			q.Set("page_token", token)
		}
		var page wireSearchModels
		if code := call(t, "GET", mlflowURL(f, "registered-models/search", q), nil, &page); code != 200 {
			t.Fatalf("search: status %d", code)
		}
		if len(page.RegisteredModels) > 2 {
			t.Fatalf("page of %d, want <= 2", len(page.RegisteredModels))
		}
		for _, m := range page.RegisteredModels {
			names = append(names, m.Name)
		}
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	want := []string{"churn-predictor", "credit-risk", "demand-forecast", "eta-predictor", "image-tagger", "payments-fraud", "search-ranker", "support-reply-prompt"}
	if !slices.Equal(names, want) {
		t.Errorf("walked %v, want %v", names, want)
	}

	var versions []string
	token = ""
	for {
		q := url.Values{"max_results": {"2"}, "filter": {`name="credit-risk"`}}
		if token != "" {
			q.Set("page_token", token)
		}
		var page struct {
			ModelVersions []wireModelVersion `json:"model_versions"`
			NextPageToken string             `json:"next_page_token"`
		}
		call(t, "GET", mlflowURL(f, "model-versions/search", q), nil, &page)
		for _, v := range page.ModelVersions {
			versions = append(versions, v.Version)
		}
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	if !slices.Equal(versions, []string{"12", "11", "10", "9"}) {
		t.Errorf("credit-risk versions %v, want 12 11 10 9", versions)
	}
}

func TestRegistrySearchFilters(t *testing.T) {
	f := startManual(t, 21)
	search := func(filter string) []string {
		var page wireSearchModels
		if code := call(t, "GET", mlflowURL(f, "registered-models/search", url.Values{"filter": {filter}}), nil, &page); code != 200 {
			t.Fatalf("filter %q: status %d", filter, code)
		}
		var out []string
		for _, m := range page.RegisteredModels {
			out = append(out, m.Name)
		}
		return out
	}
	if got := search("name LIKE 'c%'"); !slices.Equal(got, []string{"churn-predictor", "credit-risk"}) {
		t.Errorf("LIKE 'c%%': %v", got)
	}
	if got := search("name='eta-predictor'"); !slices.Equal(got, []string{"eta-predictor"}) {
		t.Errorf("name=: %v", got)
	}
	if got := search("tags.risk_tier = 'high'"); !slices.Equal(got, []string{"credit-risk", "payments-fraud"}) {
		t.Errorf("risk tier high: %v", got)
	}
	var prompt wireSearchModels
	call(t, "GET", mlflowURL(f, "registered-models/search", url.Values{"filter": {"name = 'support-reply-prompt'"}}), nil, &prompt)
	if len(prompt.RegisteredModels) != 1 || !slices.Contains(prompt.RegisteredModels[0].Tags, wireTag{"mlflow.prompt.is_prompt", "true"}) {
		t.Errorf("prompt entry: %+v", prompt)
	}

	// The filter MLflow's own client adds to leave prompts out.
	if got := search("tag.`mlflow.prompt.is_prompt` != 'true'"); len(got) != 7 || slices.Contains(got, "support-reply-prompt") {
		t.Errorf("prompt exclusion: %v", got)
	}
	if got := search("tags.`mlflow.prompt.is_prompt` = 'true'"); !slices.Equal(got, []string{"support-reply-prompt"}) {
		t.Errorf("prompt selection: %v", got)
	}

	for _, filter := range []string{"stage='Production'", "current_stage = 'Production'", "alias = 'champion'"} {
		var e struct {
			ErrorCode string `json:"error_code"`
			Message   string `json:"message"`
		}
		code := call(t, "GET", mlflowURL(f, "model-versions/search", url.Values{"filter": {filter}}), nil, &e)
		if code != http.StatusBadRequest || e.ErrorCode != "INVALID_PARAMETER_VALUE" || e.Message == "" {
			t.Errorf("filter %q: status %d %+v, want 400 INVALID_PARAMETER_VALUE", filter, code, e)
		}
	}
}

func TestRegistryShapes(t *testing.T) {
	f := startManual(t, 22)
	var got struct {
		RegisteredModel struct {
			Aliases []wireAlias `json:"aliases"`
			Tags    []wireTag   `json:"tags"`
		} `json:"registered_model"`
	}
	call(t, "GET", mlflowURL(f, "registered-models/get", url.Values{"name": {"credit-risk"}}), nil, &got)
	if want := []wireAlias{{"champion", "11"}, {"challenger", "12"}}; !slices.Equal(got.RegisteredModel.Aliases, want) {
		t.Errorf("model aliases %v, want %v", got.RegisteredModel.Aliases, want)
	}
	for _, key := range []string{"owner", "team", "risk_tier"} {
		if !slices.ContainsFunc(got.RegisteredModel.Tags, func(t wireTag) bool { return t.Key == key && t.Value != "" }) {
			t.Errorf("no %s tag in %v", key, got.RegisteredModel.Tags)
		}
	}

	var byAlias, v12 struct {
		ModelVersion wireModelVersion `json:"model_version"`
	}
	call(t, "GET", mlflowURL(f, "registered-models/alias", url.Values{"name": {"credit-risk"}, "alias": {"champion"}}), nil, &byAlias)
	if mv := byAlias.ModelVersion; mv.Version != "11" || !slices.Equal(mv.Aliases, []string{"champion"}) || mv.CurrentStage != "Production" {
		t.Errorf("champion version %+v", mv)
	}
	call(t, "GET", mlflowURL(f, "model-versions/get", url.Values{"name": {"credit-risk"}, "version": {"12"}}), nil, &v12)
	if !slices.Equal(v12.ModelVersion.Aliases, []string{"challenger"}) || v12.ModelVersion.RunID == "" {
		t.Errorf("v12 %+v", v12.ModelVersion)
	}

	// Timestamps are JSON numbers; unset fields are omitted.
	var raw map[string]map[string]any
	call(t, "GET", mlflowURL(f, "model-versions/get", url.Values{"name": {"credit-risk"}, "version": {"12"}}), nil, &raw)
	if _, ok := raw["model_version"]["creation_timestamp"].(float64); !ok {
		t.Errorf("creation_timestamp is not a number: %v", raw["model_version"]["creation_timestamp"])
	}

	var e struct {
		ErrorCode string `json:"error_code"`
		Message   string `json:"message"`
	}
	if code := call(t, "GET", mlflowURL(f, "registered-models/get", url.Values{"name": {"credit-rsk"}}), nil, &e); code != 404 || e.ErrorCode != "RESOURCE_DOES_NOT_EXIST" || e.Message == "" {
		t.Errorf("missing model: status %d %+v", code, e)
	}
	if code := call(t, "GET", mlflowURL(f, "registered-models/search", url.Values{"page_token": {"%%%"}}), nil, &e); code != 400 || e.ErrorCode != "INVALID_PARAMETER_VALUE" {
		t.Errorf("bad page token: status %d %+v", code, e)
	}
}

func TestRegistryRunLineage(t *testing.T) {
	f := startManual(t, 23)
	var v11 struct {
		ModelVersion wireModelVersion `json:"model_version"`
	}
	call(t, "GET", mlflowURL(f, "model-versions/get", url.Values{"name": {"credit-risk"}, "version": {"11"}}), nil, &v11)
	var run struct {
		Run wireRun `json:"run"`
	}
	if code := call(t, "GET", mlflowURL(f, "runs/get", url.Values{"run_id": {v11.ModelVersion.RunID}}), nil, &run); code != 200 {
		t.Fatalf("runs/get: status %d", code)
	}
	r := run.Run
	if r.Info.RunID != v11.ModelVersion.RunID || r.Info.RunName == "" || r.Info.Status != "FINISHED" {
		t.Errorf("run info %+v", r.Info)
	}
	if r.Info.EndTime >= v11.ModelVersion.CreationTimestamp || r.Info.StartTime >= r.Info.EndTime {
		t.Errorf("run %d..%d does not precede the version created at %d", r.Info.StartTime, r.Info.EndTime, v11.ModelVersion.CreationTimestamp)
	}
	tags := map[string]string{}
	for _, tg := range r.Data.Tags {
		tags[tg.Key] = tg.Value
	}
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(tags["mlflow.source.git.commit"]) {
		t.Errorf("git commit %q", tags["mlflow.source.git.commit"])
	}
	for _, k := range []string{"mlflow.user", "mlflow.runName", "mlflow.source.name"} {
		if tags[k] == "" {
			t.Errorf("run tag %s missing", k)
		}
	}
	if !slices.ContainsFunc(r.Data.Metrics, func(m wireMetric) bool { return m.Key == "auc" && m.Value == 0.88 }) {
		t.Errorf("offline auc .88 missing from %v", r.Data.Metrics)
	}
	if len(r.Inputs.DatasetInputs) != 1 {
		t.Fatalf("dataset inputs %v", r.Inputs.DatasetInputs)
	}
	in := r.Inputs.DatasetInputs[0]
	if in.Dataset.Name != "credit-train" || in.Dataset.Digest == "" || in.Dataset.SourceType == "" || in.Dataset.Source == "" ||
		!slices.Equal(in.Tags, []wireTag{{"mlflow.data.context", "training"}}) {
		t.Errorf("dataset input %+v", in)
	}

	var hist struct {
		Metrics []wireMetric `json:"metrics"`
	}
	call(t, "GET", mlflowURL(f, "metrics/get-history", url.Values{"run_id": {r.Info.RunID}, "metric_key": {"auc"}}), nil, &hist)
	if n := len(hist.Metrics); n < 2 || hist.Metrics[n-1].Value != 0.88 || hist.Metrics[0].Step >= hist.Metrics[n-1].Step {
		t.Errorf("auc history %v", hist.Metrics)
	}
	var e struct {
		ErrorCode string `json:"error_code"`
	}
	if code := call(t, "GET", mlflowURL(f, "runs/get", url.Values{"run_id": {"0000"}}), nil, &e); code != 404 || e.ErrorCode != "RESOURCE_DOES_NOT_EXIST" {
		t.Errorf("missing run: status %d %+v", code, e)
	}
}

func TestRegistryAliasDeleteAndCreate(t *testing.T) {
	f := startManual(t, 24)
	before := modelUpdated(t, f, "search-ranker")
	// The official client sends DELETE parameters as a JSON body.
	if code := call(t, "DELETE", mlflowURL(f, "registered-models/alias", nil), map[string]string{"name": "search-ranker", "alias": "challenger"}, nil); code != 200 {
		t.Fatalf("delete alias (body): status %d", code)
	}
	if code := call(t, "DELETE", mlflowURL(f, "registered-models/alias", url.Values{"name": {"search-ranker"}, "alias": {"champion"}}), nil, nil); code != 200 {
		t.Fatalf("delete alias (query): status %d", code)
	}
	var e struct {
		ErrorCode string `json:"error_code"`
	}
	if code := call(t, "GET", mlflowURL(f, "registered-models/alias", url.Values{"name": {"search-ranker"}, "alias": {"champion"}}), nil, &e); code != 404 {
		t.Errorf("deleted alias still resolves: status %d", code)
	}
	if after := modelUpdated(t, f, "search-ranker"); after <= before {
		t.Errorf("last_updated_timestamp did not move: %d -> %d", before, after)
	}

	var created struct {
		ModelVersion wireModelVersion `json:"model_version"`
	}
	body := map[string]any{"name": "eta-predictor", "source": "s3://bucket/model", "tags": []wireTag{{"k", "v"}}}
	if code := call(t, "POST", mlflowURL(f, "model-versions/create", nil), body, &created); code != 200 || created.ModelVersion.Version != "10" {
		t.Errorf("create: status %d %+v", code, created.ModelVersion)
	}
	if code := call(t, "POST", mlflowURL(f, "model-versions/set-tag", nil), map[string]string{"name": "eta-predictor", "version": "10", "key": "validation_status", "value": "passed"}, nil); code != 200 {
		t.Errorf("set-tag: status %d", code)
	}
	if code := call(t, "POST", mlflowURL(f, "registered-models/alias", nil), map[string]string{"name": "eta-predictor", "alias": "latest", "version": "10"}, &e); code != 400 {
		t.Errorf("reserved alias: status %d", code)
	}
}

package mlflow

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/poll"
)

var _ poll.RegistrySource = (*Source)(nil)

func modelNamed(t *testing.T, reg fleet.Registry, name string) fleet.RegisteredModel {
	t.Helper()
	for _, m := range reg.Models {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("model %q not in registry", name)
	return fleet.RegisteredModel{}
}

func versionNumbers(vs []fleet.RegisteredVersion) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Version)
	}
	return out
}

func TestPagination(t *testing.T) {
	f := newFakeRegistry(3)
	for i := range 8 {
		f.addModel(fmt.Sprintf("m%d", i), 1000, 1)
	}
	f.addModel("big", 1000, 8)
	c := f.serve(t)

	all, err := c.AllRegisteredModels(context.Background(), "")
	if err != nil || len(all) != 9 {
		t.Fatalf("%d models, %v", len(all), err)
	}
	if n := f.count(pathModelsSearch); n != 3 {
		t.Errorf("%d model pages, want 3", n)
	}
	vs, err := c.AllModelVersions(context.Background(), "big")
	if err != nil || len(vs) != 8 {
		t.Fatalf("%d versions, %v", len(vs), err)
	}
	if n := f.count(pathVersionsSearch); n != 3 {
		t.Errorf("%d version pages, want 3", n)
	}

	reg, err := NewSource(c, SourceOptions{}).Registry(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Models) != 9 {
		t.Errorf("%d models", len(reg.Models))
	}
	if got := versionNumbers(modelNamed(t, reg, "big").Versions); !reflect.DeepEqual(got, []string{"8", "7", "6", "5", "4", "3", "2", "1"}) {
		t.Errorf("versions = %v, want newest first", got)
	}
}

func TestRepeatedPageTokenStops(t *testing.T) {
	c, _, _ := newScripted(t, nil,
		cannedResponse{200, nil, `{"registered_models":[{"name":"a"}],"next_page_token":"x"}`},
		cannedResponse{200, nil, `{"registered_models":[{"name":"b"}],"next_page_token":"x"}`})
	if _, err := c.AllRegisteredModels(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "repeated page token") {
		t.Errorf("err = %v", err)
	}
}

func TestRegistryMapping(t *testing.T) {
	f := newFakeRegistry(100)
	f.models = []RegisteredModel{
		{Name: "churn", LastUpdatedTimestamp: 5, Description: "churn model",
			Tags:    []Tag{{"team", "growth"}},
			Aliases: []RegisteredModelAlias{{"champion", "2"}, {"shadow", "2"}, {"challenger", "3"}}},
		// A server that reports aliases only on versions.
		{Name: "legacy", LastUpdatedTimestamp: 5},
		{Name: "greeting", LastUpdatedTimestamp: 5, Tags: []Tag{{tagIsPrompt, "true"}}},
	}
	f.versions["churn"] = []ModelVersion{
		{Name: "churn", Version: "1", Source: "s3://a/1"}, // no run
		{Name: "churn", Version: "2", RunID: "r2", UserID: "ana", CurrentStage: "Production", Status: "READY", CreationTimestamp: 1700000000000},
		{Name: "churn", Version: "3", RunID: "r3", Aliases: []string{"stale-alias"},
			ModelMetrics: []Metric{{Key: "auc", Value: 0.7, Step: 1}, {Key: "auc", Value: 0.8, Step: 2}}},
	}
	f.versions["legacy"] = []ModelVersion{{Name: "legacy", Version: "4", Aliases: []string{"prod"}}}
	f.versions["greeting"] = []ModelVersion{{Name: "greeting", Version: "1", RunID: "rp"}}
	f.runs["r2"] = Run{
		Info: RunInfo{RunID: "r2", Status: "FINISHED"},
		Data: RunData{
			Tags: []Tag{{tagRunName, "from-tag"}, {tagGitCommit, "abc123"}, {tagUser, "bob"}},
			Metrics: []Metric{
				{Key: "auc", Value: 0.91, Step: 10, Timestamp: 5},
				{Key: "auc", Value: 0.85, Step: 9, Timestamp: 9},
				{Key: "rmse", Value: Float(nanValue()), Step: 1},
			},
		},
		Inputs: RunInputs{DatasetInputs: []DatasetInput{
			{Tags: []Tag{{tagDataContext, "eval"}}, Dataset: Dataset{Name: "holdout", Digest: "d0"}},
			{Tags: []Tag{{tagDataContext, "training"}}, Dataset: Dataset{Name: "train", Digest: "d1", Source: "s3://data/train"}},
		}},
	}
	f.runs["r3"] = Run{Info: RunInfo{RunID: "r3", RunName: "third", UserID: "carol", Status: "FINISHED"},
		Inputs: RunInputs{DatasetInputs: []DatasetInput{{Dataset: Dataset{Name: "only", Digest: "d3"}}}}}
	c := f.serve(t)

	reg, err := NewSource(c, SourceOptions{}).Registry(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Models) != 2 {
		t.Fatalf("models = %v; the prompt must be skipped", reg.Models)
	}
	if f.count(pathVersionsSearch) != 2 || f.count(pathRunsGet) != 2 {
		t.Errorf("requests %v: no version search for the prompt, no run for a version without one", f.resetCounts())
	}

	churn := modelNamed(t, reg, "churn")
	if churn.Description != "churn model" || churn.Tags["team"] != "growth" ||
		!reflect.DeepEqual(churn.Aliases, map[string]string{"champion": "2", "shadow": "2", "challenger": "3"}) {
		t.Errorf("churn = %+v", churn)
	}
	v3, v2, v1 := churn.Versions[0], churn.Versions[1], churn.Versions[2]
	if v1.Lineage.RunID != "" || v1.Lineage.Source != "s3://a/1" || v1.Baseline != nil || v1.Aliases != nil || v1.Lineage.Dataset != nil {
		t.Errorf("v1 = %+v", v1)
	}
	wantV2 := fleet.Lineage{RunID: "r2", RunName: "from-tag", GitCommit: "abc123", CreatedBy: "ana", Stage: "Production", Status: "READY",
		CreatedAt: time.UnixMilli(1700000000000).UTC(), Dataset: &fleet.Dataset{Name: "train", Digest: "d1", Source: "s3://data/train"}}
	if !reflect.DeepEqual(v2.Lineage, wantV2) {
		t.Errorf("v2 lineage = %+v\nwant %+v", v2.Lineage, wantV2)
	}
	if !reflect.DeepEqual(v2.Baseline, map[string]float64{"auc": 0.91}) || !reflect.DeepEqual(v2.Aliases, []string{"champion", "shadow"}) {
		t.Errorf("v2 baseline %v aliases %v", v2.Baseline, v2.Aliases)
	}
	if v3.Lineage.RunName != "third" || v3.Lineage.CreatedBy != "carol" || v3.Lineage.Dataset.Name != "only" ||
		!reflect.DeepEqual(v3.Aliases, []string{"challenger"}) || !reflect.DeepEqual(v3.Baseline, map[string]float64{"auc": 0.8}) {
		t.Errorf("v3 = %+v (model aliases win over the version's; model_metrics stand in for run metrics)", v3)
	}

	legacy := modelNamed(t, reg, "legacy")
	if !reflect.DeepEqual(legacy.Aliases, map[string]string{"prod": "4"}) || !reflect.DeepEqual(legacy.Versions[0].Aliases, []string{"prod"}) {
		t.Errorf("legacy aliases %v / %v", legacy.Aliases, legacy.Versions[0].Aliases)
	}
}

func nanValue() float64 { var z float64; return z / z }

func TestConditionalWork(t *testing.T) {
	f := newFakeRegistry(3)
	for i := range 7 {
		f.addModel(fmt.Sprintf("m%d", i), 1000, 3)
	}
	c := f.serve(t)
	clock := &manualClock{t: time.Unix(1_700_000_000, 0)}
	src := NewSource(c, SourceOptions{Now: clock.Now, MaxAge: time.Hour})
	ctx := context.Background()

	first, err := src.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := f.resetCounts()
	if got[pathModelsSearch] != 3 || got[pathVersionsSearch] != 7 || got[pathRunsGet] != 21 {
		t.Errorf("first read: %v", got)
	}

	second, err := src.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.resetCounts(); !reflect.DeepEqual(got, map[string]int{pathModelsSearch: 3}) {
		t.Errorf("unchanged read made %v, want only the 3 search pages", got)
	}
	if !reflect.DeepEqual(first, second) {
		t.Error("unchanged registry read differently")
	}

	// A new version moves the model's timestamp: only that model's versions
	// are searched again (two pages now), and only the new run is read.
	f.mu.Lock()
	f.versions["m2"] = append(f.versions["m2"], ModelVersion{Name: "m2", Version: "4", RunID: "new-run"})
	f.runs["new-run"] = Run{Info: RunInfo{RunID: "new-run", Status: "RUNNING"}}
	f.mu.Unlock()
	f.touch("m2", 2000)
	third, err := src.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{pathModelsSearch: 3, pathVersionsSearch: 2, pathRunsGet: 1}
	if got := f.resetCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("after a new version: %v, want %v", got, want)
	}
	if got := versionNumbers(modelNamed(t, third, "m2").Versions); !reflect.DeepEqual(got, []string{"4", "3", "2", "1"}) {
		t.Errorf("m2 versions = %v", got)
	}

	// The model changes again: its unfinished run is read again, finished ones are not.
	f.touch("m2", 3000)
	if _, err := src.Registry(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.resetCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("second change: %v, want %v", got, want)
	}

	// MaxAge: unchanged models are re-read eventually, but settled runs are not.
	clock.Add(2 * time.Hour)
	if _, err := src.Registry(ctx); err != nil {
		t.Fatal(err)
	}
	want = map[string]int{pathModelsSearch: 3, pathVersionsSearch: 6 + 2, pathRunsGet: 1}
	if got := f.resetCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("after MaxAge: %v, want %v", got, want)
	}
}

func TestAliasMoveWithoutTimestamp(t *testing.T) {
	f := newFakeRegistry(10)
	f.addModel("m", 1000, 2)
	f.models[0].Aliases = []RegisteredModelAlias{{"champion", "1"}}
	c := f.serve(t)
	src := NewSource(c, SourceOptions{})
	if _, err := src.Registry(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.models[0].Aliases = []RegisteredModelAlias{{"champion", "2"}}
	f.mu.Unlock()
	f.resetCounts()
	reg, err := src.Registry(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := modelNamed(t, reg, "m")
	if m.Aliases["champion"] != "2" || !reflect.DeepEqual(m.Versions[0].Aliases, []string{"champion"}) || m.Versions[1].Aliases != nil {
		t.Errorf("aliases %v, versions %+v", m.Aliases, m.Versions)
	}
	if n := f.count(pathVersionsSearch); n != 0 {
		t.Errorf("%d version searches for an alias move", n)
	}
}

// A read cut short by a deadline keeps what it read for the next call,
// whether ctx's deadline or a request's own passed first (they may pass an
// instant apart); a server's error drops it, since the listing may be bad.
func TestStoppedKeepsTheReadOnTimeouts(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		keep bool
	}{
		{"a request's own deadline", fmt.Errorf("get: %w", context.DeadlineExceeded), true},
		{"a server error", errors.New("HTTP 500"), false},
	} {
		s := &Source{}
		s.cycle = &readCycle{runsRead: map[string]bool{}, runFailed: map[string]bool{}}
		_ = s.stopped(context.Background(), c.err)
		if (s.cycle != nil) != c.keep {
			t.Errorf("%s: cycle kept %v, want %v", c.name, s.cycle != nil, c.keep)
		}
	}
}

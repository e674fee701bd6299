package mlflow

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestPartialFailureKeepsEarlierData(t *testing.T) {
	f := newFakeRegistry(10)
	f.addModel("a", 1000, 2)
	f.addModel("b", 1000, 2)
	f.addModel("c", 1000, 1)
	f.failVersions["c"] = 500
	c := f.serve(t)
	src := NewSource(c, SourceOptions{})
	ctx := context.Background()

	reg, err := src.Registry(ctx)
	if err != nil {
		t.Fatalf("one model failing must not fail the read: %v", err)
	}
	if m := modelNamed(t, reg, "c"); m.Versions != nil {
		t.Errorf("c has versions %v though they could not be read", m.Versions)
	}
	if len(modelNamed(t, reg, "a").Versions) != 2 {
		t.Error("a lost its versions")
	}
	if err := src.LastPartial(); !errors.Is(err, ErrPartial) || !strings.Contains(err.Error(), `versions of model "c"`) {
		t.Errorf("LastPartial = %v", err)
	}

	// a changes but its versions fail now: the earlier read stands.
	f.failVersions["a"] = 503
	f.touch("a", 2000)
	reg, err = src.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := versionNumbers(modelNamed(t, reg, "a").Versions); !reflect.DeepEqual(got, []string{"2", "1"}) {
		t.Errorf("a versions = %v, want the cached ones", got)
	}

	// Everything recovers.
	clear(f.failVersions)
	if _, err := src.Registry(ctx); err != nil || src.LastPartial() != nil {
		t.Errorf("recovered read: %v / %v", err, src.LastPartial())
	}
}

func TestNothingReadableIsAnError(t *testing.T) {
	f := newFakeRegistry(10)
	f.addModel("a", 1000, 1)
	f.addModel("b", 1000, 1)
	f.failVersions["a"] = 500
	f.failVersions["b"] = 500
	src := NewSource(f.serve(t), SourceOptions{})
	if _, err := src.Registry(context.Background()); err == nil || !strings.Contains(err.Error(), "no model's versions could be read") {
		t.Errorf("err = %v", err)
	}

	empty := NewSource(newFakeRegistry(10).serve(t), SourceOptions{})
	if reg, err := empty.Registry(context.Background()); err != nil || len(reg.Models) != 0 {
		t.Errorf("empty registry: %v, %v", reg, err)
	}
}

func TestFailedRunIsRetriedNextRead(t *testing.T) {
	f := newFakeRegistry(10)
	f.addModel("a", 1000, 2)
	f.failRuns["run-a-2"] = 500
	src := NewSource(f.serve(t), SourceOptions{})
	ctx := context.Background()

	reg, err := src.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v := modelNamed(t, reg, "a").Versions[0]; v.Version != "2" || v.Baseline != nil || v.Lineage.RunID != "run-a-2" {
		t.Errorf("v2 = %+v", v)
	}
	if !errors.Is(src.LastPartial(), ErrPartial) {
		t.Errorf("LastPartial = %v", src.LastPartial())
	}

	clear(f.failRuns)
	f.resetCounts()
	reg, err = src.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.resetCounts(); got[pathRunsGet] != 1 || got[pathVersionsSearch] != 1 {
		t.Errorf("retry made %v, want the failed run only", got)
	}
	if v := modelNamed(t, reg, "a").Versions[0]; v.Baseline["auc"] != 0.9 || v.Lineage.RunName != "train-2" {
		t.Errorf("v2 after retry = %+v", v)
	}
}

func TestDeniedRunIsNotRetriedEveryPoll(t *testing.T) {
	f := newFakeRegistry(10)
	f.addModel("a", 1000, 2)
	f.failRuns["run-a-1"] = 403
	src := NewSource(f.serve(t), SourceOptions{})
	ctx := context.Background()
	reg, err := src.Registry(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.LastPartial(); err == nil || !strings.Contains(err.Error(), "permission denied (403)") {
		t.Errorf("LastPartial = %v", err)
	}
	if v := modelNamed(t, reg, "a").Versions[1]; v.Version != "1" || v.Baseline != nil || v.Lineage.RunID != "run-a-1" {
		t.Errorf("v1 = %+v", v)
	}
	f.resetCounts()
	if _, err := src.Registry(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.resetCounts(); !reflect.DeepEqual(got, map[string]int{pathModelsSearch: 1}) {
		t.Errorf("unchanged model with a denied run made %v", got)
	}
	// When the model changes, the denied run is asked for again.
	f.touch("a", 2000)
	if _, err := src.Registry(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.resetCounts(); got[pathRunsGet] != 1 {
		t.Errorf("after a change: %v", got)
	}
}

func TestRegistryHonoursContextAndKeepsProgress(t *testing.T) {
	f := newFakeRegistry(10)
	f.addModel("a", 1000, 1)
	f.addModel("b", 1000, 1)
	c := f.serve(t)
	c.concurrency = 1 // runs are read in order: a's, then b's
	src := NewSource(c, SourceOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.onRun = func(r *http.Request) {
		if r.URL.Query().Get("run_id") == "run-b-1" {
			cancel()
			<-r.Context().Done() // answer only once the client has given up
		}
	}
	if _, err := src.Registry(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	f.onRun = nil
	f.resetCounts()
	reg, err := src.Registry(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// a was read completely before the cancel, and b's versions too: the
	// read resumes with b's run alone.
	want := map[string]int{pathRunsGet: 1}
	if got := f.resetCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("after a cancelled read: %v, want %v", got, want)
	}
	if v := modelNamed(t, reg, "b").Versions[0]; v.Lineage.RunName != "train-1" {
		t.Errorf("b v1 = %+v", v)
	}
	if src.Name() != "mlflow" || src.Kind() != "mlflow" {
		t.Errorf("name %q kind %q", src.Name(), src.Kind())
	}
}

package actions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// RolloutInspection is what the Kubernetes API says of a model's Rollout
// now, beyond what the controller's metrics carry: why it is paused and
// until when, the controller's message, and each analysis run of the
// revision being rolled out with what every metric measured.
type RolloutInspection struct {
	Rollout string // namespace/name
	Host    string // the API server, for "read from …"
	// Found is false when the API has no such Rollout (NotFound says which
	// name was looked up).
	Found    bool
	NotFound string
	Phase    string
	Aborted  bool
	Step     string // "2/4", "" without canary steps
	Paused   string // "CanaryPauseStep since 05:50 UTC until 06:00 UTC"; "" when not paused
	Message  string // the controller's status.message
	Analysis []AnalysisRunDetail
	// AnalysisErr says why the analysis runs could not be listed (the
	// rollout itself was read).
	AnalysisErr string
	ReadAt      time.Time
}

// AnalysisRunDetail is one AnalysisRun of the revision.
type AnalysisRunDetail struct {
	Name    string
	Type    string // Step, Background, PrePromotion, PostPromotion; "" when unlabelled
	Phase   string
	Message string // why it ended as it did
	Metrics []AnalysisMetricDetail
}

// AnalysisMetricDetail is one metric of a run: its phase, the value its
// latest measurement took, the counts, and the message of a failure.
type AnalysisMetricDetail struct {
	Name         string
	Phase        string
	Measured     string // the latest measurement's value; "" when none was taken
	Message      string
	Count        int
	Successful   int
	Failed       int
	Inconclusive int
	Error        int
}

// ErrNoRolloutAPI means no action reads a Kubernetes API for rollouts.
var ErrNoRolloutAPI = errors.New("no rollout action of kind argo-rollouts is configured")

// inspectCache shares one read per model among the dashboards of one
// executor (mltop serve's sessions), for as long as a refresh lasts.
type inspectCache struct {
	mu     sync.Mutex
	ttl    time.Duration
	seen   map[string]inspected
	flight singleflight.Group
}

type inspected struct {
	at  time.Time
	ins RolloutInspection
	err error
}

// inspectShared is how long one read answers every dashboard asking: a
// refresh interval, so twenty sessions on one model make one request.
const inspectShared = 2 * time.Second

// InspectsRollouts reports whether InspectRollout can answer.
func (e *Executor) InspectsRollouts() bool { _, _, ok := e.rolloutReader(); return ok }

// rolloutReader is the adapter of any argo-rollouts action, with its
// spec: all of them read the same API with the same keys.
func (e *Executor) rolloutReader() (*rolloutAdapter, Spec, bool) {
	for _, s := range e.specs {
		if a, ok := e.adapters[s.Action].(*rolloutAdapter); ok {
			return a, s, true
		}
	}
	return nil, Spec{}, false
}

// InspectRollout reads the model's Rollout and the AnalysisRuns of its
// current revision. tags are the model's registry tags (serving.rollout
// names the Rollout). It changes nothing and writes no audit record.
func (e *Executor) InspectRollout(ctx context.Context, model string, tags map[string]string) (RolloutInspection, error) {
	a, s, ok := e.rolloutReader()
	if !ok {
		return RolloutInspection{}, ErrNoRolloutAPI
	}
	key := model + "\x00" + tags[RolloutTag]
	if c, ok := e.inspect.get(key); ok {
		return c.ins, c.err
	}
	// Sessions asking at once share the one read in flight; it runs under
	// the action's time limit, not under the first asker's cancellation.
	v, _, _ := e.inspect.flight.Do(key, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout(s.cfg))
		defer cancel()
		ins, err := a.inspect(rctx, TemplateData{Model: model, tags: tags})
		r := inspected{at: time.Now(), ins: ins, err: err}
		e.inspect.put(key, r)
		return r, nil
	})
	r := v.(inspected)
	return r.ins, r.err
}

// get is the read of key if it is younger than the ttl.
func (c *inspectCache) get(key string) (inspected, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.seen[key]
	return r, ok && time.Since(r.at) < c.ttl
}

// put keeps r and drops the reads that have outlived the ttl, so a model
// or a serving.rollout tag gone from the registry leaves nothing behind.
func (c *inspectCache) put(key string, r inspected) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]inspected{}
	}
	for k, old := range c.seen {
		if r.at.Sub(old.at) >= c.ttl {
			delete(c.seen, k)
		}
	}
	c.seen[key] = r
}

func (a *rolloutAdapter) inspect(ctx context.Context, d TemplateData) (RolloutInspection, error) {
	ns, name, err := a.locate(d)
	if err != nil {
		return RolloutInspection{}, err
	}
	ins := RolloutInspection{Rollout: ns + "/" + name, Host: a.api.host(), ReadAt: time.Now()}
	b, err := a.api.do(ctx, "GET", rolloutPath(ns, name, ""), "", nil)
	if err != nil {
		err = plainKubeError(err, "get", "rollouts", ns, name)
		if se, ok := err.(*statusError); ok && se.status == 404 {
			ins.NotFound = fmt.Sprintf("rollout %s/%s not found on %s", ns, name, ins.Host)
			return ins, nil
		}
		return ins, fmt.Errorf("read rollout %s/%s: %w", ns, name, err)
	}
	obj, err := parseRollout(b)
	if err != nil {
		return ins, err
	}
	ins.Found = true
	ins.Phase, ins.Aborted, ins.Step = obj.phase(), obj.Status.Abort, obj.step()
	ins.Paused = obj.pausedBy()
	ins.Message = strings.TrimSpace(obj.Status.Message)
	runs, err := a.revisionRuns(ctx, obj)
	if err != nil {
		ins.AnalysisErr = err.Error()
	}
	ins.Analysis = runs
	return ins, nil
}

// analysisRunList is the list of AnalysisRuns, each as the plan reads
// one, with the metadata that ties it to its rollout.
type analysisRunList struct {
	Items []struct {
		Metadata struct {
			Name              string            `json:"name"`
			CreationTimestamp string            `json:"creationTimestamp"`
			Labels            map[string]string `json:"labels"`
			OwnerReferences   []struct {
				Kind string `json:"kind"`
				Name string `json:"name"`
				UID  string `json:"uid"`
			} `json:"ownerReferences"`
		} `json:"metadata"`
		analysisRunObject
	} `json:"items"`
}

// The labels the controller puts on the AnalysisRuns it creates.
const (
	podTemplateHashLabel = "rollouts-pod-template-hash"
	rolloutTypeLabel     = "rollout-type"
)

// revisionRuns lists the AnalysisRuns the controller made for the
// revision being rolled out (its pod-template hash) and owned by this
// Rollout, oldest first: the same runs the controller's metrics count.
func (a *rolloutAdapter) revisionRuns(ctx context.Context, r *rolloutObject) ([]AnalysisRunDetail, error) {
	hash := r.Status.CurrentPodHash
	if hash == "" {
		return nil, nil
	}
	ns := r.Metadata.Namespace
	path := "/apis/argoproj.io/v1alpha1/namespaces/" + url.PathEscape(ns) + "/analysisruns?labelSelector=" +
		url.QueryEscape(podTemplateHashLabel+"="+hash)
	b, err := a.api.do(ctx, "GET", path, "", nil)
	if err != nil {
		return nil, fmt.Errorf("list analysis runs: %w", plainKubeError(err, "list", "analysisruns", ns, r.Metadata.Name))
	}
	var list analysisRunList
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("list analysis runs: %w", err)
	}
	type dated struct {
		at  string
		run AnalysisRunDetail
	}
	var runs []dated
	for _, it := range list.Items {
		owned := false
		for _, o := range it.Metadata.OwnerReferences {
			owned = owned || o.Kind == "Rollout" && o.Name == r.Metadata.Name && (r.Metadata.UID == "" || o.UID == r.Metadata.UID)
		}
		if !owned {
			continue
		}
		runs = append(runs, dated{it.Metadata.CreationTimestamp, runDetail(it.Metadata.Name, it.Metadata.Labels[rolloutTypeLabel], it.analysisRunObject)})
	}
	sort.SliceStable(runs, func(i, j int) bool {
		if runs[i].at != runs[j].at {
			return runs[i].at < runs[j].at // RFC 3339 in UTC sorts as time
		}
		return runs[i].run.Name < runs[j].run.Name
	})
	out := make([]AnalysisRunDetail, len(runs))
	for i, d := range runs {
		out[i] = d.run
	}
	return out, nil
}

func runDetail(name, typ string, run analysisRunObject) AnalysisRunDetail {
	d := AnalysisRunDetail{Name: name, Type: typ, Phase: or(run.Status.Phase, "Pending"), Message: strings.TrimSpace(run.Status.Message)}
	for _, m := range run.Status.MetricResults {
		x := AnalysisMetricDetail{Name: m.Name, Phase: or(m.Phase, "Pending"), Message: strings.TrimSpace(m.Message),
			Count: m.Count, Successful: m.Successful, Failed: m.Failed, Inconclusive: m.Inconclusive, Error: m.Error}
		if n := len(m.Measurements); n > 0 {
			last := m.Measurements[n-1]
			x.Measured = strings.TrimSpace(last.Value)
			if x.Message == "" {
				x.Message = strings.TrimSpace(last.Message)
			}
		}
		d.Metrics = append(d.Metrics, x)
	}
	// By name, as the metrics list them: the controller appends results
	// in the order the measurements ended.
	sort.Slice(d.Metrics, func(i, j int) bool { return d.Metrics[i].Name < d.Metrics[j].Name })
	return d
}

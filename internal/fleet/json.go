package fleet

import (
	"encoding/json"
	"time"
)

// The JSON form of a snapshot is a stable contract (docs/snapshot.md):
// fields may be added, never renamed or removed without bumping SchemaVersion.
// It is written through these DTOs so the Go types can stay idiomatic while
// unknown values come out as null, never 0 or "".

type snapshotJSON struct {
	Schema  int          `json:"schema"`
	TakenAt string       `json:"taken_at"`
	Sources []sourceJSON `json:"sources"`
	Queries []queryJSON  `json:"queries"`
	Models  []modelJSON  `json:"models"`
	// Alerts was added to schema 1: null without an alert source.
	Alerts *alertsJSON `json:"alerts"`
	// Live and LookBack were added to schema 1: live is false, and
	// look_back set, on a snapshot of a past time.
	Live     bool          `json:"live"`
	LookBack *lookBackJSON `json:"look_back"`
	// Context was added to schema 1: the config context the snapshot is
	// of; null for a config without contexts.
	Context *string `json:"context"`
}

type sourceJSON struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Backend     *string  `json:"backend"`
	OK          bool     `json:"ok"`
	LatencyMS   int64    `json:"latency_ms"`
	Error       *string  `json:"error"`
	Warnings    []string `json:"warnings"`
	LastSuccess *string  `json:"last_success"`
	AgeSeconds  *float64 `json:"age_seconds"`
	// Targets is null for a source that scrapes nothing itself.
	Targets []targetJSON `json:"targets"`
	// Progress was added to schema 1: null unless a read is under way.
	Progress *progressJSON `json:"progress"`
	// Recorded was added to schema 1: null unless recorded series are
	// looked for.
	Recorded *recordedJSON `json:"recorded"`
	// Profiles, ProfilesDetected and ProfilesProblem were added to
	// schema 1: the metrics source's profiles, null for other sources.
	Profiles         []string `json:"profiles"`
	ProfilesDetected *bool    `json:"profiles_detected"`
	ProfilesProblem  *string  `json:"profiles_problem"`
}

type recordedJSON struct {
	Roles []string `json:"roles"`
	Of    int      `json:"of"`
}

type targetJSON struct {
	URL         string             `json:"url"`
	Up          bool               `json:"up"`
	Error       *string            `json:"error"`
	LastScrape  *string            `json:"last_scrape"`
	LastSuccess *string            `json:"last_success"`
	AgeSeconds  *float64           `json:"age_seconds"` // of its data: since the last success
	Series      []modelVersionJSON `json:"series"`
}

type modelVersionJSON struct {
	Model   string  `json:"model"`
	Version *string `json:"version"`
}

type progressJSON struct {
	Done  int    `json:"done"`
	Total *int   `json:"total"`
	Unit  string `json:"unit"`
}

type queryJSON struct {
	Name       string   `json:"name"`
	Role       string   `json:"role"`
	Source     string   `json:"source"`
	OK         bool     `json:"ok"`
	Error      *string  `json:"error"`
	Series     int      `json:"series"`
	DurationMS int64    `json:"duration_ms"`
	AgeSeconds *float64 `json:"age_seconds"`
}

type modelJSON struct {
	Name        string            `json:"name"`
	ServingName *string           `json:"serving_name"`
	Description *string           `json:"description"`
	Tags        map[string]string `json:"tags"`
	Aliases     map[string]string `json:"aliases"`
	Rollout     *rolloutJSON      `json:"rollout"`
	Health      healthJSON        `json:"health"`
	InRegistry  bool              `json:"in_registry"`
	Serving     bool              `json:"serving"`
	Versions    []versionJSON     `json:"versions"`
	// Alerts was added to schema 1: null when unknown.
	Alerts []alertJSON `json:"alerts"`
}

type rolloutJSON struct {
	Phase     *string            `json:"phase"`
	Strategy  *string            `json:"strategy"`
	Stable    *string            `json:"stable"`
	Candidate *string            `json:"candidate"`
	Weights   map[string]float64 `json:"weights"`
	Step      *int               `json:"step"`
	Steps     *int               `json:"steps"`
	SetWeight *float64           `json:"set_weight"`
	Analysis  []analysisRunJSON  `json:"analysis"`
}

type analysisRunJSON struct {
	Name    string               `json:"name"`
	Phase   string               `json:"phase"`
	Metrics []analysisMetricJSON `json:"metrics"`
}

type analysisMetricJSON struct {
	Name  string `json:"name"`
	Phase string `json:"phase"`
}

type versionJSON struct {
	Version           string                `json:"version"`
	Track             *string               `json:"track"`
	TrafficWeight     *float64              `json:"traffic_weight"`
	RequestsPerSecond *float64              `json:"requests_per_second"`
	ErrorRate         *float64              `json:"error_rate"`
	Latency           latencyJSON           `json:"latency_seconds"`
	Performance       map[string]float64    `json:"performance"`
	PerformanceCI     map[string][2]float64 `json:"performance_ci"`
	Baseline          map[string]float64    `json:"baseline"`
	Drift             *driftJSON            `json:"drift"`
	GroundTruth       groundTruthJSON       `json:"ground_truth"`
	Lineage           *lineageJSON          `json:"lineage"`
	Health            healthJSON            `json:"health"`
	InRegistry        bool                  `json:"in_registry"`
	Serving           bool                  `json:"serving"`
	WarmingUp         bool                  `json:"warming_up"`
	StaleSince        *string               `json:"stale_since"`
	DataAgeSeconds    *float64              `json:"data_age_seconds"` // null while fresh
	// Judged (internal/judge); added to schema 1.
	ErrorStatus     string       `json:"error_status"`
	Quality         *qualityJSON `json:"quality"`
	Data            dataJSON     `json:"data"`
	DuplicateSeries []string     `json:"duplicate_series"`
	// Quality estimated without labels; added to schema 1.
	EstimatedPerformance map[string]estimateJSON `json:"estimated_performance"`
	Calibration          *calibrationJSON        `json:"calibration"`
	// Data quality; added to schema 1.
	DataQuality *dataQualityJSON `json:"data_quality"`
	// The profile that answered, when several combine; added to schema 1.
	Profile *string `json:"profile"`
}

type qualityJSON struct {
	Metric         string      `json:"metric"`
	Live           *float64    `json:"live"`
	Baseline       *float64    `json:"baseline"`
	Delta          *float64    `json:"delta"`
	Relative       bool        `json:"relative"`
	LowerIsBetter  bool        `json:"lower_is_better"`
	Labels         *float64    `json:"labels"`
	Interval       *[2]float64 `json:"interval"`
	IntervalMethod *string     `json:"interval_method"`
	Verdict        *string     `json:"verdict"`
	Noise          *string     `json:"noise"`
	LowConfidence  bool        `json:"low_confidence"`
	Estimated      bool        `json:"estimated"`
	Measured       *float64    `json:"measured"`
	StdError       *float64    `json:"std_error"`
}

type dataJSON struct {
	Stale      bool     `json:"stale"`
	StaleSince *string  `json:"stale_since"`
	Problems   []string `json:"problems"`
}

type latencyJSON struct {
	P50  *float64 `json:"p50"`
	P95  *float64 `json:"p95"`
	P99  *float64 `json:"p99"`
	Mean *float64 `json:"mean"`
	Kind *string  `json:"kind"`
}

type groundTruthJSON struct {
	LabeledFraction     *float64 `json:"labeled_fraction"`
	DelayP50Seconds     *float64 `json:"delay_p50_seconds"`
	DelayP95Seconds     *float64 `json:"delay_p95_seconds"`
	LastLabelAgeSeconds *float64 `json:"last_label_age_seconds"`
	Labels              *float64 `json:"labels"`
	QualityAsOf         *string  `json:"quality_as_of"`
	LowConfidence       bool     `json:"low_confidence"`
	Old                 bool     `json:"labels_old"`
	FewLabelled         bool     `json:"few_labelled"`
	PredatesVersion     bool     `json:"quality_predates_version"`
}

type datasetJSON struct {
	Name   string  `json:"name"`
	Digest *string `json:"digest"`
	Source *string `json:"source"`
}

type lineageJSON struct {
	RunID     *string      `json:"run_id"`
	RunName   *string      `json:"run_name"`
	Source    *string      `json:"source"`
	Dataset   *datasetJSON `json:"dataset"`
	GitCommit *string      `json:"git_commit"`
	CreatedAt *string      `json:"created_at"`
	CreatedBy *string      `json:"created_by"`
	Stage     *string      `json:"stage"`
	Status    *string      `json:"status"`
}

// MarshalJSON writes the snapshot in the versioned schema.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	out := snapshotJSON{
		Schema:  SchemaVersion,
		TakenAt: s.TakenAt.UTC().Format(time.RFC3339),
		Sources: make([]sourceJSON, 0, len(s.Sources)),
		Queries: make([]queryJSON, 0, len(s.Queries)),
		Models:  make([]modelJSON, 0, len(s.Models)),
	}
	for _, src := range s.Sources {
		j := sourceJSON{
			Name: src.Name, Kind: src.Kind, Backend: str(src.Backend), OK: src.OK,
			LatencyMS: src.Latency.Milliseconds(), Error: str(src.Error),
			Warnings: nonNil(src.Warnings), LastSuccess: timeStr(src.LastSuccess),
			AgeSeconds: age(s.TakenAt, src.LastSuccess), Targets: encodeTargets(s.TakenAt, src.Targets), Progress: progressOf(src.Progress),
			Recorded: recordedOf(src.Recorded),
		}
		if p := src.Profiles; p != nil {
			j.Profiles, j.ProfilesDetected, j.ProfilesProblem = nonNil(p.Names), &p.Detected, str(p.Problem)
		}
		out.Sources = append(out.Sources, j)
	}
	for _, q := range s.Queries {
		out.Queries = append(out.Queries, queryJSON{
			Name: q.Name, Role: string(q.Role), Source: q.Source, OK: q.OK, Error: str(q.Error),
			Series: q.Series, DurationMS: q.Duration.Milliseconds(), AgeSeconds: age(s.TakenAt, q.LastSuccess),
		})
	}
	for i := range s.Models {
		out.Models = append(out.Models, encodeModel(&s.Models[i], s.TakenAt))
	}
	out.Alerts = encodeAlertsState(s.Alerts)
	out.Live = s.Live()
	out.LookBack = encodeLookBack(s.LookBack, out.TakenAt)
	out.Context = str(s.Context)
	return json.Marshal(out)
}

func encodeTargets(now time.Time, ts []ScrapeTarget) []targetJSON {
	if ts == nil {
		return nil
	}
	out := make([]targetJSON, 0, len(ts))
	for _, t := range ts {
		tj := targetJSON{URL: t.URL, Up: t.Up, Error: str(t.Error), LastScrape: timeStr(t.LastScrape),
			LastSuccess: timeStr(t.LastSuccess), AgeSeconds: age(now, t.LastSuccess),
			Series: make([]modelVersionJSON, 0, len(t.Series))}
		for _, mv := range t.Series {
			tj.Series = append(tj.Series, modelVersionJSON{Model: mv.Model, Version: str(mv.Version)})
		}
		out = append(out, tj)
	}
	return out
}

func encodeModel(m *Model, now time.Time) modelJSON {
	mj := modelJSON{
		Name: m.Name, ServingName: str(m.ServingName), Description: str(m.Description), Tags: m.Tags, Aliases: m.Aliases,
		Health: encodeHealth(m.Health), InRegistry: m.InRegistry, Serving: m.Serving,
		Versions: make([]versionJSON, 0, len(m.Versions)), Alerts: encodeAlerts(m.Alerts),
	}
	if r := m.Rollout; r != nil {
		mj.Rollout = &rolloutJSON{
			Phase: str(r.Phase), Strategy: str(r.Strategy), Stable: str(r.Stable), Candidate: str(r.Candidate),
			Weights: cleanMap(r.Weights), Step: r.Step, Steps: r.Steps, SetWeight: num(r.SetWeight),
			Analysis: []analysisRunJSON{},
		}
		for _, a := range r.Analysis {
			aj := analysisRunJSON{Name: a.Name, Phase: a.Phase, Metrics: make([]analysisMetricJSON, 0, len(a.Metrics))}
			for _, x := range a.Metrics {
				aj.Metrics = append(aj.Metrics, analysisMetricJSON(x))
			}
			mj.Rollout.Analysis = append(mj.Rollout.Analysis, aj)
		}
	}
	for i := range m.Versions {
		mj.Versions = append(mj.Versions, encodeVersion(&m.Versions[i], now))
	}
	return mj
}

func encodeVersion(v *Version, now time.Time) versionJSON {
	vj := versionJSON{
		Version: v.Version, Track: str(v.Track), TrafficWeight: num(v.TrafficWeight),
		RequestsPerSecond: num(v.RequestsPerSecond), ErrorRate: num(v.ErrorRate),
		Latency: latencyJSON{
			P50: num(v.Latency.P50), P95: num(v.Latency.P95), P99: num(v.Latency.P99),
			Mean: num(v.Latency.Mean), Kind: str(string(v.Latency.Kind)),
		},
		Performance: cleanMap(v.Performance), PerformanceCI: cleanIntervals(v.PerformanceCI), Baseline: cleanMap(v.Baseline),
		GroundTruth: groundTruthJSON{
			LabeledFraction: num(v.GroundTruth.LabeledFraction), DelayP50Seconds: num(v.GroundTruth.DelayP50Seconds),
			DelayP95Seconds: num(v.GroundTruth.DelayP95Seconds), LastLabelAgeSeconds: num(v.GroundTruth.LastLabelAgeSeconds),
			Labels: num(v.GroundTruth.Labels), QualityAsOf: timeStr(v.GroundTruth.QualityAsOf),
			LowConfidence: v.GroundTruth.LowConfidence, Old: v.GroundTruth.Old, FewLabelled: v.GroundTruth.FewLabelled,
			PredatesVersion: v.GroundTruth.PredatesVersion,
		},
		Health: encodeHealth(v.Health), InRegistry: v.InRegistry, Serving: v.Serving, WarmingUp: v.WarmingUp,
		StaleSince: timeStr(v.StaleSince), DataAgeSeconds: age(now, v.StaleSince),
		ErrorStatus: v.ErrorStatus.String(), Quality: encodeQuality(v.Quality),
		Data:                 dataJSON{Stale: v.Data.Stale, StaleSince: timeStr(v.Data.Since), Problems: nonNil(v.Data.Problems)},
		DuplicateSeries:      make([]string, 0, len(v.DuplicateSeries)),
		EstimatedPerformance: encodeEstimates(v.EstimatedPerformance), Calibration: encodeCalibration(v.Calibration),
		DataQuality: encodeDataQuality(v.DataQuality), Profile: str(v.Profile),
	}
	for _, r := range v.DuplicateSeries {
		vj.DuplicateSeries = append(vj.DuplicateSeries, string(r))
	}
	if d := v.Drift; d != nil {
		dj := &driftJSON{
			Score: num(d.Score), Method: str(d.Method), Threshold: num(d.Threshold), Drifted: d.Drifted,
			Feature: str(d.Feature), Features: make([]featureDriftJSON, 0, len(d.Features)),
			Reference: str(d.Reference), NoData: nonNil(d.NoData), RefError: str(d.ReferenceError),
			TooFew: make([]featureDriftJSON, 0, len(d.TooFew)),
			Judged: d.Judged, DriftedFeatures: nonNil(d.DriftedFeatures),
		}
		if d.Share > 0 {
			dj.Share = num(&d.Share)
		}
		if d.Worst != nil {
			w := encodeFeature(*d.Worst)
			dj.Worst = &w
		}
		for _, f := range d.Features {
			dj.Features = append(dj.Features, encodeFeature(f))
		}
		for _, f := range d.TooFew {
			dj.TooFew = append(dj.TooFew, encodeFeature(f))
		}
		if d.Prediction != nil {
			p := encodeFeature(*d.Prediction)
			dj.Prediction = &p
		}
		vj.Drift = dj
	}
	if l := v.Lineage; l != nil {
		lj := &lineageJSON{
			RunID: str(l.RunID), RunName: str(l.RunName), Source: str(l.Source), GitCommit: str(l.GitCommit),
			CreatedAt: timeStr(l.CreatedAt), CreatedBy: str(l.CreatedBy), Stage: str(l.Stage), Status: str(l.Status),
		}
		if ds := l.Dataset; ds != nil {
			lj.Dataset = &datasetJSON{Name: ds.Name, Digest: str(ds.Digest), Source: str(ds.Source)}
		}
		vj.Lineage = lj
	}
	return vj
}

func encodeQuality(q *Quality) *qualityJSON {
	if q == nil {
		return nil
	}
	qj := &qualityJSON{
		Metric: q.Metric, Live: num(q.Live), Baseline: num(q.Baseline), Relative: q.Relative, LowerIsBetter: q.LowerIsBetter,
		Labels: num(q.Labels), IntervalMethod: str(q.IntervalMethod), Verdict: str(q.Verdict), Noise: str(q.Noise),
		LowConfidence: q.LowConfidence, Estimated: q.Estimated, Measured: num(q.Measured), StdError: num(q.StdError),
	}
	if q.Live != nil && q.Baseline != nil {
		qj.Delta = num(&q.Delta)
	}
	if iv := q.Interval; iv != nil && known(iv[0]) && known(iv[1]) {
		c := *iv
		qj.Interval = &c
	}
	return qj
}

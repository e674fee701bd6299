package mlflow

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
)

// Tags MLflow itself writes.
const (
	tagIsPrompt     = "mlflow.prompt.is_prompt"
	tagRunName      = "mlflow.runName"
	tagUser         = "mlflow.user"
	tagGitCommit    = "mlflow.source.git.commit"
	tagDataContext  = "mlflow.data.context"
	trainingContext = "training"
)

// isPrompt reports whether a registered model is an MLflow prompt, which the
// registry stores alongside models but which is not a model.
func isPrompt(m RegisteredModel) bool {
	return strings.EqualFold(tagValue(m.Tags, tagIsPrompt), "true")
}

// summarize keeps what lineage and baseline need from a run.
func summarize(r Run) *runSummary {
	s := &runSummary{
		name:      r.Info.RunName,
		status:    r.Info.Status,
		user:      tagValue(r.Data.Tags, tagUser),
		gitCommit: tagValue(r.Data.Tags, tagGitCommit),
		dataset:   trainingDataset(r.Inputs.DatasetInputs),
		metrics:   latestMetrics(r.Data.Metrics),
	}
	if s.name == "" {
		s.name = tagValue(r.Data.Tags, tagRunName)
	}
	if s.user == "" {
		s.user = r.Info.UserID
	}
	return s
}

// trainingDataset prefers the input tagged mlflow.data.context=training, else the first.
func trainingDataset(inputs []DatasetInput) *fleet.Dataset {
	if len(inputs) == 0 {
		return nil
	}
	pick := inputs[0]
	for _, in := range inputs {
		if tagValue(in.Tags, tagDataContext) == trainingContext {
			pick = in
			break
		}
	}
	d := pick.Dataset
	if d.Name == "" && d.Digest == "" && d.Source == "" {
		return nil
	}
	return &fleet.Dataset{Name: d.Name, Digest: d.Digest, Source: d.Source}
}

// latestMetrics keeps the latest value of each key (highest step, then newest
// timestamp, MLflow's own rule). A non-finite latest value is no baseline, so
// the key is dropped. It returns nil when nothing is left.
func latestMetrics(ms []Metric) map[string]float64 {
	if len(ms) == 0 {
		return nil
	}
	latest := make(map[string]Metric, len(ms))
	for _, m := range ms {
		cur, ok := latest[m.Key]
		if !ok || m.Step > cur.Step || m.Step == cur.Step && m.Timestamp >= cur.Timestamp {
			latest[m.Key] = m
		}
	}
	out := make(map[string]float64, len(latest))
	for k, m := range latest {
		v := float64(m.Value)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		out[k] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mapVersion builds a registered version; run is nil when the version has no
// run or its run could not be read.
func mapVersion(v ModelVersion, run *runSummary) fleet.RegisteredVersion {
	rv := fleet.RegisteredVersion{
		Version: v.Version,
		Aliases: sortedCopy(v.Aliases),
		Tags:    tagMap(v.Tags),
		Lineage: fleet.Lineage{
			RunID:     v.RunID,
			Source:    v.Source,
			CreatedAt: v.CreationTimestamp.Time(),
			CreatedBy: v.UserID,
			Stage:     v.CurrentStage,
			Status:    v.Status,
		},
	}
	if run != nil && !run.gone && !run.denied {
		rv.Lineage.RunName = run.name
		rv.Lineage.Dataset = run.dataset
		rv.Lineage.GitCommit = run.gitCommit
		if rv.Lineage.CreatedBy == "" {
			rv.Lineage.CreatedBy = run.user
		}
		rv.Baseline = run.metrics
	}
	if rv.Baseline == nil {
		// MLflow 3 may record evaluation on the logged model rather than the run.
		rv.Baseline = latestMetrics(v.ModelMetrics)
	}
	return rv
}

// withAliases returns the model's alias map and a copy of versions whose
// Aliases agree with it. The model's own aliases come fresh with every search,
// while cached versions may predate an alias move, so the model's win; the
// versions' lists are used only when the model reports none.
func withAliases(m RegisteredModel, cached []fleet.RegisteredVersion) (map[string]string, []fleet.RegisteredVersion) {
	aliases := make(map[string]string, len(m.Aliases))
	for _, a := range m.Aliases {
		if a.Alias != "" {
			aliases[a.Alias] = a.Version
		}
	}
	versions := slices.Clone(cached)
	if len(aliases) == 0 {
		for _, v := range versions {
			for _, a := range v.Aliases {
				aliases[a] = v.Version
			}
		}
		return aliases, versions
	}
	byVersion := make(map[string][]string, len(aliases))
	for a, v := range aliases {
		byVersion[v] = append(byVersion[v], a)
	}
	for i := range versions {
		as := byVersion[versions[i].Version]
		slices.Sort(as)
		versions[i].Aliases = as
	}
	return aliases, versions
}

// aliasKey fingerprints a model's alias list to tell when it changed.
func aliasKey(as []RegisteredModelAlias) string {
	var b strings.Builder
	for _, a := range as {
		b.WriteString(a.Alias)
		b.WriteByte(0)
		b.WriteString(a.Version)
		b.WriteByte(0)
	}
	return b.String()
}

// sortVersions orders versions newest first: MLflow versions are integers.
func sortVersions(vs []fleet.RegisteredVersion) {
	slices.SortStableFunc(vs, func(a, b fleet.RegisteredVersion) int {
		ai, aerr := strconv.Atoi(a.Version)
		bi, berr := strconv.Atoi(b.Version)
		if aerr == nil && berr == nil {
			return cmp.Compare(bi, ai)
		}
		return strings.Compare(b.Version, a.Version)
	})
}

func sortedCopy(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

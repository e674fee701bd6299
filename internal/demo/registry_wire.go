package demo

import "strconv"

// Wire shapes of MLflow's REST API: snake_case keys, int64 ms timestamps as
// JSON numbers, enums as strings, unset fields omitted.

type wireTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type wireAlias struct {
	Alias   string `json:"alias"`
	Version string `json:"version"`
}

type wireModelVersion struct {
	Name                 string    `json:"name,omitempty"`
	Version              string    `json:"version,omitempty"`
	CreationTimestamp    int64     `json:"creation_timestamp,omitempty"`
	LastUpdatedTimestamp int64     `json:"last_updated_timestamp,omitempty"`
	UserID               string    `json:"user_id,omitempty"`
	CurrentStage         string    `json:"current_stage,omitempty"`
	Description          string    `json:"description,omitempty"`
	Source               string    `json:"source,omitempty"`
	RunID                string    `json:"run_id,omitempty"`
	Status               string    `json:"status,omitempty"`
	Tags                 []wireTag `json:"tags,omitempty"`
	Aliases              []string  `json:"aliases,omitempty"`
}

type wireRegisteredModel struct {
	Name                 string             `json:"name,omitempty"`
	CreationTimestamp    int64              `json:"creation_timestamp,omitempty"`
	LastUpdatedTimestamp int64              `json:"last_updated_timestamp,omitempty"`
	Description          string             `json:"description,omitempty"`
	LatestVersions       []wireModelVersion `json:"latest_versions,omitempty"`
	Tags                 []wireTag          `json:"tags,omitempty"`
	Aliases              []wireAlias        `json:"aliases,omitempty"`
}

type wireMetric struct {
	Key       string  `json:"key"`
	Value     float64 `json:"value"`
	Timestamp int64   `json:"timestamp"`
	Step      int64   `json:"step"`
}

type wireRunInfo struct {
	RunID          string `json:"run_id"`
	RunUUID        string `json:"run_uuid"`
	RunName        string `json:"run_name,omitempty"`
	ExperimentID   string `json:"experiment_id"`
	UserID         string `json:"user_id,omitempty"`
	Status         string `json:"status"`
	StartTime      int64  `json:"start_time"`
	EndTime        int64  `json:"end_time,omitempty"`
	ArtifactURI    string `json:"artifact_uri,omitempty"`
	LifecycleStage string `json:"lifecycle_stage"`
}

type wireRunData struct {
	Metrics []wireMetric `json:"metrics,omitempty"`
	Params  []wireTag    `json:"params,omitempty"`
	Tags    []wireTag    `json:"tags,omitempty"`
}

type wireDataset struct {
	Name       string `json:"name"`
	Digest     string `json:"digest"`
	SourceType string `json:"source_type"`
	Source     string `json:"source"`
}

type wireDatasetInput struct {
	Tags    []wireTag   `json:"tags,omitempty"`
	Dataset wireDataset `json:"dataset"`
}

type wireRunInputs struct {
	DatasetInputs []wireDatasetInput `json:"dataset_inputs,omitempty"`
}

type wireRun struct {
	Info   wireRunInfo   `json:"info"`
	Data   wireRunData   `json:"data"`
	Inputs wireRunInputs `json:"inputs"`
}

func wireTags(tags []tag) []wireTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]wireTag, len(tags))
	for i, t := range tags {
		out[i] = wireTag{t.key, t.value}
	}
	return out
}

func (m *regModel) wireVersion(v *regVersion) wireModelVersion {
	return wireModelVersion{
		Name:                 m.name,
		Version:              strconv.Itoa(v.number),
		CreationTimestamp:    v.created,
		LastUpdatedTimestamp: v.updated,
		UserID:               v.user,
		CurrentStage:         v.stage,
		Description:          v.description,
		Source:               v.source,
		RunID:                v.runID,
		Status:               v.status,
		Tags:                 wireTags(v.tags),
		Aliases:              m.aliasesOf(v.number),
	}
}

// wire renders a registered model. latest_versions holds, as MLflow does,
// the newest version in each stage.
func (m *regModel) wire() wireRegisteredModel {
	out := wireRegisteredModel{
		Name:                 m.name,
		CreationTimestamp:    m.created,
		LastUpdatedTimestamp: m.updated,
		Description:          m.description,
		Tags:                 wireTags(m.tags),
	}
	for _, stage := range []string{"None", "Staging", "Production", "Archived"} {
		for i := len(m.versions) - 1; i >= 0; i-- {
			if v := m.versions[i]; v.stage == stage {
				out.LatestVersions = append(out.LatestVersions, m.wireVersion(v))
				break
			}
		}
	}
	for _, v := range m.versions {
		for _, a := range m.aliasesOf(v.number) {
			out.Aliases = append(out.Aliases, wireAlias{a, strconv.Itoa(v.number)})
		}
	}
	return out
}

func wireMetrics(ms []metric) []wireMetric {
	if len(ms) == 0 {
		return nil
	}
	out := make([]wireMetric, len(ms))
	for i, m := range ms {
		out[i] = wireMetric{m.key, m.value, m.timestamp, m.step}
	}
	return out
}

func (run *regRun) wire() wireRun {
	out := wireRun{
		Info: wireRunInfo{
			RunID: run.id, RunUUID: run.id, RunName: run.name,
			ExperimentID: run.experimentID, UserID: run.user, Status: run.status,
			StartTime: run.start, EndTime: run.end, ArtifactURI: run.artifactURI,
			LifecycleStage: "active",
		},
		Data: wireRunData{
			Metrics: wireMetrics(run.metrics),
			Params:  wireTags(run.params),
			Tags:    wireTags(run.tags),
		},
	}
	for _, in := range run.inputs {
		out.Inputs.DatasetInputs = append(out.Inputs.DatasetInputs, wireDatasetInput{
			Tags: []wireTag{{"mlflow.data.context", in.context}},
			Dataset: wireDataset{
				Name: in.name, Digest: in.digest, SourceType: in.sourceType, Source: in.source,
			},
		})
	}
	return out
}

package mlflow

// The structs below mirror MLflow's REST JSON (protobuf field names, snake
// case). The server omits unset fields, so every field is optional and a zero
// value means "not sent".

// Tag is a key/value pair on a model, version or run.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// RegisteredModelAlias points an alias of a registered model at a version.
type RegisteredModelAlias struct {
	Alias   string `json:"alias"`
	Version string `json:"version"`
}

// RegisteredModel is a registry entry (model_registry.proto RegisteredModel).
type RegisteredModel struct {
	Name                 string                 `json:"name,omitempty"`
	CreationTimestamp    Millis                 `json:"creation_timestamp,omitempty"`
	LastUpdatedTimestamp Millis                 `json:"last_updated_timestamp,omitempty"`
	UserID               string                 `json:"user_id,omitempty"`
	Description          string                 `json:"description,omitempty"`
	LatestVersions       []ModelVersion         `json:"latest_versions,omitempty"`
	Tags                 []Tag                  `json:"tags,omitempty"`
	Aliases              []RegisteredModelAlias `json:"aliases,omitempty"`
	// MLflow 3.
	DeploymentJobID    string       `json:"deployment_job_id,omitempty"`
	DeploymentJobState LenientState `json:"deployment_job_state,omitempty"`
}

// ModelVersion is one version of a registered model (model_registry.proto ModelVersion).
type ModelVersion struct {
	Name                 string   `json:"name,omitempty"`
	Version              string   `json:"version,omitempty"`
	CreationTimestamp    Millis   `json:"creation_timestamp,omitempty"`
	LastUpdatedTimestamp Millis   `json:"last_updated_timestamp,omitempty"`
	UserID               string   `json:"user_id,omitempty"`
	CurrentStage         string   `json:"current_stage,omitempty"`
	Description          string   `json:"description,omitempty"`
	Source               string   `json:"source,omitempty"`
	RunID                string   `json:"run_id,omitempty"`
	Status               string   `json:"status,omitempty"` // PENDING_REGISTRATION, FAILED_REGISTRATION, READY
	StatusMessage        string   `json:"status_message,omitempty"`
	Tags                 []Tag    `json:"tags,omitempty"`
	RunLink              string   `json:"run_link,omitempty"`
	Aliases              []string `json:"aliases,omitempty"`
	// MLflow 3.
	ModelID            string              `json:"model_id,omitempty"`
	ModelParams        []ModelParam        `json:"model_params,omitempty"`
	ModelMetrics       []Metric            `json:"model_metrics,omitempty"`
	DeploymentJobState *DeploymentJobState `json:"deployment_job_state,omitempty"`
}

// ModelParam is a parameter of an MLflow 3 logged model.
type ModelParam struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// DeploymentJobState is the state of a version's MLflow 3 deployment job.
type DeploymentJobState struct {
	JobID           string `json:"job_id,omitempty"`
	RunID           string `json:"run_id,omitempty"`
	JobState        string `json:"job_state,omitempty"`
	RunState        string `json:"run_state,omitempty"`
	CurrentTaskName string `json:"current_task_name,omitempty"`
}

// RegisteredModelsPage is one page of a registered-model search.
type RegisteredModelsPage struct {
	RegisteredModels []RegisteredModel `json:"registered_models,omitempty"`
	NextPageToken    string            `json:"next_page_token,omitempty"`
}

// ModelVersionsPage is one page of a model-version search.
type ModelVersionsPage struct {
	ModelVersions []ModelVersion `json:"model_versions,omitempty"`
	NextPageToken string         `json:"next_page_token,omitempty"`
}

// Run is a tracking run (service.proto Run).
type Run struct {
	Info    RunInfo    `json:"info"`
	Data    RunData    `json:"data"`
	Inputs  RunInputs  `json:"inputs"`
	Outputs RunOutputs `json:"outputs"`
}

// RunInfo is a run's metadata.
type RunInfo struct {
	RunID          string `json:"run_id,omitempty"`
	RunUUID        string `json:"run_uuid,omitempty"` // deprecated twin of run_id
	RunName        string `json:"run_name,omitempty"`
	ExperimentID   string `json:"experiment_id,omitempty"`
	UserID         string `json:"user_id,omitempty"`
	Status         string `json:"status,omitempty"` // RUNNING, SCHEDULED, FINISHED, FAILED, KILLED
	StartTime      Millis `json:"start_time,omitempty"`
	EndTime        Millis `json:"end_time,omitempty"`
	ArtifactURI    string `json:"artifact_uri,omitempty"`
	LifecycleStage string `json:"lifecycle_stage,omitempty"`
}

// ID returns the run's id, from run_id or the older run_uuid.
func (i RunInfo) ID() string {
	if i.RunID != "" {
		return i.RunID
	}
	return i.RunUUID
}

// RunData holds what a run logged.
type RunData struct {
	Metrics []Metric `json:"metrics,omitempty"`
	Params  []Param  `json:"params,omitempty"`
	Tags    []Tag    `json:"tags,omitempty"`
}

// Metric is one logged metric value.
type Metric struct {
	Key       string `json:"key"`
	Value     Float  `json:"value"`
	Timestamp Millis `json:"timestamp,omitempty"`
	Step      Int64  `json:"step,omitempty"`
	// MLflow 3.
	DatasetName   string `json:"dataset_name,omitempty"`
	DatasetDigest string `json:"dataset_digest,omitempty"`
	ModelID       string `json:"model_id,omitempty"`
	RunID         string `json:"run_id,omitempty"`
}

// Param is one logged run parameter.
type Param struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// RunInputs are the datasets (and MLflow 3 models) a run consumed.
type RunInputs struct {
	DatasetInputs []DatasetInput `json:"dataset_inputs,omitempty"`
	ModelInputs   []ModelInput   `json:"model_inputs,omitempty"`
}

// DatasetInput is a dataset used by a run, with tags such as mlflow.data.context.
type DatasetInput struct {
	Tags    []Tag   `json:"tags,omitempty"`
	Dataset Dataset `json:"dataset"`
}

// Dataset describes a logged dataset.
type Dataset struct {
	Name       string `json:"name,omitempty"`
	Digest     string `json:"digest,omitempty"`
	SourceType string `json:"source_type,omitempty"`
	Source     string `json:"source,omitempty"`
	Schema     string `json:"schema,omitempty"`
	Profile    string `json:"profile,omitempty"`
}

// ModelInput is an MLflow 3 logged model used by a run.
type ModelInput struct {
	ModelID string `json:"model_id,omitempty"`
}

// RunOutputs are what an MLflow 3 run produced.
type RunOutputs struct {
	ModelOutputs []ModelOutput `json:"model_outputs,omitempty"`
}

// ModelOutput is an MLflow 3 logged model produced by a run.
type ModelOutput struct {
	ModelID string `json:"model_id,omitempty"`
	Step    Int64  `json:"step,omitempty"`
}

// tagMap turns MLflow's tag list into a map; later duplicates win.
func tagMap(tags []Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// tagValue returns the value of key in tags, or "".
func tagValue(tags []Tag, key string) string {
	v := ""
	for _, t := range tags {
		if t.Key == key {
			v = t.Value
		}
	}
	return v
}

// Package config loads mltop's YAML config file: defaults, validation with
// FILE:LINE: KEY: message errors, and the metric profiles that turn roles
// into PromQL.
package config

import (
	"os"
	"time"
)

// Config is the whole config file. Durations are plain time.Durations; paths
// have a leading "~/" expanded.
type Config struct {
	Refresh    time.Duration `yaml:"refresh"`
	Window     time.Duration `yaml:"window"`
	Prometheus Prometheus    `yaml:"prometheus"`
	Scrape     Scrape        `yaml:"scrape"`
	MLflow     MLflow        `yaml:"mlflow"`
	Thresholds Thresholds    `yaml:"thresholds"`
	// Alertmanager is optional: alerts come from the metrics source's rule
	// evaluator without it.
	Alertmanager Alertmanager `yaml:"alertmanager"`
	Drift        Drift        `yaml:"drift"`
	Estimate     Estimate     `yaml:"estimate"`
	Verdict      Verdict      `yaml:"verdict"`
	Actions      Actions      `yaml:"actions"`
	Audit        Audit        `yaml:"audit"`
	ReadOnly     bool         `yaml:"read_only"`
	Serve        Serve        `yaml:"serve"`
	Theme        string       `yaml:"theme"`
	DataQuality  DataQuality  `yaml:"data_quality"`
	// Contexts are the file's named contexts, in the order written; nil
	// without a contexts: key. CurrentContext is the one used when
	// --context names none.
	Contexts       []Context `yaml:"-"`
	CurrentContext string    `yaml:"current_context"`
	// ContextName and ContextColor are set on a context's Config (see
	// Context): what the status line, action plans, audit records and
	// snapshots call it. "" outside contexts.
	ContextName  string `yaml:"-"`
	ContextColor string `yaml:"-"`

	src source // where each key was written, for errors found after loading
	// warnings are what was ignored while loading; see Warnings.
	warnings []string
}

// Prometheus is a Prometheus-compatible query endpoint.
type Prometheus struct {
	URL             string            `yaml:"url"`
	Profile         []string          `yaml:"profile" cfg:"one-or-list"`
	Headers         map[string]string `yaml:"headers"`
	BearerTokenFile string            `yaml:"bearer_token_file"`
	BasicAuth       BasicAuth         `yaml:"basic_auth"`
	TLS             TLS               `yaml:"tls"`
	Queries         map[string]string `yaml:"queries"` // role -> PromQL; "" turns the role off
	Timeout         time.Duration     `yaml:"timeout"` // per query
	Backend         string            `yaml:"backend"` // "" = detect
	// MaxAnswerMiB bounds the memory the answers being read at once may
	// hold, whatever the server sends.
	MaxAnswerMiB int `yaml:"max_answer_mib"`
	// Recorded says whether to read the series of mltop's recording rules
	// (`mltop rules --recording`) instead of evaluating the roles' queries:
	// true always, false never; unset, where the server records them
	// (RecordedDetect).
	Recorded bool `yaml:"recorded"`
	// Detection is what profile detection found when no profile was
	// written (WithDetectedProfiles); nil otherwise.
	Detection *ProfileDetection `yaml:"-"`
}

// BasicAuth is HTTP basic authentication; the password is read from a file.
type BasicAuth struct {
	Username     string `yaml:"username"`
	PasswordFile string `yaml:"password_file"`
}

// TLS configures the client side of TLS.
type TLS struct {
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// Scrape configures the built-in engine, used when there is no Prometheus.
type Scrape struct {
	Interval time.Duration `yaml:"interval"`
	Timeout  time.Duration `yaml:"timeout"`
	Targets  []string      `yaml:"targets"`
}

// MLflow is the model registry.
type MLflow struct {
	TrackingURI    string        `yaml:"tracking_uri"`
	ServingAlias   string        `yaml:"serving_alias"`
	CandidateAlias string        `yaml:"candidate_alias"`
	Refresh        time.Duration `yaml:"refresh"`
	// ModelNames maps a serving name (the model label in the metrics) to
	// the registered model it is; one serving name per registered model.
	ModelNames map[string]string `yaml:"model_names"`
}

// Thresholds decide when a model is unhealthy.
type Thresholds struct {
	ErrorRate   float64       `yaml:"error_rate"`
	LabelAge    time.Duration `yaml:"label_age"`
	QualityDrop float64       `yaml:"quality_drop"`
	MinLabels   int           `yaml:"min_labels"`
	// LatencyP95 is the latency objective: more than 5 % of requests
	// slower than it is a breach; 0 turns the check off.
	LatencyP95 time.Duration `yaml:"latency_p95"`
	// SilentShare: a model whose request rate falls below this share of
	// the same time last week warns, and one that stops while it served
	// the hour before is critical; 0 turns the check off.
	SilentShare float64 `yaml:"silent_share"`
	// Availability is the objective the error budget burns against
	// (0.999); 0 turns the burn-rate check off.
	Availability float64 `yaml:"availability"`
}

// Alertmanager is where alerts are read from (when set, instead of the
// metrics source's rule evaluator) and silences are written to.
type Alertmanager struct {
	URL             string            `yaml:"url"`
	Headers         map[string]string `yaml:"headers"`
	BearerTokenFile string            `yaml:"bearer_token_file"`
	BasicAuth       BasicAuth         `yaml:"basic_auth"`
	TLS             TLS               `yaml:"tls"`
	Timeout         time.Duration     `yaml:"timeout"`
}

// Drift configures drift verdicts and the reference distribution.
type Drift struct {
	Method     string             `yaml:"method"`
	Window     time.Duration      `yaml:"window"`
	Share      float64            `yaml:"share"`
	Thresholds map[string]float64 `yaml:"thresholds"` // method -> threshold
	Reference  Reference          `yaml:"reference"`
	// MinPerBucket is the fewest observations per bucket or category, on
	// average, a distance needs on each side for a verdict; 0 turns the
	// minimum off.
	MinPerBucket float64 `yaml:"min_per_bucket"`
}

// Reference is the window the current distribution is compared with,
// ending Offset ago.
type Reference struct {
	Offset time.Duration `yaml:"offset"`
	Window time.Duration `yaml:"window"`
}

// Actions are what an operator can trigger.
type Actions struct {
	Rollback Action         `yaml:"rollback"`
	Retrain  Action         `yaml:"retrain"`
	Rollout  Action         `yaml:"rollout"` // drives a progressive rollout (kind argo-rollouts)
	Custom   []CustomAction `yaml:"custom"`
	// RequireReason refuses an action sent without a reason.
	RequireReason bool `yaml:"require_reason"`
	// TypedName maps a model tag to the values that make the operator type
	// the model's name to confirm (risk_tier: [high]).
	TypedName map[string][]string `yaml:"typed_name"`
	// TwoPerson maps a model tag to the values that make an action on the
	// model wait for a second operator's approval (risk_tier: [high]).
	TwoPerson map[string][]string `yaml:"two_person"`
	// ApprovalTTL is how long a request waits for that approval.
	ApprovalTTL time.Duration `yaml:"approval_ttl"`
}

// Action says how to carry out one action. Kind selects how; the keys
// below are shared by every kind, and Params holds the kind's own.
type Action struct {
	Kind      string            `yaml:"kind"`
	URL       string            `yaml:"url"`
	Headers   map[string]string `yaml:"headers"`
	TokenFile string            `yaml:"token_file"`
	Body      string            `yaml:"body"`
	Timeout   time.Duration     `yaml:"timeout"`
	// Params are the keys of Kind's own (an airflow dag, a github repo):
	// the value its ActionKind.NewParams gives, filled from the file; nil
	// for a kind without keys of its own.
	Params any `cfg:"kind-params"`
}

// CustomAction is a user-defined action bound to a key.
type CustomAction struct {
	Action    `yaml:",inline"`
	Key       string   `yaml:"key"`
	Title     string   `yaml:"title"`
	Role      string   `yaml:"role"`      // least role allowed to run it
	Dangerous bool     `yaml:"dangerous"` // ask for a typed confirmation
	States    []string `yaml:"states"`    // health states it is offered in; empty = always
}

// Audit is the append-only action log.
type Audit struct {
	Path string `yaml:"path"`
	// RegistryHistory is the registry's alias and stage history; empty:
	// beside Path, named after it (registryhistory.PathFor).
	RegistryHistory string `yaml:"registry_history"`
}

// Serve configures `mltop serve`.
type Serve struct {
	Listen      string        `yaml:"listen"`
	HostKey     string        `yaml:"host_key"`
	MaxSessions int           `yaml:"max_sessions"` // 0 = no limit
	IdleTimeout time.Duration `yaml:"idle_timeout"` // 0 = never
	Users       []User        `yaml:"users"`
}

// User is one SSH identity and its role.
type User struct {
	Name           string   `yaml:"name"`
	Role           string   `yaml:"role"`
	Keys           []string `yaml:"keys"`
	AuthorizedKeys string   `yaml:"authorized_keys"`
	// Contexts are the contexts the user may open over SSH; empty: all.
	Contexts []string `yaml:"contexts"`
}

// Roles of a person, for actions and serve users.
const (
	RoleViewer   = "viewer"
	RoleOperator = "operator"
)

// Defaults that are not simply a field's initial value.
const (
	DefaultQueryTimeout  = 10 * time.Second
	DefaultMaxAnswerMiB  = 200
	DefaultActionTimeout = 30 * time.Second
	DefaultRollbackKind  = "mlflow-alias"
	// DefaultApprovalTTL is how long an action waits for a second operator.
	DefaultApprovalTTL = 15 * time.Minute
	maxScrapeTimeout   = 10 * time.Second
)

// Default returns the configuration used when the file sets nothing, with
// $MLFLOW_TRACKING_URI and $HOME read from the process environment.
func Default() *Config { return DefaultEnv(os.Getenv) }

// DefaultEnv is Default with the environment read through getenv.
func DefaultEnv(getenv func(string) string) *Config {
	c := defaults()
	finish(c, envOrEmpty(getenv))
	return c
}

// Defaults of the alerting keys.
const (
	DefaultSilentShare         = 0.1
	DefaultAlertmanagerTimeout = 10 * time.Second
)

// defaults holds the static defaults; finish derives the rest.
func defaults() *Config {
	return &Config{
		Refresh: 5 * time.Second,
		Window:  time.Minute,
		Prometheus: Prometheus{
			Profile:      []string{"mltop"},
			Timeout:      DefaultQueryTimeout,
			MaxAnswerMiB: DefaultMaxAnswerMiB,
		},
		Scrape: Scrape{Interval: 5 * time.Second},
		MLflow: MLflow{
			ServingAlias:   "champion",
			CandidateAlias: "challenger",
			Refresh:        time.Minute,
		},
		Thresholds: Thresholds{
			ErrorRate:   0.05,
			LabelAge:    48 * time.Hour,
			QualityDrop: 0.05,
			MinLabels:   100,
			SilentShare: DefaultSilentShare,
		},
		Alertmanager: Alertmanager{Timeout: DefaultAlertmanagerTimeout},
		Drift: Drift{
			Method:       "auto",
			Window:       time.Hour,
			Share:        0.5,
			Reference:    Reference{Offset: 7 * 24 * time.Hour, Window: 24 * time.Hour},
			MinPerBucket: DefaultMinPerBucket,
		},
		Estimate: Estimate{
			CalibrationWindow: DefaultCalibrationWindow,
			Threshold:         DefaultEstimateThreshold,
			MaxECE:            DefaultMaxECE,
			Health:            "warn",
		},
		Verdict:     Verdict{Window: DefaultVerdictWindow, Alpha: DefaultVerdictAlpha},
		DataQuality: defaultDataQuality(),
		Actions: Actions{
			Rollback:      Action{Kind: DefaultRollbackKind},
			RequireReason: true,
			TypedName:     map[string][]string{"risk_tier": {"high"}},
			ApprovalTTL:   DefaultApprovalTTL,
		},
		Audit: Audit{Path: "~/.local/state/mltop/audit.jsonl"},
		Serve: Serve{
			Listen:      "127.0.0.1:2222",
			HostKey:     "~/.local/state/mltop/ssh_host_ed25519",
			MaxSessions: 16,
			IdleTimeout: time.Hour,
		},
	}
}

// finish fills the defaults that depend on other keys or on the environment.
func finish(c *Config, getenv func(string) string) {
	if !c.src.has("scrape.timeout") {
		c.Scrape.Timeout = min(c.Scrape.Interval, maxScrapeTimeout)
	}
	if c.MLflow.TrackingURI == "" {
		c.trackingURIFromEnv(getenv)
	}
	finishAction(&c.Actions.Rollback)
	finishAction(&c.Actions.Retrain)
	finishAction(&c.Actions.Rollout)
	for i := range c.Actions.Custom {
		a := &c.Actions.Custom[i]
		finishAction(&a.Action)
		if a.Role == "" {
			a.Role = RoleOperator
		}
	}
	for i := range c.Serve.Users {
		if c.Serve.Users[i].Role == "" {
			c.Serve.Users[i].Role = RoleViewer
		}
	}
	expandPaths(c, getenv("HOME"))
}

func envOrEmpty(getenv func(string) string) func(string) string {
	if getenv == nil {
		return func(string) string { return "" }
	}
	return getenv
}

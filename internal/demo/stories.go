package demo

import (
	"math"
	"time"
)

// The stories are plain data: what each model serves, how it behaves, and
// what its registry entry says. world.go turns them into running state.

// featureSpec is one model input.
type featureSpec struct {
	name string
	// Numeric features: the population the pre-existing versions were
	// trained on, and how today's population is shifted from it (in standard
	// deviations) at a story offset; nil shift means no drift at all.
	base  locScale
	shift func(s time.Duration) float64
	// Categorical features: training-time shares and today's shares.
	categories []string
	probs      []float64
	current    []float64
	// missing is the share of predictions whose value of the feature is
	// missing at a story offset; nil means never.
	missing func(s time.Duration) float64
}

func (f *featureSpec) categorical() bool { return len(f.categories) > 0 }

func (f *featureSpec) shiftAt(s time.Duration) float64 {
	if f.shift == nil {
		return 0
	}
	return f.shift(s)
}

func (f *featureSpec) missingAt(s time.Duration) float64 {
	if f.missing == nil {
		return 0
	}
	return f.missing(s)
}

// steady is a population that moved a little once and stays there.
func steady(d float64) func(time.Duration) float64 {
	return func(time.Duration) float64 { return d }
}

// labelSpec says how ground truth arrives.
type labelSpec struct {
	fraction   float64       // share of predictions that get a label
	delay      locScale      // story seconds from prediction to label
	landEvery  time.Duration // the label pipeline's cadence (story time)
	initialAge time.Duration // age of the newest label at the start
	stalledFor time.Duration // no landings for this long after the start
}

// versionSpec is one registered version and how it behaves when served.
type versionSpec struct {
	number      int
	age         time.Duration // created this long before the story starts
	stage       string
	user        string
	runName     string
	description string
	offline     map[string]float64
	liveGap     map[string]float64 // live minus offline
	p50, p95    float64            // latency, seconds
	errRate     float64
	errSwing    float64 // amplitude of the error ratio's wander
	// scoreSigma is the spread of the version's scores (logit-normal
	// sigma); 0 means the model's. A sharper model separates better.
	scoreSigma float64
}

// canarySpec places a canary already under way at the start.
type canarySpec struct {
	version int
	step    int           // 1-based
	inStep  time.Duration // story time already spent in that step
}

// modelSpec is one model's whole story.
type modelSpec struct {
	name, description string
	owner, team, risk string
	strategy          string  // rollout strategy; "" when nothing manages rollouts
	rate              float64 // requests per real second over all serving versions
	features          []featureSpec
	prediction        locScale
	predictionShift   func(s time.Duration) float64 // output drift, nil for none
	predictionSpread  func(s time.Duration) float64 // output spread factor under drift, nil for 1
	predBounds        []float64
	labels            *labelSpec
	// scoreLabels: a binary classifier that exports the calibration
	// histograms, and whose live quality is what its labels give under the
	// known calibration (calibration.go) rather than offline plus a gap.
	scoreLabels     bool
	meanLatencyOnly bool        // exports a summary without quantiles
	live            []string    // metrics measured live on labelled predictions
	template        versionSpec // behaviour of versions registered at run time
	versions        []versionSpec
	stable, shadow  int
	canary          *canarySpec
	aliases         map[string]int
	dataset         datasetSpec
	params          map[string]string
	sourceName      string
	experimentID    string
}

// datasetSpec is the training dataset recorded in each version's run.
type datasetSpec struct {
	name, sourceType, source string
}

// lowerIsBetter names the metrics where smaller values are better.
func lowerIsBetter(metric string) bool {
	switch metric {
	case "rmse", "mae", "logloss", "mape":
		return true
	}
	return false
}

// Bucket layouts shared by the stories.
var (
	latencyBounds     = []float64{0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5}
	labelDelayBounds  = []float64{60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172800, 259200, 604800}
	probabilityBounds = []float64{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}
)

// delayDist is a label delay with the given median and 95th percentile.
func delayDist(p50, p95 time.Duration) locScale {
	return logNormal(p50.Seconds(), math.Log(p95.Seconds()/p50.Seconds())/1.6448536269514722)
}

// stories returns every model of the demo, freshly built so that runs never
// share mutable state.
func stories() []*modelSpec {
	return []*modelSpec{
		paymentsFraud(),
		churnPredictor(),
		creditRisk(),
		searchRanker(),
		imageTagger(),
		demandForecast(),
		etaPredictor(),
	}
}

const (
	day  = 24 * time.Hour
	ci   = "ci-bot@example.com"
	prod = "Production"
	arch = "Archived"
	stag = "Staging"
	none = "None"
)

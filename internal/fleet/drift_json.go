package fleet

// The drift part of the snapshot's JSON form (json.go).

type driftJSON struct {
	Score      *float64           `json:"score"`
	Method     *string            `json:"method"`
	Threshold  *float64           `json:"threshold"`
	Drifted    *bool              `json:"drifted"`
	Feature    *string            `json:"feature"`
	Features   []featureDriftJSON `json:"features"`
	Prediction *featureDriftJSON  `json:"prediction"`
	Reference  *string            `json:"reference"`
	NoData     []string           `json:"no_data"`
	RefError   *string            `json:"reference_error"`
	TooFew     []featureDriftJSON `json:"too_few"`
	// Judged (internal/judge); added to schema 1.
	Worst           *featureDriftJSON `json:"worst"`
	Judged          int               `json:"judged"`
	DriftedFeatures []string          `json:"drifted_features"`
	Share           *float64          `json:"share"`
}

type featureDriftJSON struct {
	Feature   string   `json:"feature"`
	Score     *float64 `json:"score"`
	Method    string   `json:"method"`
	Threshold *float64 `json:"threshold"`
	PValue    *float64 `json:"p_value"`
	Drifted   *bool    `json:"drifted"`
	Source    *string  `json:"source"`
	// Set for the features of too_few only.
	Observations       *float64 `json:"observations,omitempty"`
	MinObservations    *float64 `json:"min_observations,omitempty"`
	ObservationsWindow string   `json:"observations_window,omitempty"`
	Severity           *float64 `json:"severity"`
}

func encodeFeature(f FeatureDrift) featureDriftJSON {
	return featureDriftJSON{
		Feature: f.Feature, Score: num(&f.Score), Method: f.Method,
		Threshold: num(f.Threshold), PValue: num(f.PValue), Drifted: f.Drifted, Source: str(f.Source), Severity: num(f.Severity),
		Observations: num(f.Observations), MinObservations: num(f.MinObservations), ObservationsWindow: f.ObservationsWindow,
	}
}

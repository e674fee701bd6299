package fleet

// DataQuality is what a version's input data looks like against its
// reference: values missing, out of the reference's range, categories the
// reference never saw, features gone silent, and the feature set's
// changes. The merge fills the measures; the judge (internal/judge) the
// verdicts.
type DataQuality struct {
	// Features are the version's features with a data-quality measure,
	// sorted by name (the prediction is not one of them).
	Features []FeatureQuality
	// Schema lists features added or gone against the reference, sorted
	// by feature; nil without a reference.
	Schema []SchemaChange
	// Predictions counts the predictions of the current window (the drift
	// window); nil when unknown.
	Predictions *float64
	// Reference says what the measures compare with: "registry", the
	// offset window's label, both joined by ", ", or "" without one.
	Reference string
}

// FeatureQuality is one feature's data quality.
type FeatureQuality struct {
	Feature string
	// MissingShare is the share of the window's predictions whose value
	// of the feature was missing or null (model_feature_missing_total);
	// nil when unknown.
	MissingShare *float64
	// ReferenceMissingShare is p₀, the reference's missing share; nil
	// when the reference does not say.
	ReferenceMissingShare *float64
	// OutOfRangeShare is the share of the window's observations below
	// the reference's first non-empty bucket or above its last; nil when
	// unknown (no numeric reference, fewer than MinObservations).
	OutOfRangeShare *float64
	// Unseen are the categories the reference never saw, largest share
	// first, at most UnseenListed of them; UnseenShare is the share of
	// the window's observations in every unseen category (nil when
	// unknown).
	Unseen      []CategoryShare
	UnseenShare *float64
	// Absent is true for a feature the reference has and the current
	// window has no observation of.
	Absent bool
	// Unknown says why it is unknown whether the feature has values now
	// (the window's histograms of its kind were not read, or its values
	// are counted but none is in the histograms); "" when known. Such a
	// feature is neither absent nor silent, nor a schema change.
	Unknown string
	// TooFew says why the out-of-range or unseen share is not measured:
	// fewer observations in the window than MinObservations; "" when
	// they are.
	TooFew string

	// Judged (internal/judge):
	// MissingLimit is the missing share above which the feature alarms
	// (the larger of the floor and p₀ + 3·√(p₀(1−p₀)/n); the floor when
	// p₀ is 0 or unknown).
	MissingLimit *float64
	// Silent is true for an absent feature while the version's
	// predictions flow (the window's count, else the request rate):
	// critical.
	Silent bool
	// Problems name what is wrong, in plain words ("7 % missing"); nil
	// when nothing is. The flags say which measures alarmed.
	Problems                                   []string
	MissingAlarm, OutOfRangeAlarm, UnseenAlarm bool
}

// CategoryShare is a category and its share of the window's observations.
type CategoryShare struct {
	Category string
	Share    float64
}

// CheckDataQuality is the check of data-quality findings (missing values,
// out of range, unseen categories, silent features, schema changes).
const CheckDataQuality = "data_quality"

// MinObservations is the fewest observations of a feature in the window
// on which its out-of-range and unseen shares are measured: below it one
// stray value is more than the 1 % alarm, and a share says nothing.
const MinObservations = 100

// UnseenListed is how many unseen categories a feature names.
const UnseenListed = 5

// Schema change kinds.
const (
	SchemaAdded   = "added"   // observed now, not in the reference
	SchemaRemoved = "removed" // in the reference, not observed now
	SchemaType    = "type"    // numeric in one, categorical in the other
)

// SchemaChange is one feature's change against the reference.
type SchemaChange struct {
	Feature string
	Change  string // SchemaAdded, SchemaRemoved or SchemaType
}

// Feature returns the named feature's quality, or nil.
func (d *DataQuality) Feature(name string) *FeatureQuality {
	if d == nil {
		return nil
	}
	for i := range d.Features {
		if d.Features[i].Feature == name {
			return &d.Features[i]
		}
	}
	return nil
}

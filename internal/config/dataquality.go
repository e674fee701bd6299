package config

// DataQuality configures the data-quality alarms (docs/dataquality.md).
type DataQuality struct {
	// MissingFloor is the least missing-share limit: a feature alarms
	// above it when its reference had none missing (p₀ = 0) or does not
	// say, and no limit is below it.
	MissingFloor float64 `yaml:"missing_floor"`
	// MissingSigmas is how many standard errors above p₀ the missing
	// share may go: p₀ + k·√(p₀(1−p₀)/n), when above the floor.
	MissingSigmas float64 `yaml:"missing_sigmas"`
	// OutOfRange is the share of observations outside the reference's
	// range above which a feature alarms; 1 turns the alarm off.
	OutOfRange float64 `yaml:"out_of_range"`
	// Unseen is the share of observations in categories the reference
	// never saw above which a feature alarms; 1 turns the alarm off.
	Unseen float64 `yaml:"unseen"`
}

// Defaults of the data_quality section.
const (
	DefaultMissingFloor  = 0.01
	DefaultMissingSigmas = 3
	DefaultOutOfRange    = 0.01
	DefaultUnseen        = 0.01
)

func defaultDataQuality() DataQuality {
	return DataQuality{MissingFloor: DefaultMissingFloor, MissingSigmas: DefaultMissingSigmas, OutOfRange: DefaultOutOfRange, Unseen: DefaultUnseen}
}

func (v *validator) dataQuality(d *DataQuality) {
	for _, r := range []struct {
		key string
		val float64
	}{{"data_quality.missing_floor", d.MissingFloor}, {"data_quality.out_of_range", d.OutOfRange}, {"data_quality.unseen", d.Unseen}} {
		if !(r.val >= 0 && r.val <= 1) {
			v.errorf(r.key, "must be a share from 0 to 1, got %s", formatFloat(r.val))
		}
	}
	if !(d.MissingSigmas > 0 && d.MissingSigmas < 100) {
		v.errorf("data_quality.missing_sigmas", "must be a number of standard errors above 0, got %s", formatFloat(d.MissingSigmas))
	}
}

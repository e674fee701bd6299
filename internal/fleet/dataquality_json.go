package fleet

// The data-quality part of the snapshot's JSON form (json.go); added to
// schema 1.

type dataQualityJSON struct {
	Reference   *string              `json:"reference"`
	Predictions *float64             `json:"predictions"`
	Features    []featureQualityJSON `json:"features"`
	Schema      []schemaChangeJSON   `json:"schema"`
}

type featureQualityJSON struct {
	Feature               string              `json:"feature"`
	MissingShare          *float64            `json:"missing_share"`
	ReferenceMissingShare *float64            `json:"reference_missing_share"`
	MissingLimit          *float64            `json:"missing_limit"`
	OutOfRangeShare       *float64            `json:"out_of_range_share"`
	Unseen                []categoryShareJSON `json:"unseen"`
	UnseenShare           *float64            `json:"unseen_share"`
	Absent                bool                `json:"absent"`
	Unknown               *string             `json:"unknown"`
	TooFew                *string             `json:"too_few"`
	Silent                bool                `json:"silent"`
	Problems              []string            `json:"problems"`
}

type categoryShareJSON struct {
	Category string  `json:"category"`
	Share    float64 `json:"share"`
}

type schemaChangeJSON struct {
	Feature string `json:"feature"`
	Change  string `json:"change"`
}

func encodeDataQuality(d *DataQuality) *dataQualityJSON {
	if d == nil {
		return nil
	}
	out := &dataQualityJSON{
		Reference: str(d.Reference), Predictions: num(d.Predictions),
		Features: make([]featureQualityJSON, 0, len(d.Features)), Schema: make([]schemaChangeJSON, 0, len(d.Schema)),
	}
	for _, f := range d.Features {
		fj := featureQualityJSON{
			Feature: f.Feature, MissingShare: num(f.MissingShare), ReferenceMissingShare: num(f.ReferenceMissingShare),
			MissingLimit: num(f.MissingLimit), OutOfRangeShare: num(f.OutOfRangeShare),
			Unseen: make([]categoryShareJSON, 0, len(f.Unseen)), UnseenShare: num(f.UnseenShare),
			Absent: f.Absent, Unknown: str(f.Unknown), TooFew: str(f.TooFew), Silent: f.Silent, Problems: nonNil(f.Problems),
		}
		for _, c := range f.Unseen {
			fj.Unseen = append(fj.Unseen, categoryShareJSON(c))
		}
		out.Features = append(out.Features, fj)
	}
	for _, c := range d.Schema {
		out.Schema = append(out.Schema, schemaChangeJSON(c))
	}
	return out
}

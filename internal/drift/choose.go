package drift

// Evidently's cut-offs for its default test (stattests/registry.py,
// _get_default_stattest).
const (
	smallReference = 1000 // reference rows at or below which p-value tests are used
	fewValues      = 5    // a numeric feature with at most this many values is treated as categorical
)

// ChooseMethod picks the method Evidently would use by default:
//
//	numeric, > 5 distinct values:  reference ≤ 1000 → ks,        else wasserstein
//	numeric ≤ 5 values, or categorical:
//	                               reference ≤ 1000 → chisquare, or z for ≤ 2 values;
//	                               else jensenshannon
//
// refSize is the number of reference observations and cardinality the number
// of distinct values seen on either side. A histogram does not know its
// distinct values (its buckets are ranges), so pass cardinality ≤ 0 for
// "unknown, many": numeric data then gets ks or wasserstein, categorical data
// chisquare or jensenshannon.
func ChooseMethod(numeric bool, refSize float64, cardinality int) string {
	small := refSize <= smallReference
	if numeric && (cardinality <= 0 || cardinality > fewValues) {
		if small {
			return KS
		}
		return Wasserstein
	}
	if !small {
		return JensenShann
	}
	if cardinality > 0 && cardinality <= 2 {
		return Z
	}
	return ChiSquare
}

package config

// Internals the external test package checks against other packages.
var (
	DriftMethods  = driftMethods
	PValueMethods = pValueMethods
)

// SetProfileForTest registers a profile until the returned func runs.
// Tests using it must not run in parallel.
func SetProfileForTest(name string, qs []Query) (restore func()) {
	old, had := profiles[name]
	profiles[name] = qs
	return func() {
		if had {
			profiles[name] = old
		} else {
			delete(profiles, name)
		}
	}
}

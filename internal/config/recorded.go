package config

// RecordedDetect reports whether prometheus.recorded was left unset: mltop
// then asks the server at start which recorded series exist.
func (c *Config) RecordedDetect() bool { return !c.src.has("prometheus.recorded") }

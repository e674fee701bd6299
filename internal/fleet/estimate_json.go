package fleet

type estimateJSON struct {
	Value    *float64 `json:"value"`
	StdError *float64 `json:"std_error"`
}

type calibrationJSON struct {
	ECE           *float64 `json:"ece"`
	ECENoise      *float64 `json:"ece_noise"`
	Labels        *float64 `json:"labels"`
	WindowSeconds *float64 `json:"window_seconds"`
	Threshold     *float64 `json:"threshold"`
	Unreliable    bool     `json:"unreliable"`
	MaxECE        *float64 `json:"max_ece"`
	Unavailable   *string  `json:"unavailable"`
}

// encodeEstimates keeps only estimates with a number: a NaN never reaches
// the JSON as a value.
func encodeEstimates(m map[string]Estimate) map[string]estimateJSON {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]estimateJSON, len(m))
	for metric, e := range m {
		if !known(e.Value) {
			continue
		}
		out[metric] = estimateJSON{Value: num(&e.Value), StdError: num(e.StdError)}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// encodeCalibration writes ECE and labels only when the labelled
// histograms were read (some labels): otherwise they are unknown, not 0.
func encodeCalibration(c *Calibration) *calibrationJSON {
	if c == nil {
		return nil
	}
	cj := &calibrationJSON{Threshold: num(&c.Threshold), Unreliable: c.Unreliable, Unavailable: str(c.Unavailable)}
	if c.Window > 0 {
		w := c.Window.Seconds()
		cj.WindowSeconds = &w
	}
	if c.Labels > 0 {
		cj.ECE, cj.ECENoise, cj.Labels = num(&c.ECE), num(&c.ECENoise), num(&c.Labels)
	}
	if c.MaxECE > 0 {
		cj.MaxECE = num(&c.MaxECE)
	}
	return cj
}

package fleet

// The health of a model in the snapshot JSON: its status and the findings
// that decided it.

type healthJSON struct {
	Status   string        `json:"status"`
	Findings []findingJSON `json:"findings"`
}

type findingJSON struct {
	Version *string `json:"version"`
	Check   string  `json:"check"`
	Status  string  `json:"status"`
	Message string  `json:"message"`
	Breach  bool    `json:"breach"`
}

func encodeHealth(h Health) healthJSON {
	hj := healthJSON{Status: h.Status.String(), Findings: make([]findingJSON, 0, len(h.Findings))}
	for _, f := range h.Findings {
		hj.Findings = append(hj.Findings, findingJSON{Version: str(f.Version), Check: f.Check, Status: f.Status.String(), Message: f.Message, Breach: f.Breach})
	}
	return hj
}

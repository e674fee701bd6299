package main

// TEMPORARY: replaced by judge.FromConfig(cfg).Verdict once it exists.

import (
	"fmt"
	"math"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
)

func verdictJudge(cfg *config.Config) report.VerdictJudge {
	return func(m *fleet.Model, candidate string) fleet.Verdict {
		v := fleet.Verdict{Model: m.Name, Window: cfg.Verdict.Window, Outcome: fleet.VerdictNotEnough}
		var base, cand *fleet.Version
		for i := range m.Versions {
			x := &m.Versions[i]
			switch {
			case x.Track == fleet.TrackStable:
				base = x
			case candidate == "" && (x.Track == fleet.TrackCanary || x.Track == fleet.TrackShadow):
				cand = x
			case candidate != "" && x.Version == candidate:
				cand = x
			}
		}
		if cand == nil {
			return v
		}
		v.Candidate = cand.Version
		if base == nil {
			v.Why = "no stable version"
			return v
		}
		v.Baseline = base.Version
		if cand.Counts == nil || base.Counts == nil || cand.Counts.Requests == nil || base.Counts.Requests == nil {
			v.Why = "no counts"
			return v
		}
		n1, n2 := *cand.Counts.Requests, *base.Counts.Requests
		e1, e2 := 0.0, 0.0
		if cand.Counts.Errors != nil {
			e1 = *cand.Counts.Errors
		}
		if base.Counts.Errors != nil {
			e2 = *base.Counts.Errors
		}
		p1, p2 := e1/n1, e2/n2
		p := (e1 + e2) / (n1 + n2)
		se := math.Sqrt(p * (1 - p) * (1/n1 + 1/n2))
		z := (p1 - p2) / se
		pv := math.Erfc(math.Abs(z) / math.Sqrt2)
		row := fleet.VerdictRow{Quantity: "error_rate", Method: "z", Candidate: &p1, Baseline: &p2,
			CandidateSamples: n1, BaselineSamples: n2, PValue: &pv, Comparison: "same"}
		switch {
		case pv < 0.01 && z > 0:
			row.Comparison, v.Outcome, v.Why = "worse", fleet.VerdictFail, "error_rate worse"
		case n1 < 1000:
			row.NeedMore = fmt.Sprintf("≈ %.0f more requests", 1000-n1)
			v.Why = "too few requests"
		default:
			v.Outcome, v.Why = fleet.VerdictPass, "not worse"
		}
		v.Rows = append(v.Rows, row)
		return v
	}
}

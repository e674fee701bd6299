package actions

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// paymentsAt is payments-fraud as a snapshot shows it with the given
// versions' tracks and traffic weights (version → track, weight).
func paymentsAt(split map[string]struct {
	track  string
	weight float64
}) *fleet.Model {
	m := &fleet.Model{Name: "payments-fraud", Tags: map[string]string{"risk_tier": "low"},
		Aliases: map[string]string{"champion": "8", "challenger": "9"}}
	for _, v := range []string{"7", "8", "9"} {
		s, ok := split[v]
		if !ok {
			continue
		}
		w := s.weight
		m.Versions = append(m.Versions, fleet.Version{Version: v, Track: s.track, TrafficWeight: &w, Serving: true})
	}
	return m
}

type tw = struct {
	track  string
	weight float64
}

// The plan's meaning tells what the rollback does to the traffic the
// snapshot saw, not what the registry's alias suggests.
func TestRollbackMeaningFollowsTraffic(t *testing.T) {
	cases := []struct {
		name     string
		split    map[string]tw
		to       string
		want     []string
		not      []string
		refusal  string
		rollout  *fleet.Rollout
		noSnapsh bool
	}{
		{
			name:  "stable alone",
			split: map[string]tw{"8": {fleet.TrackStable, 100}},
			to:    "7",
			want:  []string{"traffic returns to v7 at once"},
			not:   []string{"canary"},
		},
		{
			name:  "canary in progress",
			split: map[string]tw{"8": {fleet.TrackStable, 75}, "9": {fleet.TrackCanary, 25}},
			to:    "7",
			want:  []string{"the stable share (75 %) returns to v7 at once", "the canary v9 keeps its 25 %"},
		},
		{
			// The canary finished: v9 is the stable version with all the
			// traffic, the alias still names v8.
			name:  "promoted, alias behind",
			split: map[string]tw{"8": {"", 0}, "9": {fleet.TrackStable, 100}},
			to:    "7",
			want:  []string{"v9 serves 100 % although the registry names v8: v7 replaces v9 at once"},
			not:   []string{"untouched", "canary"},
		},
		{
			// The last step: the canary has all the traffic, the stable none.
			name:  "canary at 100 %",
			split: map[string]tw{"8": {fleet.TrackStable, 0}, "9": {fleet.TrackCanary, 100}},
			to:    "7",
			want:  []string{"the canary v9 serves 100 % and keeps it: v7 becomes the stable version but gets no traffic"},
			not:   []string{"traffic returns"},
		},
		{
			name:    "promoted, back to the alias's version",
			split:   map[string]tw{"8": {"", 0}, "9": {fleet.TrackStable, 100}},
			to:      "8",
			refusal: "the registry already names v8 for payments-fraud, but v9 serves 100 %: naming v8 again changes nothing",
		},
		{
			name:     "no snapshot",
			noSnapsh: true,
			to:       "7",
			want:     []string{"traffic returns to v7 at once", "the canary v9 is untouched"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reg := newRegistry(t)
			f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowAlias}}, reg.client)
			req := Request{Action: Rollback, Model: "payments-fraud", To: tc.to, Actor: f.actor}
			if !tc.noSnapsh {
				req.Snapshot = paymentsAt(tc.split)
			}
			p, err := f.ex.Plan(ctx(t), req)
			if err != nil {
				t.Fatal(err)
			}
			if p.From != "8" {
				t.Errorf("from %q, want the alias's 8", p.From)
			}
			mustContain(t, "meaning", p.Meaning, tc.want...)
			for _, n := range tc.not {
				if strings.Contains(p.Meaning, n) {
					t.Errorf("meaning %q has %q", p.Meaning, n)
				}
			}
			if p.Refusal != tc.refusal {
				t.Errorf("refusal %q, want %q", p.Refusal, tc.refusal)
			}
		})
	}
}

// The stage kind tells the same story: the Production stage, like the
// alias, may lag the traffic.
func TestStageRollbackMeaningFollowsTraffic(t *testing.T) {
	reg := newRegistry(t)
	f := newFixture(t, config.Actions{Rollback: config.Action{Kind: kindMLflowStage}}, reg.client)
	p, err := f.ex.Plan(ctx(t), Request{Action: Rollback, Model: "payments-fraud", To: "7", Actor: f.actor,
		Snapshot: paymentsAt(map[string]tw{"8": {"", 0}, "9": {fleet.TrackStable, 100}})})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "meaning", p.Meaning, "v9 serves 100 % although the registry names v8: v7 replaces v9 at once")
}

package actions

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rolloutObject is the part of an Argo Rollouts Rollout
// (argoproj.io/v1alpha1) that the verbs read.
type rolloutObject struct {
	Metadata struct {
		Name            string `json:"name"`
		Namespace       string `json:"namespace"`
		UID             string `json:"uid"`
		ResourceVersion string `json:"resourceVersion"`
		Generation      int64  `json:"generation"`
	} `json:"metadata"`
	Spec struct {
		Paused   bool `json:"paused"`
		Strategy struct {
			Canary *struct {
				Steps []canaryStep `json:"steps"`
			} `json:"canary"`
			BlueGreen json.RawMessage `json:"blueGreen"`
		} `json:"strategy"`
	} `json:"spec"`
	Status struct {
		Abort              bool   `json:"abort"`
		Phase              string `json:"phase"`
		Message            string `json:"message"`
		ControllerPause    bool   `json:"controllerPause"`
		PromoteFull        bool   `json:"promoteFull"`
		CurrentStepIndex   *int32 `json:"currentStepIndex"`
		CurrentPodHash     string `json:"currentPodHash"`
		StableRS           string `json:"stableRS"`
		ObservedGeneration string `json:"observedGeneration"` // a string in Argo's status
		PauseConditions    []struct {
			Reason    string `json:"reason"`
			StartTime string `json:"startTime"`
		} `json:"pauseConditions"`
		Canary struct {
			CurrentStepAnalysisRunStatus *struct {
				Name   string `json:"name"`
				Status string `json:"status"`
			} `json:"currentStepAnalysisRunStatus"`
			Weights *struct {
				Canary struct {
					Weight int32 `json:"weight"`
				} `json:"canary"`
			} `json:"weights"`
		} `json:"canary"`
	} `json:"status"`
}

// canaryStep is one step of a canary strategy; one of its fields is set.
type canaryStep struct {
	SetWeight *int32 `json:"setWeight"`
	Pause     *struct {
		Duration json.RawMessage `json:"duration"`
	} `json:"pause"`
	Analysis       json.RawMessage `json:"analysis"`
	Experiment     json.RawMessage `json:"experiment"`
	SetCanaryScale json.RawMessage `json:"setCanaryScale"`
}

func (s canaryStep) String() string {
	switch {
	case s.SetWeight != nil:
		return fmt.Sprintf("set weight %d", *s.SetWeight)
	case s.Pause != nil:
		if d := strings.Trim(string(s.Pause.Duration), `"`); d != "" && d != "null" {
			return "pause " + d
		}
		return "pause until promoted"
	case s.Analysis != nil:
		return "analysis"
	case s.Experiment != nil:
		return "experiment"
	case s.SetCanaryScale != nil:
		return "set canary scale"
	}
	return "a step"
}

func parseRollout(b []byte) (*rolloutObject, error) {
	var r rolloutObject
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("read the rollout: %w", err)
	}
	if r.Metadata.ResourceVersion == "" {
		return nil, fmt.Errorf("read the rollout: the answer has no metadata.resourceVersion")
	}
	return &r, nil
}

func (r *rolloutObject) steps() []canaryStep {
	if r.Spec.Strategy.Canary == nil {
		return nil
	}
	return r.Spec.Strategy.Canary.Steps
}

// stepIndex is the controller's current step (0 when it has not said).
func (r *rolloutObject) stepIndex() int {
	if r.Status.CurrentStepIndex == nil {
		return 0
	}
	return int(*r.Status.CurrentStepIndex)
}

// updating reports whether a new version is being rolled out: the pods
// of the current template are not the stable ones.
func (r *rolloutObject) updating() bool {
	return r.Status.CurrentPodHash != "" && r.Status.CurrentPodHash != r.Status.StableRS
}

// weightAt is the canary's traffic weight at step index i, as the
// controller computes it: the last set weight at or before i; 100 past the
// last step; 0 while aborted.
func (r *rolloutObject) weightAt(i int, aborted bool) int32 {
	steps := r.steps()
	switch {
	case aborted:
		return 0
	case i >= len(steps):
		return 100
	}
	for j := i; j >= 0; j-- {
		if w := steps[j].SetWeight; w != nil {
			return *w
		}
	}
	return 0
}

// weight is the canary's weight now: the traffic router's, when the
// status has one, else as the steps say.
func (r *rolloutObject) weight() int32 {
	if w := r.Status.Canary.Weights; w != nil && !r.Status.Abort {
		return w.Canary.Weight
	}
	if !r.updating() && !r.Status.Abort {
		return 0 // nothing in flight: stable takes everything
	}
	return r.weightAt(r.stepIndex(), r.Status.Abort)
}

// step is "2/4", or "" for a rollout without canary steps.
func (r *rolloutObject) step() string { return r.stepOf(r.stepIndex()) }

func (r *rolloutObject) stepOf(i int) string {
	n := len(r.steps())
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", min(i, n), n)
}

// phase is the controller's phase, "unknown" when it has not written one.
func (r *rolloutObject) phase() string {
	if r.Status.Phase == "" {
		return "unknown"
	}
	return r.Status.Phase
}

// pausedBy says who paused the rollout: "a person" (spec.paused), the
// controller's pause conditions ("CanaryPauseStep since 05:50 UTC"), or
// "" when it is not paused.
func (r *rolloutObject) pausedBy() string {
	var why []string
	if r.Spec.Paused {
		why = append(why, "paused by a person")
	}
	for _, c := range r.Status.PauseConditions {
		s := c.Reason
		t, err := time.Parse(time.RFC3339, c.StartTime)
		if err == nil {
			s += " since " + t.UTC().Format("15:04 MST")
		}
		if c.Reason == "CanaryPauseStep" {
			s += r.pauseEnd(t, err == nil)
		}
		why = append(why, s)
	}
	return strings.Join(why, "; ")
}

// pauseEnd says until when the current pause step holds: " until 06:00
// UTC" for a timed pause begun at start, " until promoted" for one
// without a duration, "" when the step is not a pause or its end is
// unknown.
func (r *rolloutObject) pauseEnd(start time.Time, known bool) string {
	steps, i := r.steps(), r.stepIndex()
	if i < 0 || i >= len(steps) || steps[i].Pause == nil {
		return ""
	}
	d := strings.Trim(string(steps[i].Pause.Duration), `"`)
	if d == "" || d == "null" {
		return " until promoted"
	}
	dur, ok := pauseDuration(d)
	if !ok || !known {
		return ""
	}
	return " until " + start.Add(dur).UTC().Format("15:04 MST")
}

// pauseDuration reads a pause step's duration as Argo Rollouts does: a
// Go duration ("10m") or a number of seconds.
func pauseDuration(d string) (time.Duration, bool) {
	if n, err := strconv.Atoi(d); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if v, err := time.ParseDuration(d); err == nil && v >= 0 {
		return v, true
	}
	return 0, false
}

// paused reports whether the rollout stands still on purpose.
func (r *rolloutObject) paused() bool {
	return r.Spec.Paused || len(r.Status.PauseConditions) > 0 || r.Status.Phase == "Paused"
}

// stale reports whether the controller has not yet seen the latest spec,
// so its status may be behind.
func (r *rolloutObject) stale() bool {
	return r.Status.ObservedGeneration != "" && r.Status.ObservedGeneration != fmt.Sprint(r.Metadata.Generation)
}

// now describes the rollout in a line: "Paused at step 1/4, weight 25
// (CanaryPauseStep since 05:50 UTC)".
func (r *rolloutObject) now() string {
	s := r.phase()
	if r.Status.Abort {
		s += ", aborted"
	}
	if st := r.step(); st != "" {
		s += " at step " + st
	}
	s += fmt.Sprintf(", canary weight %d", r.weight())
	if why := r.pausedBy(); why != "" {
		s += " (" + why + ")"
	}
	return s
}

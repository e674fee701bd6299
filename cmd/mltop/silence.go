package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/termsafe"
)

// cmdSilence silences a model's alerts in Alertmanager for a while.
func cmdSilence(args []string, stdout, stderr io.Writer) int {
	return runAction(actions.Silence, args, stdout, stderr)
}

// cmdUnsilence expires a silence before its end.
func cmdUnsilence(args []string, stdout, stderr io.Writer) int {
	return runAction(actions.Unsilence, args, stdout, stderr)
}

// silenceFlags are silence's and unsilence's own flags.
type silenceFlags struct {
	forText string
	alert   string
	version string
	format  string
}

func (f *silenceFlags) register(fs *flag.FlagSet, action string) {
	if action != actions.Silence && action != actions.Unsilence {
		return
	}
	fs.StringVar(&f.format, "format", "text", "text, or json: the outcome as one JSON object on stdout (the plan then goes to stderr)")
	if action == actions.Unsilence {
		return
	}
	fs.StringVar(&f.forText, "for", "", "how long the silence lasts: 1m to 7d, e.g. 30m, 2h, 3d (required)")
	fs.StringVar(&f.alert, "alert", "", "silence only this alert name (alertname); default every alert of the model")
	fs.StringVar(&f.version, "version", "", "silence only this version's alerts (label version); default every version")
}

// check reports flags that cannot be used: a missing or unreadable --for,
// an unknown --format.
func (f *silenceFlags) check(action string) error {
	if action != actions.Silence && action != actions.Unsilence {
		return nil
	}
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("--format must be text or json, not %q", f.format)
	}
	if action == actions.Silence && strings.TrimSpace(f.forText) == "" {
		return errors.New("--for is required: how long the silence lasts, e.g. --for 2h")
	}
	if action == actions.Silence {
		if _, err := actions.ParseSilenceDuration(f.forText); err != nil {
			return fmt.Errorf("--for: %w", err)
		}
	}
	return nil
}

// apply puts the flags into the request; an unsilence's argument is the
// silence's id, and its model is found from the silence.
func (f *silenceFlags) apply(action string, req *actions.Request) {
	switch action {
	case actions.Silence:
		req.For, _ = actions.ParseSilenceDuration(f.forText) // checked
		req.Alert, req.Version = f.alert, f.version
	case actions.Unsilence:
		req.SilenceID, req.Model = req.Model, ""
	}
}

// argName is the command's one argument, for its usage line.
func argName(action string) string {
	if action == actions.Unsilence {
		return "SILENCE_ID"
	}
	return "MODEL"
}

// silenceWord turns "no model named" into "no silence named" for unsilence.
func silenceWord(action string, err error) string {
	if action == actions.Unsilence {
		return strings.Replace(err.Error(), "model", "silence", 1)
	}
	return err.Error()
}

// actionJSON is an action's outcome as --format json prints it.
type actionJSON struct {
	RequestID string            `json:"request_id"`
	Action    string            `json:"action"`
	Model     string            `json:"model"`
	Outcome   string            `json:"outcome"`
	Message   string            `json:"message"`
	Check     string            `json:"check,omitempty"`
	Status    int               `json:"status,omitempty"`
	SilenceID string            `json:"silence_id,omitempty"`
	Matchers  []string          `json:"matchers,omitempty"`
	For       string            `json:"for,omitempty"`
	Before    map[string]string `json:"before,omitempty"`
	After     map[string]string `json:"after,omitempty"`
	Recorded  bool              `json:"recorded"`
	// Context is the config context the action was taken in.
	Context string `json:"context,omitempty"`
}

func writeActionJSON(w io.Writer, p actions.Plan, r actions.Result) {
	out := actionJSON{
		RequestID: r.ID, Action: r.Action, Model: r.Model, Outcome: string(r.Outcome), Message: r.Message,
		Check: r.Check, Status: r.Status, SilenceID: r.RunID, Matchers: p.Matchers,
		Before: r.Before, After: r.After, Recorded: r.Recorded, Context: p.Context,
	}
	if p.For > 0 {
		out.For = r.After["for"]
	}
	_ = termsafe.NewJSONEncoder(w).Encode(out)
}

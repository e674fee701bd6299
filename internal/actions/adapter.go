package actions

import (
	"context"
	"errors"
	"net/url"
	"text/template"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// adapter carries out one action with one kind of target.
type adapter interface {
	// target is where the request goes, without credentials.
	target() string
	// describe says in plain words what will change and what it means.
	describe(d TemplateData) (changes []string, meaning string)
	// change is the before/after the audit log records.
	change(d TemplateData) (before, after map[string]string)
	// send makes exactly one request.
	send(ctx context.Context, d TemplateData) (audit.Response, error)
	// check says what to look at when the outcome is unknown.
	check(d TemplateData) string
}

// secretHolder is an adapter with secrets of its own beyond the config's
// headers and token (a URL that is itself a credential); they are redacted
// from every message, as the token is.
type secretHolder interface {
	secrets() []string
}

// adapterSecrets are a's own secrets, if it has any.
func adapterSecrets(a adapter) []string {
	if h, ok := a.(secretHolder); ok {
		return h.secrets()
	}
	return nil
}

// httpAdapter holds what every HTTP kind shares.
type httpAdapter struct {
	e    *Executor
	cfg  config.Action
	spec Spec
	base string             // cfg.URL without a trailing slash
	body *template.Template // nil: the kind's own body
}

// post sends the kind's own JSON body, or the configured template's output.
func (h httpAdapter) post(ctx context.Context, d TemplateData, u string, own any, header map[string]string) (answer, error) {
	c := httpCall{method: "POST", url: u, body: own, header: header}
	if h.body != nil {
		raw, err := render(h.body, d)
		if err != nil {
			return answer{}, &notSent{err}
		}
		c.raw = raw
	}
	return h.e.send(ctx, h.cfg, d.RequestID, c)
}

func (h httpAdapter) host() string {
	if u, err := url.Parse(h.base); err == nil {
		return u.Host
	}
	return "the target"
}

// retrainMeaning is the same for every pipeline kind.
func (h httpAdapter) meaning(what string) string {
	if h.spec.Action == Retrain {
		return what + "; nothing serves differently until the new version is registered and passes its rollout"
	}
	return what
}

func (h httpAdapter) versionChange(d TemplateData) (before, after map[string]string) {
	if d.Version == "" {
		return nil, nil
	}
	return map[string]string{"version": d.Version}, nil
}

func accepted(a answer, what string) audit.Response {
	return audit.Response{Status: a.status, Message: what}
}

// errNoRegistry is returned by the mlflow kinds without a tracking server.
var errNoRegistry = &notSent{errors.New("no MLflow registry configured (mlflow.tracking_uri)")}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

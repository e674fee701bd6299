package actions

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/secretfile"
)

// amAdapter creates and expires silences through Alertmanager's v2 API.
// The plan reads first (the alerts a silence would match, or the silence
// to expire); the one request is a POST of the silence or a DELETE.
type amAdapter struct {
	e    *Executor
	am   config.Alertmanager
	base string // alertmanager.url without a trailing slash
	verb string // Silence or Unsilence
}

func (a *amAdapter) target() string { return audit.SafeURL(a.base + "/api/v2/silences") }

func (a *amAdapter) secrets() []string {
	if a.am.BasicAuth.PasswordFile == "" {
		return nil
	}
	if p, err := secretfile.Read(a.am.BasicAuth.PasswordFile); err == nil {
		return []string{p}
	}
	return nil
}

// matchers are the silence's: model, then version and alertname when
func (a *amAdapter) call(ctx context.Context, d TemplateData, method, path string, body any) (answer, error) {
	c := httpCall{method: method, url: a.base + path, body: body}
	if t := a.am.TLS; t != (config.TLS{}) {
		tc, err := tlsFiles(t)
		if err != nil {
			return answer{}, &notSent{fmt.Errorf("alertmanager.tls: %w", err)}
		}
		c.client = onceClientTLS(tc)
	}
	if b := a.am.BasicAuth; b.Username != "" && a.am.BearerTokenFile == "" {
		pass := ""
		if b.PasswordFile != "" {
			p, err := secretfile.Read(b.PasswordFile)
			if err != nil {
				return answer{}, &notSent{fmt.Errorf("alertmanager.basic_auth.password_file: %w", err)}
			}
			pass = p
		}
		c.header = map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(b.Username+":"+pass))}
	}
	cfg := config.Action{Headers: a.am.Headers, TokenFile: a.am.BearerTokenFile}
	ans, err := a.e.send(ctx, cfg, d.RequestID, c)
	if err == nil && method == http.MethodGet && !json.Valid(ans.body) {
		return ans, &notAlertmanager{status: ans.status, body: errorMessage(ans.body)}
	}
	return ans, err
}

// notAlertmanager is a 2xx answer that is not JSON: a login page, a proxy.
type notAlertmanager struct {
	status int
	body   string
}

func (e *notAlertmanager) Error() string {
	return fmt.Sprintf("HTTP %d with an answer that is not Alertmanager's JSON (%s): is alertmanager.url its address?", e.status, e.body)
}

// look reads what the plan shows: the alerts a silence would match now,
// or the silence to expire. Refusals: the silence's length; a silence
func (a *amAdapter) readSilence(ctx context.Context, d TemplateData, id string) (*amSilence, error) {
	ans, err := a.call(ctx, d, http.MethodGet, "/api/v2/silence/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	var s amSilence
	if err := json.Unmarshal(ans.body, &s); err != nil || s.ID == "" {
		return nil, &notAlertmanager{status: ans.status, body: errorMessage(ans.body)}
	}
	return &s, nil
}

func (a *amAdapter) check(d TemplateData) string {
	if a.verb == Unsilence {
		return fmt.Sprintf("check silence %s in Alertmanager (%s): it may or may not have been expired", d.silence.id, a.host())
	}
	return fmt.Sprintf("check Alertmanager's silences (%s) for the comment naming request %s: it may or may not have been created",
		a.host(), d.RequestID)
}

func (a *amAdapter) host() string {
	if u, err := url.Parse(a.base); err == nil && u.Host != "" {
		return u.Host
	}
	return "Alertmanager"
}

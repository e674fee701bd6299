package actions

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/secretfile"
)

const kindSlack = "slack"

func init() {
	register(kindOf[SlackParams]{
		name:   kindSlack,
		serves: []string{Custom},
		check: func(c *config.ActionCheck, a *config.Action, p *SlackParams) {
			if a.URL != "" {
				c.Errorf("url", "a Slack webhook URL is a secret: put it in a file (url_file) or an environment variable (url_env)")
			}
			switch {
			case p.URLFile == "" && p.URLEnv == "":
				c.Missing("url_file", "is required for kind slack (or url_env)")
			case p.URLFile != "" && p.URLEnv != "":
				c.Errorf("url_env", "set url_file or url_env, not both")
			case p.URLEnv != "" && strings.ContainsAny(p.URLEnv, "$= \t"):
				c.Errorf("url_env", "want an environment variable's name, got %q", p.URLEnv)
			}
		},
		build: func(e *Executor, s Spec, p *SlackParams) (adapter, error) {
			t, err := parseBody(s.cfg.Body)
			return &slackAdapter{httpAdapter{e: e, cfg: s.cfg, spec: s, body: t}, p}, err
		},
	})
}

// SlackParams are the keys of kind slack: where to read the incoming
// webhook's URL, which is a secret (whoever has it can post).
type SlackParams struct {
	URLFile string `yaml:"url_file" cfg:"path"` // file holding the URL
	URLEnv  string `yaml:"url_env"`             // environment variable holding it
}

// slackAdapter posts a message to a Slack incoming webhook (or any service
// that takes Slack's {"text": ...}): POST {url} {"text": ...}. The URL is
// read for each request, like a token_file, and is never shown, logged or
// recorded: the plan and the audit log name its host only.
type slackAdapter struct {
	httpAdapter
	p *SlackParams
}

// url reads the webhook URL. Its errors never quote the URL.
func (s *slackAdapter) url() (string, error) {
	var raw string
	if s.p.URLFile != "" {
		u, err := secretfile.Read(s.p.URLFile)
		if err != nil {
			return "", fmt.Errorf("url_file: %w", err)
		}
		raw = u
	} else {
		raw = os.Getenv(s.p.URLEnv)
	}
	raw = strings.TrimSpace(raw)
	from := "url_file " + s.p.URLFile
	if s.p.URLFile == "" {
		from = "$" + s.p.URLEnv
	}
	if raw == "" {
		return "", fmt.Errorf("%s is empty", from)
	}
	if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%s does not hold an http(s) URL", from)
	}
	return raw, nil
}

// target is the webhook's scheme and host: its path is the secret.
func (s *slackAdapter) target() string {
	raw, err := s.url()
	if err != nil {
		return ""
	}
	u, _ := url.Parse(raw)
	return u.Scheme + "://" + u.Host
}

// secrets are the URL and its path, redacted from every message.
func (s *slackAdapter) secrets() []string {
	raw, err := s.url()
	if err != nil {
		return nil
	}
	u, _ := url.Parse(raw)
	return []string{raw, u.EscapedPath()}
}

func (s *slackAdapter) describe(d TemplateData) ([]string, string) {
	where := "Slack"
	if t := s.target(); t != "" {
		where += " (" + strings.TrimPrefix(strings.TrimPrefix(t, "https://"), "http://") + ")"
	}
	return []string{fmt.Sprintf("posts to %s: %s", where, slackText(d))},
		"a message in the channel; nothing else changes"
}

func (s *slackAdapter) change(TemplateData) (before, after map[string]string) { return nil, nil }

func (s *slackAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	u, err := s.url()
	if err != nil {
		return audit.Response{}, &notSent{err}
	}
	ans, err := s.post(ctx, d, u, map[string]string{"text": slackText(d)}, nil)
	if err != nil {
		return audit.Response{}, err
	}
	return accepted(ans, "posted"), nil
}

func (s *slackAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check the Slack channel: the message for request %s may or may not have been posted", d.RequestID)
}

// slackText is the message: what ran on which model, by whom, and why.
// Slack reads &, < and > as markup (<!channel> pings everyone), so text
// from the operator is escaped.
func slackText(d TemplateData) string {
	title := or(d.Title, d.Action)
	version := ""
	if d.Version != "" {
		version = " v" + d.Version
	}
	who := or(d.Actor.User, "someone")
	if d.Actor.Host != "" {
		who += "@" + d.Actor.Host
	}
	text := fmt.Sprintf("mltop: %s on %s%s, by %s", title, d.Model, version, who)
	if d.Reason != "" {
		text += ": " + d.Reason
	}
	text += fmt.Sprintf(" (health %s; request %s)", d.Summary.Health, d.RequestID)
	return slackEscape.Replace(text)
}

var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

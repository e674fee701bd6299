package audit

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/mltop/mltop/internal/human"
)

// MaxMessage is the longest response message kept, in bytes.
const MaxMessage = 500

// SafeURL is raw without what may hold a secret: user info, query string
// and fragment. A raw value that does not parse gives "".
func SafeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

var (
	userInfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@"'<>]+@`)
	urlQuery = regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://[^\s"'<>?#]*)[?#][^\s"'<>]*`)
	authWord = regexp.MustCompile(`(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}`)
	keyValue = regexp.MustCompile(`(?i)\b((?:access_?token|refresh_?token|token|password|passwd|secret|api_?key|apikey|signature|sig|authorization)["']?\s*[=:]\s*["']?)[^\s"'&,;}]+`)
)

// Scrub removes what looks like a secret from free text (an error message,
// a server's answer): user info and query strings of URLs, bearer tokens,
// token=... and password: ... pairs. It also clips the text to MaxMessage.
func Scrub(s string) string {
	s = userInfo.ReplaceAllString(s, "$1")
	s = urlQuery.ReplaceAllString(s, "$1")
	s = authWord.ReplaceAllString(s, "$1 [redacted]")
	s = keyValue.ReplaceAllString(s, "$1[redacted]")
	return human.Clip(strings.TrimSpace(s), MaxMessage)
}

// Redact replaces every occurrence of the given secret values in s.
// Values shorter than 4 bytes are left alone: they would match too much.
func Redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if v = strings.TrimSpace(v); len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}

// scrubbed is r made safe to write.
func (r Record) scrubbed() Record {
	r.Target = SafeURL(r.Target)
	r.Reason = Scrub(r.Reason)
	r.Title = Scrub(r.Title)
	if r.Response != nil {
		resp := *r.Response
		resp.Message = Scrub(resp.Message)
		resp.URL = SafeURL(resp.URL)
		resp.RunID = Scrub(resp.RunID)
		r.Response = &resp
	}
	return r
}

package actions

import (
	"strings"
	"time"
)

// amMatcher is one matcher of a silence.
type amMatcher struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	IsRegex bool   `json:"isRegex"`
	IsEqual *bool  `json:"isEqual,omitempty"`
}

func (m amMatcher) String() string {
	op := "="
	switch {
	case m.IsRegex && m.IsEqual != nil && !*m.IsEqual:
		op = "!~"
	case m.IsRegex:
		op = "=~"
	case m.IsEqual != nil && !*m.IsEqual:
		op = "!="
	}
	return m.Name + op + quoteMatcher(m.Value)
}

// quoteMatcher quotes a value as Alertmanager's matcher syntax does.
func quoteMatcher(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(v) + `"`
}

// amAlert is one alert as GET /api/v2/alerts lists it.
type amAlert struct {
	Labels map[string]string `json:"labels"`
	Status struct {
		State       string   `json:"state"` // active, suppressed, unprocessed
		SilencedBy  []string `json:"silencedBy"`
		InhibitedBy []string `json:"inhibitedBy"`
	} `json:"status"`
	StartsAt time.Time `json:"startsAt"`
}

// amSilence is one silence as GET /api/v2/silence/{id} returns it.
type amSilence struct {
	ID       string      `json:"id"`
	Matchers []amMatcher `json:"matchers"`
	StartsAt time.Time   `json:"startsAt"`
	EndsAt   time.Time   `json:"endsAt"`
	Created  string      `json:"createdBy"`
	Comment  string      `json:"comment"`
	Status   struct {
		State string `json:"state"` // active, pending, expired
	} `json:"status"`
}

// postableSilence is what POST /api/v2/silences takes.
type postableSilence struct {
	Matchers  []amMatcher `json:"matchers"`
	StartsAt  string      `json:"startsAt"`
	EndsAt    string      `json:"endsAt"`
	CreatedBy string      `json:"createdBy"`
	Comment   string      `json:"comment"`
}

// given; exact, never regular expressions.
func matchers(d TemplateData) []amMatcher {
	yes := true
	out := []amMatcher{{Name: "model", Value: d.Model, IsEqual: &yes}}
	if sv := d.silence; sv != nil && sv.version != "" {
		out = append(out, amMatcher{Name: "version", Value: sv.version, IsEqual: &yes})
	}
	if sv := d.silence; sv != nil && sv.alert != "" {
		out = append(out, amMatcher{Name: "alertname", Value: sv.alert, IsEqual: &yes})
	}
	return out
}

func matchersText(ms []amMatcher) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return strings.Join(parts, ", ")
}

// call makes one request to Alertmanager: the config's headers, bearer
// token or basic auth read now, its TLS files, no retry.
// silenceModel is the model a silence's exact model matcher names.
func silenceModel(s *amSilence) (string, bool) {
	for _, m := range s.Matchers {
		if m.Name == "model" && !m.IsRegex && (m.IsEqual == nil || *m.IsEqual) {
			return m.Value, true
		}
	}
	return "", false
}

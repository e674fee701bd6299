package audit

import "strconv"

// Change says what a record changed in one phrase: "champion 8 → 7",
// "Production 8 → 7", "8 → 7", a silence, a rollout's weight and step; ""
// when it says no change.
func Change(before, after map[string]string) string {
	switch {
	case after["matchers"] != "":
		return "silence " + after["matchers"] + " for " + after["for"]
	case after["silence"] != "":
		return "expire silence " + after["silence"]
	}
	if after["version"] == "" {
		return rolloutChange(before, after)
	}
	what := after["alias"]
	if what == "" {
		what = after["stage"]
	}
	s := before["version"] + " → " + after["version"]
	if before["version"] == "" {
		s = "→ " + after["version"]
	}
	if what != "" {
		s = what + " " + s
	}
	return s
}

func rolloutChange(before, after map[string]string) string {
	if before["rollout"] == "" {
		return ""
	}
	s := "rollout " + before["rollout"]
	if before["step"] != after["step"] && after["step"] != "" {
		s += " step " + before["step"] + " → " + after["step"] + ","
	}
	s += " weight " + before["weight"] + " → " + after["weight"]
	for _, k := range []string{"paused", "aborted"} {
		if before[k] != after[k] {
			s += ", " + k + " " + before[k] + " → " + after[k]
		}
	}
	return s
}

// Summary is what the target answered, in a few words: "HTTP 200 alias
// moved"; "" when nothing is known.
func (r *Response) Summary() string {
	if r == nil {
		return ""
	}
	s := ""
	if r.Status != 0 {
		s = "HTTP " + strconv.Itoa(r.Status)
	}
	if r.Message != "" {
		if s != "" {
			s += " "
		}
		s += r.Message
	}
	return s
}

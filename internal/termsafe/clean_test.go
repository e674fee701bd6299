package termsafe

import (
	"testing"
	"unicode"
)

func TestClean(t *testing.T) {
	cases := map[string]string{
		"payments-fraud":                    "payments-fraud",
		"évaluation ✔":                      "évaluation ✔",
		"red\x1b[31mALERT\x1b[0m":           "redALERT",
		"title\x1b]0;pwned\x07after":        "titleafter",
		"title\x1b]8;;http://x\x1b\\link":   "titlelink",
		"bell\x07 and nul\x00":              "bell and nul",
		"tab\tnewline\nend":                 "tab newline end",
		"c1\u009b2Jcsi":                     "c1csi",
		"bidi\u202eevil":                    "bidievil",
		"isolate\u2067x\u2069 mark\u061c":   "isolatex mark",
		"bom\ufeff joiner\u2060":            "bom joiner",
		"line\u2028sep\u2029":               "line sep ",
		"reset\x1bc":                        "reset",
		"trailing esc\x1b":                  "trailing esc",
		"unterminated osc\x1b]0;never ends": "unterminated osc",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzClean(f *testing.F) {
	f.Add("a\x1b[1;2mb")
	f.Add("\x1b]0;x\x07")
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		for _, r := range out {
			if r == 0x1b || (unicode.IsControl(r)) {
				t.Fatalf("Clean(%q) left control %U in %q", s, r, out)
			}
		}
	})
}

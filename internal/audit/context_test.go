package audit

import (
	"path/filepath"
	"testing"
)

func TestLogForContextStampsAndReadsItsOwn(t *testing.T) {
	whole := New(filepath.Join(t.TempDir(), "audit.jsonl"))
	eu, us := whole.ForContext("prod-eu"), whole.ForContext("prod-us")
	for _, w := range []struct {
		log *Log
		id  string
	}{{eu, "1"}, {us, "2"}, {whole, "3"}, {eu, "4"}} {
		if err := w.log.Append(Record{ID: w.id, State: Requested, Model: "m"}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(l *Log) (out string) {
		rs, _, err := l.Read()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			out += r.ID + ":" + r.Context + " "
		}
		return out
	}
	if got := ids(eu); got != "1:prod-eu 4:prod-eu " {
		t.Errorf("prod-eu reads %q", got)
	}
	if got := ids(us); got != "2:prod-us " {
		t.Errorf("prod-us reads %q", got)
	}
	if got := ids(whole); got != "1:prod-eu 2:prod-us 3: 4:prod-eu " {
		t.Errorf("the whole log reads %q", got)
	}
	all, _, _ := whole.Read()
	if got := Select(all, Filter{Context: "prod-us"}); len(got) != 1 || got[0].ID != "2" {
		t.Errorf("Filter{Context: prod-us} = %+v", got)
	}
}

package labelrows

import (
	"math"
	"testing"

	"github.com/prometheus/common/model"
)

func sample(v float64, kv ...string) *model.Sample {
	m := model.Metric{}
	for i := 0; i < len(kv); i += 2 {
		m[model.LabelName(kv[i])] = model.LabelValue(kv[i+1])
	}
	return &model.Sample{Metric: m, Value: model.SampleValue(v)}
}

func TestFromVectorKeepsChosenLabels(t *testing.T) {
	vec := model.Vector{
		sample(1, "model", "churn", "feature", "tenure", "le", "0.5", "job", "x"),
		nil,
		sample(2, "model", "churn", "feature", "tenure", "le", "+Inf"),
		sample(math.NaN(), "feature", "age"),
	}
	tab := FromVector(vec, []string{"model", "feature", "le"})
	if tab.Len() != 3 {
		t.Fatalf("%d rows, want 3 (nil sample skipped)", tab.Len())
	}
	want := [][]string{{"churn", "tenure", "0.5"}, {"churn", "tenure", "+Inf"}, {"", "age", ""}}
	for r, cells := range want {
		for c, v := range cells {
			if got := tab.Text(r, c); got != v {
				t.Errorf("row %d column %s: %q, want %q", r, tab.Labels()[c], got, v)
			}
		}
	}
	if tab.Value(0) != 1 || tab.Value(1) != 2 || !math.IsNaN(tab.Value(2)) {
		t.Errorf("values %g %g %g", tab.Value(0), tab.Value(1), tab.Value(2))
	}
	// Equal values share an ID; an absent label is Absent.
	if tab.ID(0, 0) != tab.ID(1, 0) || tab.ID(0, 2) == tab.ID(1, 2) || tab.ID(2, 0) != Absent {
		t.Errorf("ids: %v %v %v", tab.Row(0), tab.Row(1), tab.Row(2))
	}
	if len(tab.Dict()) != 6 { // "", churn, tenure, 0.5, +Inf, age
		t.Errorf("dictionary %q", tab.Dict())
	}
	if tab.Column("le") != 2 || tab.Column("job") != -1 {
		t.Errorf("columns: le %d, job %d", tab.Column("le"), tab.Column("job"))
	}
}

func TestConcat(t *testing.T) {
	cols := []string{"model", "le"}
	a := FromVector(model.Vector{sample(1, "model", "a", "le", "1")}, cols)
	b := FromVector(model.Vector{sample(2, "model", "b", "le", "1"), sample(3, "model", "a", "le", "2")}, cols)
	ab, err := Concat(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := FromVector(model.Vector{sample(1, "model", "a", "le", "1"), sample(2, "model", "b", "le", "1"), sample(3, "model", "a", "le", "2")}, cols)
	if !Equal(ab, want) {
		t.Errorf("concat: %s / %s / %s", ab.String(0), ab.String(1), ab.String(2))
	}
	if ab.ID(0, 0) != ab.ID(2, 0) {
		t.Error("a value from both tables has two IDs")
	}
	if got, _ := Concat(nil, b); got != b {
		t.Error("nil + b is not b")
	}
	if got, _ := Concat(a, nil); got != a {
		t.Error("a + nil is not a")
	}
	if _, err := Concat(a, FromVector(model.Vector{sample(1)}, []string{"model", "version"})); err == nil {
		t.Error("tables with different columns joined")
	}
}

func TestEqual(t *testing.T) {
	cols := []string{"m"}
	base := FromVector(model.Vector{sample(math.NaN(), "m", "a"), sample(1, "m", "b")}, cols)
	for _, tc := range []struct {
		name string
		t    *Table
		want bool
	}{
		{"same", FromVector(model.Vector{sample(math.NaN(), "m", "a"), sample(1, "m", "b")}, cols), true},
		{"other value", FromVector(model.Vector{sample(math.NaN(), "m", "a"), sample(2, "m", "b")}, cols), false},
		{"other label", FromVector(model.Vector{sample(math.NaN(), "m", "a"), sample(1, "m", "c")}, cols), false},
		{"other order", FromVector(model.Vector{sample(1, "m", "b"), sample(math.NaN(), "m", "a")}, cols), false},
		{"fewer rows", FromVector(model.Vector{sample(math.NaN(), "m", "a")}, cols), false},
		{"other column", FromVector(model.Vector{sample(math.NaN(), "m", "a"), sample(1, "m", "b")}, []string{"n"}), false},
	} {
		if got := Equal(base, tc.t); got != tc.want {
			t.Errorf("%s: Equal = %v", tc.name, got)
		}
	}
	if !Equal(nil, NewBuilder(cols, 0).Table()) {
		t.Error("nil and empty differ")
	}
}

func TestBuilderInternBytes(t *testing.T) {
	b := NewBuilder([]string{"m"}, 1)
	buf := []byte("churn")
	id := b.InternBytes(buf)
	buf[0] = 'X' // the dictionary holds its own copy
	if b.Intern("churn") != id || b.Intern("") != Absent {
		t.Error("interning is not stable")
	}
	b.Add([]uint32{id}, 1)
	if tab := b.Table(); tab.Text(0, 0) != "churn" {
		t.Errorf("cell %q", tab.Text(0, 0))
	}
}

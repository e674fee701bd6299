package dialog

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/uitest"
)

// A plan made in a context says so, and the request confirming it carries
// the context, so that another context's executor refuses it.
func TestConfirmCarriesThePlansContext(t *testing.T) {
	p := retrainPlan()
	p.Context = "prod-eu"
	m, fa := open(t, p, 80, 22)
	if got := uitest.Plain(m); !strings.Contains(got, "prod-eu: Retrain churn-predictor") || !strings.Contains(got, "context   prod-eu") {
		t.Errorf("the dialog does not name the context:\n%s", got)
	}
	focusOn(t, m, fieldReason)
	typeText(m, "drift on tenure")
	focusOn(t, m, fieldConfirm)
	run(press(m, "enter")...)
	ex := fa.executions()
	if len(ex) != 1 || ex[0].Context != "prod-eu" {
		t.Fatalf("executed %+v, want one request in context prod-eu", ex)
	}
}

// Picking another version re-plans in the plan's own context.
func TestReplanStaysInThePlansContext(t *testing.T) {
	p := rollbackPlan()
	p.Context = "prod-eu"
	m, fa := open(t, p, 120, 38)
	six := p
	six.To = "6"
	fa.plans["6"] = six
	focusOn(t, m, fieldPicker)
	run(press(m, "right")...)
	fa.mu.Lock()
	defer fa.mu.Unlock()
	last := fa.planned[len(fa.planned)-1]
	if last.To != "6" || last.Context != "prod-eu" {
		t.Fatalf("re-planned %+v, want v6 in context prod-eu", last)
	}
}

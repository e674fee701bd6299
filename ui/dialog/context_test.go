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

package config_test

import (
	"reflect"
	"testing"

	"github.com/mltop/mltop/internal/config"
)

func TestModelNames(t *testing.T) {
	c, err := config.ParseEnv("config.yaml", []byte("mlflow:\n  model_names:\n    fraud-v2: fraud\n    churn_svc: churn\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"fraud-v2": "fraud", "churn_svc": "churn"}; !reflect.DeepEqual(c.MLflow.ModelNames, want) {
		t.Fatalf("model_names = %v, want %v", c.MLflow.ModelNames, want)
	}
	if c, err := config.ParseEnv("config.yaml", nil, noEnv); err != nil || c.MLflow.ModelNames != nil {
		t.Fatalf("default model_names = %v (%v), want none", c.MLflow.ModelNames, err)
	}
}

func TestModelNamesErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"two serving names for one model", "mlflow:\n  model_names:\n    fraud-eu: fraud\n    fraud-us: fraud\n",
			[]string{`config.yaml:4: mlflow.model_names.fraud-us: maps to "fraud", as "fraud-eu" does: a registered model joins one serving name`}},
		{"empty registered name", "mlflow:\n  model_names: {fraud-v2: \"\"}\n",
			[]string{`config.yaml:2: mlflow.model_names.fraud-v2: must name a registered model`}},
		{"empty serving name", "mlflow:\n  model_names: {\"\": fraud}\n",
			[]string{`config.yaml:2: mlflow.model_names: a serving name is empty (it maps to "fraud")`}},
		{"not a mapping", "mlflow:\n  model_names: [fraud]\n",
			[]string{`config.yaml:2: mlflow.model_names: expected a mapping, got a list`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseErrs(t, tc.src); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

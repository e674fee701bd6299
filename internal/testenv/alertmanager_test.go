package testenv

import (
	"encoding/json"
	"net/http"
	"testing"
)

// The Alertmanager the tests start answers its v2 API.
func TestStartAlertmanager(t *testing.T) {
	am := StartAlertmanager(t)
	resp, err := http.Get(am.URL + "/api/v2/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		VersionInfo map[string]string `json:"versionInfo"`
		Cluster     struct {
			Status string `json:"status"`
		} `json:"cluster"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status: HTTP %d, %v", resp.StatusCode, err)
	}
	if st.VersionInfo["version"] == "" || st.Cluster.Status != "disabled" {
		t.Errorf("status %+v; want a version and clustering disabled\n%s", st, am.Log())
	}
}

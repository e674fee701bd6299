package grafana

import (
	"bytes"
	"encoding/json"
	"io"
)

// Dashboard is the part of Grafana's dashboard model mltop fills; Grafana
// fills in the rest on import.
type Dashboard struct {
	Title         string     `json:"title"`
	Description   string     `json:"description"`
	Tags          []string   `json:"tags"`
	SchemaVersion int        `json:"schemaVersion"`
	Editable      bool       `json:"editable"`
	Time          TimeRange  `json:"time"`
	Refresh       string     `json:"refresh"`
	Templating    Templating `json:"templating"`
	Panels        []Panel    `json:"panels"`
}

// TimeRange is the dashboard's default range.
type TimeRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Templating holds the template variables.
type Templating struct {
	List []Variable `json:"list"`
}

// Variable is a template variable: the data source, or the models.
type Variable struct {
	Name       string      `json:"name"`
	Label      string      `json:"label"`
	Type       string      `json:"type"`
	Datasource *Datasource `json:"datasource,omitempty"`
	// Query is the data source type (a datasource variable) or the
	// PromQL helper (a query variable).
	Query      string `json:"query"`
	Definition string `json:"definition,omitempty"`
	// Regex extracts the value from each line query_result returns.
	Regex      string   `json:"regex,omitempty"`
	Refresh    int      `json:"refresh,omitempty"` // 2: on time range change
	Sort       int      `json:"sort,omitempty"`
	Multi      bool     `json:"multi,omitempty"`
	IncludeAll bool     `json:"includeAll,omitempty"`
	AllValue   string   `json:"allValue,omitempty"`
	Current    *Current `json:"current,omitempty"`
}

// Current is a variable's selection when the dashboard opens.
type Current struct {
	Text  []string `json:"text"`
	Value []string `json:"value"`
}

// Datasource names a data source by type and UID (or a variable).
type Datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// Panel is one graph.
type Panel struct {
	ID          int         `json:"id"`
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Datasource  Datasource  `json:"datasource"`
	GridPos     GridPos     `json:"gridPos"`
	FieldConfig FieldConfig `json:"fieldConfig"`
	Targets     []Target    `json:"targets"`
}

// GridPos places a panel on Grafana's 24-column grid.
type GridPos struct {
	H int `json:"h"`
	W int `json:"w"`
	X int `json:"x"`
	Y int `json:"y"`
}

// FieldConfig carries the unit.
type FieldConfig struct {
	Defaults  FieldDefaults `json:"defaults"`
	Overrides []any         `json:"overrides"`
}

// FieldDefaults are a panel's field defaults.
type FieldDefaults struct {
	Unit string `json:"unit"`
}

// Target is one query of a panel. RefID is the role it sends.
type Target struct {
	RefID        string     `json:"refId"`
	Datasource   Datasource `json:"datasource"`
	Expr         string     `json:"expr"`
	LegendFormat string     `json:"legendFormat"`
	Range        bool       `json:"range"`
}

// Write writes d as indented JSON. PromQL's < and > stay readable.
func (d *Dashboard) Write(w io.Writer) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return err
	}
	_, err := b.WriteTo(w)
	return err
}

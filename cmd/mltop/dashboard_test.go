package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// isolate gives the test an empty HOME and XDG directories and no mltop or
// MLflow variables, so no config on this machine is found.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	for _, v := range []string{"MLTOP_CONFIG", "MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN",
		"MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "NO_COLOR"} {
		t.Setenv(v, "")
	}
	return dir
}

func TestDashboardWithoutConfigSaysHowToStart(t *testing.T) {
	isolate(t)
	var stdout, stderr bytes.Buffer
	code := run(nil, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if stdout.Len() != 0 {
		t.Errorf("wrote to stdout: %q", stdout.String())
	}
	if got := stderr.String(); got != noConfigHelp {
		t.Errorf("stderr = %q, want the no-config help", got)
	}
	for _, want := range []string{"mltop demo", "--prometheus", "config.yaml"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestDashboardBadConfigNamesFileAndLine(t *testing.T) {
	dir := isolate(t)
	path := filepath.Join(dir, "config", "mltop", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	bad := "refresh: 5s\nprometheus:\n  url: http://127.0.0.1:9090\n  timout: 3s\n"
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(nil, &stdout, &stderr)
	if code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), path+":4") || !strings.Contains(stderr.String(), "timout") {
		t.Errorf("stderr %q does not name %s:4 and the key", stderr.String(), path)
	}
	// The same file through --config.
	stderr.Reset()
	if code := run([]string{"--config", path}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), path+":4") {
		t.Errorf("--config: exit %d, stderr %q", code, stderr.String())
	}
}

func TestDashboardBadThemeIsAnError(t *testing.T) {
	isolate(t)
	var stdout, stderr bytes.Buffer
	// A server that is never contacted: the theme is checked first.
	code := run([]string{"--prometheus", "http://127.0.0.1:9", "--theme", "purple"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), `unknown theme "purple"`) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// A theme written in the config file is checked with the rest of the
// file, so the error names its line, and before any server is contacted.
func TestDashboardConfigThemeNamesItsLine(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "mltop.yaml")
	if err := os.WriteFile(path, []byte("prometheus:\n  url: http://127.0.0.1:9\ntheme: neon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--config", path}, {"snapshot", "--config", path}, {"demo", "--config", path}} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), path+`:3: theme: unknown theme "neon"`) {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

func TestDemoRejectsBadFlags(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{{"demo", "--speed", "0"}, {"demo", "extra"}, {"demo", "--nope"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || stderr.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

func TestCaptureStderrRestores(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log")
	orig := os.Stderr
	restore := captureStderr(path)
	if os.Stderr == orig {
		t.Fatal("os.Stderr not redirected")
	}
	if _, err := os.Stderr.WriteString("Caught panic: boom\n"); err != nil {
		t.Fatal(err)
	}
	restore()
	restore()
	if os.Stderr != orig {
		t.Error("os.Stderr not restored")
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), "Caught panic: boom") {
		t.Errorf("log file holds %q (%v)", data, err)
	}
}

// panicky panics on its first key: a bug in a screen.
type panicky struct{}

func (panicky) Init() tea.Cmd { return nil }
func (panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		panic("boom in Update")
	}
	return panicky{}, nil
}
func (panicky) View() tea.View { return tea.NewView("x") }

// quitter quits on its first key.
type quitter struct{}

func (quitter) Init() tea.Cmd { return nil }
func (quitter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return quitter{}, tea.Quit
	}
	return quitter{}, nil
}
func (quitter) View() tea.View { return tea.NewView("x") }

// A panic while the dashboard runs ends it with exit 2: the report goes to
// the log file, the terminal gets one line pointing at it.
func TestRunProgramPanicGoesToLog(t *testing.T) {
	dir := t.TempDir()
	logFile := filepath.Join(dir, "mltop.log")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out, stderr bytes.Buffer
	p := tea.NewProgram(panicky{}, tea.WithInput(strings.NewReader("k")), tea.WithOutput(&out),
		tea.WithoutSignals(), tea.WithWindowSize(80, 24))
	code := runProgram(context.Background(), p, log, logFile, &stderr)
	if code != exitFailure {
		t.Errorf("exit code %d, want %d", code, exitFailure)
	}
	if got := stderr.String(); got != "mltop: internal error; details in "+logFile+"\n" {
		t.Errorf("stderr = %q", got)
	}
	data, err := os.ReadFile(logFile)
	if err != nil || !strings.Contains(string(data), "boom in Update") {
		t.Errorf("log holds %q (%v), want the panic", data, err)
	}
	if strings.Contains(out.String(), "boom") {
		t.Error("the panic was written to the terminal")
	}
}

func TestRunProgramQuitIsSuccess(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out, stderr bytes.Buffer
	p := tea.NewProgram(quitter{}, tea.WithInput(strings.NewReader("q")), tea.WithOutput(&out),
		tea.WithoutSignals(), tea.WithWindowSize(80, 24))
	if code := runProgram(context.Background(), p, log, "-", &stderr); code != exitOK || stderr.Len() != 0 {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// Without a terminal (stdout redirected, no keyboard) the dashboard and
// the demo say so in one plain line and exit 2, before starting anything.
func TestDashboardWithoutTerminalSaysSoInOneLine(t *testing.T) {
	isolate(t)
	saved := hasTerminal
	t.Cleanup(func() { hasTerminal = saved })
	hasTerminal = func() bool { return false }
	want := "mltop: the dashboard needs a terminal (stdout and keyboard); for scripts use 'mltop snapshot' or 'mltop check'\n"
	for _, args := range [][]string{{"demo"}, {"--prometheus", "http://127.0.0.1:1"}} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code != exitFailure || stderr.String() != want || stdout.Len() != 0 {
			t.Errorf("mltop %v: exit %d, stdout %q, stderr %q", args, code, stdout.String(), stderr.String())
		}
	}
}

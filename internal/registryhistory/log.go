// Package registryhistory keeps the alias and stage changes mltop sees in
// the registry, in an append-only file of JSON lines next to the audit log:
// MLflow keeps no history of its aliases, so mltop records what each
// successful registry read shows that the last known state did not.
//
// The last known state is rebuilt from the file when it is opened, so a
// restart records no false change and loses none (a change made while
// mltop was not running is recorded, at the first read that shows it).
// Several processes may share one file: each reads what the others
// appended before it compares, a move recorded twice is kept once, and a
// record from an older read than one already kept is left out.
package registryhistory

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/jsonl"
)

// FileName is the history's file, in the audit log's directory.
const FileName = "registry-history.jsonl"

// PathFor returns the history's path beside the audit log at auditPath,
// named after it ("audit.jsonl" → FileName, "demo-audit.jsonl" →
// "demo-registry-history.jsonl"), so that a log kept apart (the demo's, a
// test's) keeps its history apart too.
func PathFor(auditPath string) string {
	dir, base := filepath.Split(auditPath)
	if i := strings.LastIndex(base, "audit"); i >= 0 && strings.HasSuffix(base, ".jsonl") {
		return filepath.Join(dir, base[:i]+"registry-history"+strings.TrimSuffix(base[i+len("audit"):], ".jsonl")+".jsonl")
	}
	return filepath.Join(dir, FileName)
}

// Log is the registry history in one file. It is safe for concurrent use.
type Log struct {
	path string
	mu   sync.Mutex
	st   state
	// offset is how far the file has been replayed: up to its last
	// complete line.
	offset int64
	// file is the file replayed (nil before the first): one put in its
	// place is replayed from its start, whatever its size.
	file os.FileInfo
}

// Open replays the history at path (a missing file is an empty history;
// it is created by the first change).
func Open(path string) (*Log, error) {
	if path == "" {
		return nil, errors.New("registry history: no path configured")
	}
	l := &Log{path: path, st: state{models: map[string]*modelState{}}}
	if err := l.catchUp(); err != nil {
		return nil, err
	}
	return l, nil
}

// Path is the file the history is kept in.
func (l *Log) Path() string { return l.path }

// Torn is how many lines could not be read (torn by a crash mid-write).
func (l *Log) Torn() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.torn
}

// catchUp replays what was appended since the last replay, by this
// process or another. A last line without its '\n' is left for later: it
// is torn, or still being written. Callers hold mu (or own l alone).
func (l *Log) catchUp() error {
	f, err := os.Open(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("registry history: open %s: %w", l.path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("registry history: stat %s: %w", l.path, err)
	}
	if st.Size() < l.offset || (l.file != nil && !os.SameFile(l.file, st)) {
		// Another file, or shorter than what was read: the file was
		// replaced or cut. What it says now is the history.
		l.st, l.offset = state{models: map[string]*modelState{}}, 0
	}
	l.file = st
	if _, err := f.Seek(l.offset, io.SeekStart); err != nil {
		return fmt.Errorf("registry history: read %s: %w", l.path, err)
	}
	n, err := jsonl.Lines(f, func(line []byte, terminated bool) error {
		if !terminated {
			return nil
		}
		var r record
		if json.Unmarshal(line, &r) != nil || !r.valid() {
			l.st.torn++
			return nil
		}
		l.st.apply(r)
		return nil
	})
	l.offset += n
	if err != nil {
		return fmt.Errorf("registry history: read %s: %w", l.path, err)
	}
	return nil
}

// Observe records what reg, read at at, shows changed since the last known
// state: alias moves, creations and removals, and stage changes. A model
// (or version) seen for the first time is recorded as the base later
// changes apply to. Models absent from reg are left as they were (a read
// may be filtered); an empty stage means the registry does not say.
func (l *Log) Observe(reg fleet.Registry, at time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.catchUp(); err != nil {
		return err
	}
	var lines [][]byte
	for _, r := range l.diff(reg, at) {
		line, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("registry history: encode: %w", err)
		}
		lines = append(lines, line)
	}
	// One write for the read's records; what is not written is found
	// again at the next read.
	werr := jsonl.AppendLines(l.path, lines)
	if err := l.catchUp(); err != nil && werr == nil {
		werr = err
	}
	if werr != nil {
		return fmt.Errorf("registry history: %w", werr)
	}
	return nil
}

// diff returns the records reg adds to the known state, models by name.
func (l *Log) diff(reg fleet.Registry, at time.Time) []record {
	models := slices.Clone(reg.Models)
	slices.SortFunc(models, func(a, b fleet.RegisteredModel) int { return strings.Compare(a.Name, b.Name) })
	var out []record
	for _, rm := range models {
		if rm.Name == "" {
			continue
		}
		m := l.st.models[rm.Name]
		if m == nil {
			base := record{Time: at, Kind: kindState, Model: rm.Name, Aliases: map[string]string{}, Stages: map[string]string{}}
			for a, v := range rm.Aliases {
				base.Aliases[a] = v
			}
			for _, v := range rm.Versions {
				if v.Lineage.Stage != "" {
					base.Stages[v.Version] = v.Lineage.Stage
				}
			}
			out = append(out, base)
			continue
		}
		out = append(out, aliasChanges(m, rm, at)...)
		out = append(out, stageChanges(m, rm, at)...)
	}
	return out
}

func aliasChanges(m *modelState, rm fleet.RegisteredModel, at time.Time) []record {
	names := make([]string, 0, len(m.aliases)+len(rm.Aliases))
	for a := range m.aliases {
		names = append(names, a)
	}
	for a := range rm.Aliases {
		names = append(names, a)
	}
	slices.Sort(names)
	var out []record
	for _, a := range slices.Compact(names) {
		from, to := m.aliases[a], rm.Aliases[a]
		if from == to || m.aliasTime[a].After(at) {
			continue // unchanged, or a newer read already said
		}
		out = append(out, record{Time: at, Kind: kindAlias, Model: rm.Name, Alias: a, From: from, To: to})
	}
	return out
}

func stageChanges(m *modelState, rm fleet.RegisteredModel, at time.Time) []record {
	var out []record
	base := map[string]string{}
	for _, v := range rm.Versions {
		to := v.Lineage.Stage
		from, known := m.stages[v.Version]
		switch {
		case v.Version == "" || to == "" || from == to || m.stageTime[v.Version].After(at):
		case !known && strings.EqualFold(to, "None"):
			base[v.Version] = to // a new version starts with no stage: not a change
		default:
			out = append(out, record{Time: at, Kind: kindStage, Model: rm.Name, Version: v.Version, From: from, To: to})
		}
	}
	if len(base) > 0 {
		out = append([]record{{Time: at, Kind: kindState, Model: rm.Name, Stages: base}}, out...)
	}
	return out
}

// Changes returns the alias and stage changes of model ("" for every
// model) seen at or after since, oldest first, including what other
// processes appended to the file.
func (l *Log) Changes(model string, since time.Time) ([]fleet.RegistryChange, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.catchUp(); err != nil {
		return nil, err
	}
	var out []fleet.RegistryChange
	for _, c := range l.st.changes {
		if (model == "" || c.Model == model) && !c.Time.Before(since) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b fleet.RegistryChange) int { return a.Time.Compare(b.Time) })
	return out, nil
}

// Began is when the history first saw model ("" for any model; zero when
// it never did): before then it knows no change, so a registry rewound to
// an earlier time shows the aliases as they were when recording began.
func (l *Log) Began(model string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if model != "" {
		if m := l.st.models[model]; m != nil {
			return m.began
		}
		return time.Time{}
	}
	var first time.Time
	for _, m := range l.st.models {
		if first.IsZero() || m.began.Before(first) {
			first = m.began
		}
	}
	return first
}

package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/flaskdb"
	"github.com/gatehouse/gatehouse/usecase"
)

func rowsOf(rows []flaskdb.Row) iter.Seq2[flaskdb.Row, error] {
	return func(yield func(flaskdb.Row, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// fakeImporter imports each case-folded name once; later rows with the same
// name clash, as with the real Importer.
type fakeImporter struct {
	mu    sync.Mutex
	taken map[string]string
	fail  string // a name whose import fails
}

func (f *fakeImporter) Import(_ context.Context, name, _ string) (usecase.ImportResult, error) {
	if name == f.fail {
		return usecase.ImportResult{}, errors.New("disk full")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	key := strings.ToLower(name)
	if owner, ok := f.taken[key]; ok {
		return usecase.ImportResult{Outcome: usecase.Clash, Reason: "taken by " + owner}, nil
	}
	f.taken[key] = name
	return usecase.ImportResult{Outcome: usecase.Imported}, nil
}

func manyRows(n int) []flaskdb.Row {
	rows := make([]flaskdb.Row, n)
	for i := range rows {
		rows[i] = flaskdb.Row{ID: int64(i + 1), Username: fmt.Sprintf("user%05d", i), Password: "pw"}
	}
	return rows
}

// TestRunImportKeepsTheFirstOfClashingNames protects the rule that the
// account created first in the Flask app keeps its name, however the
// workers are scheduled.
func TestRunImportKeepsTheFirstOfClashingNames(t *testing.T) {
	t.Parallel()
	rows := manyRows(200)
	rows = slices.Insert(rows, 50, flaskdb.Row{ID: 1001, Username: "Alice"})
	rows = slices.Insert(rows, 120, flaskdb.Row{ID: 1002, Username: "ALICE"})
	rows = append(rows, flaskdb.Row{ID: 1003, Username: "alice"})
	for range 20 {
		imp := &fakeImporter{taken: map[string]string{}}
		rep, err := runImport(context.Background(), rowsOf(rows), 8, imp.Import, func(int) {})
		if err != nil {
			t.Fatalf("runImport() error = %v", err)
		}
		if imp.taken["alice"] != "Alice" {
			t.Fatalf("runImport() gave the name to %q, want the first row's Alice", imp.taken["alice"])
		}
		if rep.done != len(rows) || rep.counts[usecase.Imported] != 201 || rep.counts[usecase.Clash] != 2 || len(rep.notes) != 2 {
			t.Fatalf("runImport() report: done %d, counts %v, %d notes; want %d done, 201 imported, 2 clashes noted", rep.done, rep.counts, len(rep.notes), len(rows))
		}
	}
}

func TestRunImportReportsProgress(t *testing.T) {
	t.Parallel()
	imp := &fakeImporter{taken: map[string]string{}}
	var seen []int
	rep, err := runImport(context.Background(), rowsOf(manyRows(2500)), 4, imp.Import, func(done int) { seen = append(seen, done) })
	if err != nil || rep.done != 2500 {
		t.Fatalf("runImport(2500 rows) = %d done, %v", rep.done, err)
	}
	if !slices.Contains(seen, 1000) || !slices.Contains(seen, 2000) || !slices.IsSorted(seen) {
		t.Errorf("runImport(2500 rows) progress %v, want 1000 and 2000 among rising counts", seen)
	}
}

func TestRunImportStops(t *testing.T) {
	t.Parallel()
	rows := manyRows(500)
	imp := &fakeImporter{taken: map[string]string{}, fail: rows[100].Username}
	rep, err := runImport(context.Background(), rowsOf(rows), 4, imp.Import, func(int) {})
	if err == nil || !strings.Contains(err.Error(), "row 101") || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("runImport() with a failing row error = %v, want the row and the cause", err)
	}
	if rep.done >= len(rows) {
		t.Errorf("runImport() with a failing row went on to the end (%d done)", rep.done)
	}

	bad := func(yield func(flaskdb.Row, error) bool) {
		if yield(flaskdb.Row{ID: 1, Username: "carol"}, nil) {
			yield(flaskdb.Row{}, errors.New("flaskdb: disk I/O error"))
		}
	}
	if _, err := runImport(context.Background(), bad, 2, imp.Import, func(int) {}); err == nil || !strings.Contains(err.Error(), "disk I/O error") {
		t.Errorf("runImport() on a failing read error = %v, want the read error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := runImport(ctx, rowsOf(rows), 2, imp.Import, func(int) {}); err == nil || err.Error() != "interrupted" {
		t.Errorf("runImport() after an interrupt error = %v, want interrupted", err)
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/adapter/flaskdb"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Progress reports of a long import.
const (
	progressRows  = 1000
	progressEvery = 2 * time.Second
)

// importFunc imports one account: usecase.Importer.Import.
type importFunc func(ctx context.Context, name, password string) (usecase.ImportResult, error)

// importReport is what an import run did.
type importReport struct {
	done   int
	counts map[usecase.ImportOutcome]int
	// notes are the rows skipped or flagged, in the order they finished.
	notes []importNote
	// unreadable are the rows skipped unread (flaskdb.Row.Skip), in file
	// order.
	unreadable []flaskdb.Row
}

// importNote is one row that was skipped or imported with a flag.
type importNote struct {
	row    flaskdb.Row
	result usecase.ImportResult
}

// rowDone is a worker's answer for one row.
type rowDone struct {
	row    flaskdb.Row
	result usecase.ImportResult
}

// runImport imports rows with workers goroutines, each hashing one
// password at a time, and calls progress every progressRows rows and every
// progressEvery while rows finish. Rows whose names are equal without
// regard to case go to the same worker in file order, so the account that
// was created first in the Flask app keeps its name and the later ones
// clash, run after run. The first error stops the run; the report says
// what was done until then.
func runImport(ctx context.Context, rows iter.Seq2[flaskdb.Row, error], workers int, imp importFunc, progress func(done int)) (importReport, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	queues := make([]chan flaskdb.Row, workers)
	results := make(chan rowDone, workers)
	var wg sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan flaskdb.Row, 16)
		wg.Go(func() {
			for r := range queues[i] {
				if ctx.Err() != nil {
					continue // drain, so the feeder never blocks
				}
				res, err := imp(ctx, r.Username, r.Password)
				if err != nil {
					cancel(fmt.Errorf("row %d (%q): %w", r.ID, r.Username, err))
					continue
				}
				results <- rowDone{row: r, result: res}
			}
		})
	}
	go func() {
		defer func() {
			for _, q := range queues {
				close(q)
			}
		}()
		for r, err := range rows {
			if err != nil {
				cancel(err)
				return
			}
			if r.Skip != "" {
				// Nothing of it was read: it is done as it is. The
				// collector below reads results until every worker
				// has ended, which is after this goroutine closes the
				// queues, so the send cannot block for ever.
				results <- rowDone{row: r}
				continue
			}
			select {
			case queues[shard(r.Username, workers)] <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	rep := importReport{counts: make(map[usecase.ImportOutcome]int)}
	tick := time.NewTicker(progressEvery / 4)
	defer tick.Stop()
	shown, shownAt := 0, time.Now()
	show := func() {
		progress(rep.done)
		shown, shownAt = rep.done, time.Now()
	}
	for {
		select {
		case d, ok := <-results:
			if !ok {
				return rep, stopped(ctx)
			}
			rep.add(d)
			if rep.done%progressRows == 0 {
				show()
			}
		case <-tick.C:
			if rep.done != shown && time.Since(shownAt) >= progressEvery {
				show()
			}
		}
	}
}

// stopped returns why ctx ended early, or nil when it did not.
func stopped(ctx context.Context) error {
	err := context.Cause(ctx)
	if errors.Is(err, context.Canceled) {
		return errors.New("interrupted")
	}
	return err
}

// add counts one finished row.
func (r *importReport) add(d rowDone) {
	r.done++
	if d.row.Skip != "" {
		r.unreadable = append(r.unreadable, d.row)
		return
	}
	r.counts[d.result.Outcome]++
	if d.result.Outcome != usecase.Imported && d.result.Outcome != usecase.AlreadyImported {
		r.notes = append(r.notes, importNote(d))
	}
}

// shard picks the worker for name: the same one for every name that is
// equal to it without regard to case.
func shard(name string, workers int) int {
	key := name
	if u, err := domain.NewUsername(name); err == nil {
		key = u.Canonical()
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(workers))
}

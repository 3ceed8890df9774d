package flaskdb_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/flaskdb"
)

// TestOpenRefusesAUsersThatIsNotATable protects the import from SQL the
// file chose: a view (here one that recurses forever, or one that calls
// load_extension) or a virtual table named users is refused at once,
// before anything reads it.
func TestOpenRefusesAUsersThatIsNotATable(t *testing.T) {
	tests := []struct {
		name    string
		stmts   []string
		wantMsg string
	}{
		{"recursive view", []string{`CREATE VIEW users AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
			SELECT x AS id, 'user' || x AS username, 'password' AS password FROM c`}, "users is a view"},
		{"view over a table", []string{seedSchema[:len("CREATE TABLE ")] + "real_users" + seedSchema[len("CREATE TABLE users"):],
			"INSERT INTO real_users (username, password) VALUES ('alice', 'pw')",
			"CREATE VIEW Users AS SELECT id, username, password FROM real_users"}, "users is a view"},
		{"view calling a function", []string{`CREATE VIEW users AS SELECT 1 AS id, load_extension('/tmp/evil') AS username, '' AS password`}, "users is a view"},
		{"virtual table", []string{"CREATE VIRTUAL TABLE users USING fts5(id, username, password)"}, "users is a virtual table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := makeDB(t, tt.stmts...)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			f, err := flaskdb.Open(ctx, path)
			if err == nil {
				// Reading it is what spun forever: bounded here by ctx.
				_, countErr := f.Count(ctx)
				f.Close()
				t.Fatalf("Open(%s) error = nil (then Count() error = %v), want %v", tt.name, countErr, flaskdb.ErrNotATable)
			}
			if !errors.Is(err, flaskdb.ErrNotATable) || !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), path) {
				t.Errorf("Open(%s) error = %v, want %v saying %q and the path", tt.name, err, flaskdb.ErrNotATable, tt.wantMsg)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("Open(%s) took %s to refuse it, want at once", tt.name, took)
			}
		})
	}
}

// TestOpenRefusesTablesTheFlaskAppNeverWrites protects the import from a
// table that computes what it yields (a generated column runs at every
// read) or that would make the rowid pages skip or repeat rows.
func TestOpenRefusesTablesTheFlaskAppNeverWrites(t *testing.T) {
	tests := []struct {
		name    string
		schema  string
		wantMsg string
	}{
		{"generated password", `CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT,
			password TEXT GENERATED ALWAYS AS (hex(zeroblob(500000000))) VIRTUAL)`, "users.password is a generated column"},
		{"stored generated username", `CREATE TABLE users (id INTEGER PRIMARY KEY, password TEXT,
			username TEXT GENERATED ALWAYS AS ('u' || id) STORED)`, "users.username is a generated column"},
		{"without rowid", `CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, password TEXT) WITHOUT ROWID`, "WITHOUT ROWID"},
		{"a column named rowid", `CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, password TEXT, rowid TEXT)`, "a column named rowid"},
		{"a column named oid", `CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, password TEXT, OID TEXT)`, "a column named oid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := makeDB(t, tt.schema)
			f, err := flaskdb.Open(context.Background(), path)
			if err == nil {
				f.Close()
				t.Fatalf("Open(%s) error = nil, want %v", tt.name, flaskdb.ErrUnexpectedSchema)
			}
			if !errors.Is(err, flaskdb.ErrUnexpectedSchema) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Open(%s) error = %v, want %v saying %q", tt.name, err, flaskdb.ErrUnexpectedSchema, tt.wantMsg)
			}
		})
	}
}

// TestRowsSkipsOversizedRowsWithoutReadingThem protects the memory of the
// import: a username or password over its limit, or an id that is not a
// number, is yielded as a row to skip, with the reason and without the
// value, and the rows around it are read as usual.
func TestRowsSkipsOversizedRowsWithoutReadingThem(t *testing.T) {
	path := makeDB(t, "CREATE TABLE users (id, username TEXT, password TEXT)",
		"INSERT INTO users (rowid, id, username, password) VALUES (1, 1, 'alice', 'a-pass')",
		"INSERT INTO users (rowid, id, username, password) VALUES (2, 2, 'b' || hex(zeroblob(40)), 'b-pass')",
		"INSERT INTO users (rowid, id, username, password) VALUES (3, 3, 'carol', hex(zeroblob(100)))",
		"INSERT INTO users (rowid, id, username, password) VALUES (4, 'four', 'dave', 'd-pass')",
		"INSERT INTO users (rowid, id, username, password) VALUES (5, 5, 'erin', hex(zeroblob(32)))",
	)
	f, err := flaskdb.OpenWith(context.Background(), path, flaskdb.Limits{UsernameBytes: 80, PasswordBytes: 64})
	if err != nil {
		t.Fatalf("OpenWith() error = %v", err)
	}
	defer f.Close()
	want := []flaskdb.Row{
		{ID: 1, Username: "alice", Password: "a-pass"},
		{ID: 2, Skip: "the username is 81 bytes long, more than 80"},
		{ID: 3, Skip: "the password is 200 bytes long, more than 64"},
		{ID: 4, Skip: "the id is text, not an integer (row 4 of the table)"},
		{ID: 5, Username: "erin", Password: strings.Repeat("0", 64)},
	}
	var got []flaskdb.Row
	for r, err := range f.Rows(context.Background()) {
		if err != nil {
			t.Fatalf("Rows() error = %v", err)
		}
		got = append(got, r)
	}
	if len(got) != len(want) {
		t.Fatalf("Rows() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Rows()[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestRowsReadsEveryPage protects the paging: more rows than one read
// fetches come out each once, in rowid order, negative rowids included.
func TestRowsReadsEveryPage(t *testing.T) {
	path := makeDB(t, seedSchema,
		`WITH RECURSIVE c(x) AS (SELECT -600 UNION ALL SELECT x + 1 FROM c WHERE x < 599)
		INSERT INTO users (id, username, password) SELECT x, 'user' || x, 'pw' || x FROM c`,
		"INSERT INTO users (id, username, password) VALUES (-9223372036854775808, 'lowest', 'pw'), (9223372036854775807, 'highest', 'pw')")
	f, err := flaskdb.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []int64
	for r, err := range f.Rows(context.Background()) {
		if err != nil {
			t.Fatalf("Rows() error = %v", err)
		}
		ids = append(ids, r.ID)
	}
	if len(ids) != 1202 || ids[0] != -1<<63 || ids[1] != -600 || ids[1200] != 599 || ids[1201] != 1<<63-1 {
		t.Fatalf("Rows() yielded %d ids from %v to %v, want the 1202 rows in order", len(ids), ids[:2], ids[len(ids)-2:])
	}
	for i := 2; i < 1201; i++ {
		if ids[i] != ids[i-1]+1 {
			t.Fatalf("Rows() yielded id %d after %d, want every id once in order", ids[i], ids[i-1])
		}
	}
}

// TestReadTimeBoundsTheWholeRead protects the import from a file too big
// or too slow to read: once the reads have taken Limits.ReadTime in all,
// the next one is interrupted and fails with ErrTooSlow, long before the
// file is read to its end. An interrupt of the caller's own context is
// not reported as a slow file.
func TestReadTimeBoundsTheWholeRead(t *testing.T) {
	const total = 50_000
	path := makeDB(t, seedSchema,
		`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000)
		INSERT INTO users (id, username, password) SELECT x, 'user' || x, 'password' || x FROM c`)
	read := func(ctx context.Context, limit time.Duration) (int, error) {
		f, err := flaskdb.OpenWith(ctx, path, flaskdb.Limits{ReadTime: limit})
		if err != nil {
			return 0, err
		}
		defer f.Close()
		if _, err := f.Count(ctx); err != nil {
			return 0, err
		}
		n := 0
		for _, err := range f.Rows(ctx) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}

	start := time.Now()
	n, err := read(context.Background(), 10*time.Millisecond)
	if !errors.Is(err, flaskdb.ErrTooSlow) || !strings.Contains(err.Error(), "10ms in all") {
		t.Errorf("reading %d rows with a ReadTime of 10ms: %d rows, error = %v, want %v", total, n, err, flaskdb.ErrTooSlow)
	}
	if n >= total {
		t.Errorf("reading with a ReadTime of 10ms read all %d rows, want it stopped", n)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("reading with a ReadTime of 10ms took %s, want it stopped soon after 10ms", took)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := read(ctx, time.Minute); err == nil || errors.Is(err, flaskdb.ErrTooSlow) {
		t.Errorf("reading with a cancelled context error = %v, want the cancellation, not %v", err, flaskdb.ErrTooSlow)
	}

	if n, err := read(context.Background(), time.Minute); err != nil || n != total {
		t.Errorf("reading with the default ReadTime = %d rows, %v; want %d, nil", n, err, total)
	}
}

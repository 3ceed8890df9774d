package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"

	"github.com/gatehouse/gatehouse/adapter/flaskdb"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// importFlask runs "gatehouse import-flask".
func importFlask(c *cli, args []string) error {
	cl := c.command("import-flask", "PATH", `
Imports the accounts of the Flask app's users.db at PATH, which it opens
read-only. Each password is hashed with argon2id, so users keep logging in
with what they know; a password today's policy refuses is imported but
flagged, and its owner must choose a new one at the next login. A name
that is taken (without regard to case) or breaks the username rules is
skipped. Running it again imports nothing twice. It prints progress to
standard error, then the counts and the names skipped or flagged, quoted.

It trusts nothing in the file: users must be a plain table (not a view),
a username over 1 KiB or a password over 4 KiB is skipped unread, and
reading the file may take a minute in all (the hashing is not counted).`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	// A file that cannot be read fails before the database is touched.
	f, err := flaskdb.Open(context.Background(), pos[0])
	if err != nil {
		return fmt.Errorf("import-flask: %w", err)
	}
	defer f.Close()
	total, err := f.Count(context.Background())
	if err != nil {
		return fmt.Errorf("import-flask: %w", err)
	}
	var im *usecase.Importer
	return c.withCore(cfg, func(ctx context.Context) error {
		rep, err := runImport(ctx, f.Rows(ctx), runtime.GOMAXPROCS(0), im.Import, func(done int) {
			fmt.Fprintf(c.stderr, "imported %d/%d\n", done, total)
		})
		printImport(c.stdout, f.Path(), total, rep)
		if err != nil {
			return fmt.Errorf("import-flask: stopped after %d of %d rows (run it again to go on): %w", rep.done, total, err)
		}
		return nil
	}, fx.Populate(&im))
}

// printImport writes the counts of rep and lists the rows it skipped or
// flagged, in file order.
func printImport(w io.Writer, path string, total int, rep importReport) {
	fmt.Fprintf(w, "%s: %d of %s done\n", path, rep.done, plural(total, "row"))
	for _, line := range []struct {
		label   string
		outcome usecase.ImportOutcome
	}{
		{"imported", usecase.Imported},
		{"imported, weak password flagged", usecase.ImportedWeak},
		{"already imported", usecase.AlreadyImported},
		{"skipped: name clash", usecase.Clash},
		{"skipped: invalid name", usecase.InvalidName},
	} {
		fmt.Fprintf(w, "  %-33s %d\n", line.label, rep.counts[line.outcome])
	}
	fmt.Fprintf(w, "  %-33s %d\n", "skipped: unreadable row", len(rep.unreadable))
	notes := slices.Clone(rep.notes)
	slices.SortFunc(notes, func(a, b importNote) int { return cmp.Compare(a.row.ID, b.row.ID) })
	for _, group := range []struct {
		title   string
		outcome usecase.ImportOutcome
	}{
		{"Skipped, name clash:", usecase.Clash},
		{"Skipped, invalid name:", usecase.InvalidName},
		{"Imported with a weak password (the user must choose a new one at the next login):", usecase.ImportedWeak},
	} {
		if rep.counts[group.outcome] == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", group.title)
		for _, n := range notes {
			if n.result.Outcome != group.outcome {
				continue
			}
			// The name is the file's, as it is there: quoted, so a
			// newline or a terminal escape in it cannot forge a line.
			fmt.Fprintf(w, "  row %d: %q: %s\n", n.row.ID, n.row.Username, n.result.Reason)
		}
	}
	if len(rep.unreadable) > 0 {
		fmt.Fprintf(w, "\nSkipped, unreadable (nothing of the row was imported):\n")
		for _, r := range rep.unreadable {
			fmt.Fprintf(w, "  row %d: %s\n", r.ID, r.Skip)
		}
	}
}

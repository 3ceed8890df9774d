package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/database"
)

// migrateCommand runs "gatehouse migrate".
func migrateCommand(c *cli, args []string) error {
	cl := c.command("migrate", "", `
Applies the pending database migrations to DATABASE_URL (creating the
SQLite database file if there is none; a PostgreSQL database must exist)
and prints which ran. The server does the same at every start, and of
several instances starting at once one migrates while the others wait;
this runs them ahead of a deploy.`)
	if _, err := cl.parse(args, 0); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	var (
		db        *bun.DB
		before    []string
		beforeErr error
	)
	// The graph opens the database when it is built and migrates it when
	// it starts: what is applied in between is what the start changed.
	readBefore := fx.Invoke(func(db *bun.DB) {
		before, beforeErr = sqlstore.AppliedMigrations(context.Background(), db)
	})
	where := database.Redact(cfg.DatabaseURL)
	return c.withCore(cfg, func(ctx context.Context) error {
		if beforeErr != nil {
			return fmt.Errorf("migrate %s: %w", where, beforeErr)
		}
		after, err := sqlstore.AppliedMigrations(ctx, db)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", where, err)
		}
		added := slices.DeleteFunc(slices.Clone(after), func(m string) bool { return slices.Contains(before, m) })
		switch {
		case len(added) > 0:
			fmt.Fprintf(c.stdout, "applied %s to %s: %s\n", plural(len(added), "migration"), where, strings.Join(added, ", "))
		case len(after) > 0:
			fmt.Fprintf(c.stdout, "%s is up to date: %s applied, the newest %s\n", where, plural(len(after), "migration"), after[len(after)-1])
		default:
			fmt.Fprintf(c.stdout, "%s is up to date\n", where)
		}
		return nil
	}, fx.Populate(&db), readBefore)
}

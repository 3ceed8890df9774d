package sqlstore

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
)

// fillSkeletons sets users.username_skeleton on the rows that have none:
// the rows from before the migration that added it, and any that an
// instance of an older release wrote since. The skeleton is Go
// (domain.Username.Skeleton), so this step cannot be SQL. Rows go oldest
// first, one UPDATE each, and a row takes its skeleton only while no
// other row holds it: of two existing accounts that look alike the older
// keeps the skeleton and the newer stays NULL, so both keep their names
// and log in, the skeleton stays taken for new names, and the step never
// fails on a collision. A collision with a row written meanwhile (the
// unique index refuses the UPDATE) is left the same way. On a database
// where every row has its skeleton it costs one query.
func fillSkeletons(ctx context.Context, db *bun.DB) error {
	var rows []userRow
	err := db.NewSelect().Model(&rows).
		Column("id", "username").
		Where("username_skeleton IS NULL").
		Order("id").
		Scan(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: read usernames without a skeleton: %w", translate(err))
	}
	for _, r := range rows {
		sk := domain.RestoreUsername(r.Username).Skeleton()
		_, err := db.NewUpdate().Model((*userRow)(nil)).
			Set("username_skeleton = ?", sk).
			Where("id = ?", r.ID).
			Where("username_skeleton IS NULL").
			Where("NOT EXISTS (SELECT 1 FROM users AS other WHERE other.username_skeleton = ?)", sk).
			Exec(ctx)
		if err != nil && !isUsernameTaken(err) {
			return fmt.Errorf("sqlstore: set the skeleton of user %d: %w", r.ID, translate(err))
		}
	}
	return nil
}

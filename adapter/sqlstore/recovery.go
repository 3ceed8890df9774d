package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
)

// ResetPassword consumes user's recovery code with id and sets the
// password, in one transaction: the UPDATE that consumes requires the
// code to be user's, of the recovery purpose, unused and unexpired, and
// its row count decides, so of two resets with one code one wins. Then
// the password hash and the credential version change in
// UserStore.SetPassword's one UPDATE, the account's sessions and other recovery
// codes are deleted, and events and mails are stored.
func (s *EmailStore) ResetPassword(ctx context.Context, id int64, user domain.UserID, hash string, now time.Time, events []domain.SecurityEvent, mails ...domain.QueuedMail) (int64, error) {
	var version int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*codeRow)(nil)).
			Set("used_at = ?", toMillis(now)).
			Where("id = ?", id).Where("user_id = ?", int64(user)).
			Where("purpose = ?", string(domain.PurposeRecover)).
			Where("used_at = 0").Where("expires_at > ?", toMillis(now)).Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			return err
		}
		if version, err = setPassword(ctx, tx, user, hash, false); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*sessionRow)(nil)).Where("user_id = ?", int64(user)).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*codeRow)(nil)).
			Where("user_id = ?", int64(user)).Where("purpose = ?", string(domain.PurposeRecover)).
			Where("id <> ?", id).Exec(ctx); err != nil {
			return err
		}
		if err := recordEvents(ctx, tx, events); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, mails)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: reset password of user %d: %w", user, translate(err))
	}
	return version, nil
}

package usecase

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
)

// The SecurityEvent.Detail of a domain.EventDisplayNameChange: whether a
// name was set or the name cleared. The name itself stays out of the
// history, which outlives the account.
const (
	DisplayNameSet     = "set"
	DisplayNameCleared = "cleared"
)

// SetDisplayName gives p's account the display name raw normalizes to
// (domain.NewDisplayName), or none when raw is blank, records the change
// in the account's history, and returns the account as it now is. An
// invalid name is an *InvalidInputError on InputDisplayName, and changes
// nothing. A name equal to the current one changes and records nothing.
// The change touches no credential, so every session stays.
func (a *Account) SetDisplayName(ctx context.Context, p Principal, raw string, c Client) (domain.User, error) {
	name, err := domain.NewDisplayName(raw)
	if err != nil {
		return domain.User{}, asInput(InputDisplayName, err)
	}
	u := p.User
	if name == u.DisplayName {
		return u, nil
	}
	if err := a.accounts.SetDisplayName(ctx, u.ID, name); err != nil {
		return domain.User{}, fmt.Errorf("set display name of user %d: %w", u.ID, err)
	}
	detail := DisplayNameSet
	if name.IsZero() {
		detail = DisplayNameCleared
	}
	a.events.record(ctx, domain.EventDisplayNameChange, u.ID, 0, c, detail)
	u.DisplayName = name
	return u, nil
}

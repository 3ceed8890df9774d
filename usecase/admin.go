package usecase

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gatehouse/gatehouse/domain"
)

// AdminPageSize is how many accounts one page of the admin list holds.
const AdminPageSize = 20

// Actor is who performs an admin action: an admin signed in to the web, or
// the operator at the command line.
type Actor struct {
	User     domain.User
	Operator bool
}

// Operator is the command line's actor: whoever can run the binary against
// the database already holds every power.
var Operator = Actor{Operator: true}

func (a Actor) check() error {
	if a.Operator || a.User.IsAdmin() {
		return nil
	}
	return domain.ErrForbidden
}

func (a Actor) id() domain.UserID { return a.User.ID }

// Admin manages other accounts. Every method first checks that the actor
// may: an enabled admin or the operator, else domain.ErrForbidden. An
// action on an id that names no account returns domain.ErrNotFound and
// records nothing.
type Admin struct {
	directory UserDirectory
	accounts  AccountStore
	creator   UserCreator
	sessions  *SessionManager
	throttle  ThrottleStore
	passwords *PasswordPolicy
	clock     Clock
	events    recorder
}

// NewAdmin returns an Admin.
func NewAdmin(directory UserDirectory, accounts AccountStore, creator UserCreator, sessions *SessionManager, throttle ThrottleStore, passwords *PasswordPolicy, history EventLog, clock Clock, log *slog.Logger) *Admin {
	return &Admin{
		directory: directory, accounts: accounts, creator: creator, sessions: sessions,
		throttle: throttle, passwords: passwords, clock: clock,
		events: recorder{history: history, clock: clock, logger: log},
	}
}

// List returns page (from 0) of the accounts whose name contains search.
func (a *Admin) List(ctx context.Context, actor Actor, search string, page int) (UserPage, error) {
	if err := actor.check(); err != nil {
		return UserPage{}, err
	}
	page = max(page, 0)
	res, err := a.directory.List(ctx, UserQuery{
		Search: strings.TrimSpace(search),
		Offset: page * AdminPageSize,
		Limit:  AdminPageSize,
		Now:    a.clock.Now().UTC(),
	})
	if err != nil {
		return UserPage{}, fmt.Errorf("list users: %w", err)
	}
	return res, nil
}

// ByName returns the account named name.
func (a *Admin) ByName(ctx context.Context, actor Actor, name string) (domain.User, error) {
	if err := actor.check(); err != nil {
		return domain.User{}, err
	}
	u, err := domain.NewUsername(name)
	if err != nil {
		return domain.User{}, fmt.Errorf("user %q: %w", name, domain.ErrNotFound)
	}
	user, err := a.accounts.ByUsername(ctx, u)
	if err != nil {
		return domain.User{}, fmt.Errorf("user %q: %w", name, err)
	}
	return user, nil
}

// Create makes an account with role; the password policy applies, the
// signup limits do not.
func (a *Admin) Create(ctx context.Context, actor Actor, name, password string, role domain.Role, c Client) (domain.User, error) {
	if err := actor.check(); err != nil {
		return domain.User{}, err
	}
	username, nameErr := domain.ChooseUsername(name)
	pw, passErr := a.passwords.Check(password, username)
	if err := mergeInvalid(asInput(InputUsername, nameErr), asInput(InputPassword, passErr)); err != nil {
		return domain.User{}, err
	}
	hash, err := a.passwords.Hash(ctx, pw)
	if err != nil {
		return domain.User{}, fmt.Errorf("create user %q: %w", username, err)
	}
	u, err := a.creator.Create(ctx, domain.User{
		Username: username, PasswordHash: hash, CreatedAt: a.clock.Now().UTC(), Role: role,
	})
	if err != nil {
		return domain.User{}, fmt.Errorf("create user %q: %w", username, err)
	}
	a.events.record(ctx, domain.EventAdminCreate, u.ID, actor.id(), c, string(role))
	return u, nil
}

// SetPassword gives the account a new password (the policy applies) and
// ends its sessions. The change moves the account's credential version
// on, so a login that checked the old password while it ran gets no
// session either.
func (a *Admin) SetPassword(ctx context.Context, actor Actor, id domain.UserID, password string, c Client) error {
	if err := actor.check(); err != nil {
		return err
	}
	u, err := a.accounts.ByID(ctx, id)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	pw, err := a.passwords.Check(password, u.Username)
	if err != nil {
		return asInput(InputPassword, err)
	}
	hash, err := a.passwords.Hash(ctx, pw)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	if _, err := a.accounts.SetPassword(ctx, id, hash, false); err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	if _, err := a.sessions.RevokeAll(ctx, id, 0); err != nil {
		return err
	}
	a.events.record(ctx, domain.EventAdminPassword, id, actor.id(), c, "")
	return nil
}

// Disable stops the account from logging in and ends its sessions at once.
func (a *Admin) Disable(ctx context.Context, actor Actor, id domain.UserID, c Client) error {
	if err := actor.check(); err != nil {
		return err
	}
	if err := a.directory.SetDisabled(ctx, id, true); err != nil {
		return fmt.Errorf("disable user %d: %w", id, err)
	}
	if _, err := a.sessions.RevokeAll(ctx, id, 0); err != nil {
		return err
	}
	a.events.record(ctx, domain.EventAdminDisable, id, actor.id(), c, "")
	return nil
}

// Enable lets a disabled account log in again.
func (a *Admin) Enable(ctx context.Context, actor Actor, id domain.UserID, c Client) error {
	if err := actor.check(); err != nil {
		return err
	}
	if err := a.directory.SetDisabled(ctx, id, false); err != nil {
		return fmt.Errorf("enable user %d: %w", id, err)
	}
	a.events.record(ctx, domain.EventAdminEnable, id, actor.id(), c, "")
	return nil
}

// ClearThrottle forgets the account's failed logins from every network.
func (a *Admin) ClearThrottle(ctx context.Context, actor Actor, id domain.UserID, c Client) error {
	if err := actor.check(); err != nil {
		return err
	}
	u, err := a.accounts.ByID(ctx, id)
	if err != nil {
		return fmt.Errorf("clear throttling of user %d: %w", id, err)
	}
	if _, err := a.throttle.ClearAccount(ctx, u.Username.Canonical()); err != nil {
		return fmt.Errorf("clear throttling of user %d: %w", id, err)
	}
	a.events.record(ctx, domain.EventAdminClearLimit, id, actor.id(), c, "")
	return nil
}

// RevokeSessions ends every session of the account and reports how many.
// An unknown account is domain.ErrNotFound, and nothing is recorded.
func (a *Admin) RevokeSessions(ctx context.Context, actor Actor, id domain.UserID, c Client) (int64, error) {
	if err := actor.check(); err != nil {
		return 0, err
	}
	// Deleting no sessions would succeed for any id; the lookup keeps an
	// event about an account that does not exist out of the history (the
	// id may name an account created later).
	if _, err := a.accounts.ByID(ctx, id); err != nil {
		return 0, fmt.Errorf("revoke sessions of user %d: %w", id, err)
	}
	n, err := a.sessions.RevokeAll(ctx, id, 0)
	if err != nil {
		return 0, err
	}
	a.events.record(ctx, domain.EventAdminRevokeAll, id, actor.id(), c, fmt.Sprintf("%d sessions", n))
	return n, nil
}

// SetRole makes the account an admin or a user and ends its sessions. The
// only enabled admin cannot be demoted (domain.ErrLastAdmin).
func (a *Admin) SetRole(ctx context.Context, actor Actor, id domain.UserID, role domain.Role, c Client) error {
	if err := actor.check(); err != nil {
		return err
	}
	if err := a.directory.SetRole(ctx, id, role); err != nil {
		return fmt.Errorf("set role of user %d: %w", id, err)
	}
	// A privilege change ends the account's sessions, so its next session
	// starts with a new token under the new role.
	if _, err := a.sessions.RevokeAll(ctx, id, 0); err != nil {
		return err
	}
	a.events.record(ctx, domain.EventAdminRole, id, actor.id(), c, string(role))
	return nil
}

// Delete removes the account; the only enabled admin cannot be deleted.
func (a *Admin) Delete(ctx context.Context, actor Actor, id domain.UserID, c Client) error {
	if err := actor.check(); err != nil {
		return err
	}
	if err := a.accounts.Delete(ctx, id); err != nil {
		return fmt.Errorf("delete user %d: %w", id, err)
	}
	a.events.record(ctx, domain.EventAdminDelete, id, actor.id(), c, "")
	return nil
}

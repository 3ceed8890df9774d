package main

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestUserIdentitiesAndUnlink: the operator lists an account's linked
// providers and unlinks one; the last way to sign in of an account
// without a password is refused; unknown accounts and identities are
// said so.
func TestUserIdentitiesAndUnlink(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	must(t, env, "wonderland-2024\n", "user", "create", "alice", "--password-stdin")
	var (
		ids      usecase.IdentityStore
		accounts usecase.AccountStore
		history  usecase.EventLog
	)
	startCore(t, env, &ids, &accounts, &history)
	ctx := context.Background()
	name, _ := domain.NewUsername("alice")
	alice, err := accounts.ByUsername(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	if err := ids.Link(ctx, domain.Identity{UserID: alice.ID, Provider: "github", Subject: "1", Name: "alice-gh", LinkedAt: at}); err != nil {
		t.Fatal(err)
	}
	bobName, _ := domain.NewUsername("bob")
	if _, err := ids.CreateAccount(ctx, domain.User{Username: bobName, CreatedAt: at}, domain.Identity{Provider: "google", Subject: "g", Name: "bob@example.com", LinkedAt: at}); err != nil {
		t.Fatal(err)
	}
	runSteps(t, env, []step{
		{[]string{"user", "identities", "alice"}, "", exitOK, "alice: password yes, 1 linked identities", ""},
		{[]string{"user", "identities", "alice"}, "", exitOK, "github    alice-gh  2026-12-01 09:30 UTC", ""},
		{[]string{"user", "identities", "bob"}, "", exitOK, "bob: password no, 1 linked identities", ""},
		{[]string{"user", "unlink", "bob", "google"}, "", exitFailed, "", "it is the account's last way to sign in"},
		{[]string{"user", "unlink", "alice", "google"}, "", exitFailed, "", `"alice" has no google identity`},
		{[]string{"user", "unlink", "alice", "github"}, "", exitOK, "unlinked github from alice", ""},
		{[]string{"user", "identities", "alice"}, "", exitOK, "alice: password yes, 0 linked identities", ""},
		{[]string{"user", "identities", "nobody"}, "", exitFailed, "", `no user named "nobody"`},
		{[]string{"user", "unlink", "alice"}, "", exitUsage, "", "missing argument"},
	})
	events, _ := history.ListByUser(ctx, alice.ID, []domain.EventKind{domain.EventIdentityUnlinked}, 5)
	if len(events) != 1 || events[0].Detail != "github" {
		t.Errorf("alice's identity_unlinked events = %+v, want one naming github", events)
	}
}

package usecase_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestSetDisplayName: a valid name is normalized, stored, returned on the
// account and recorded (set, then cleared) without the name; the session
// stays; the same name again writes and records nothing.
func TestSetDisplayName(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)

	steps := []struct {
		raw        string
		want       string
		wantDetail string // of the event recorded; "" for none
	}{
		{"  Ａｌｉｃｅ   Liddell ", "Alice Liddell", usecase.DisplayNameSet},
		{"Alice Liddell", "Alice Liddell", ""}, // unchanged
		{"<b>Alice</b> & co", "<b>Alice</b> & co", usecase.DisplayNameSet},
		{"   ", "", usecase.DisplayNameCleared},
		{"", "", ""}, // already none
	}
	for _, step := range steps {
		before := f.countKind(t, domain.EventDisplayNameChange)
		got, err := f.account.SetDisplayName(ctx, p, step.raw, home)
		if err != nil {
			t.Fatalf("SetDisplayName(%q) error = %v", step.raw, err)
		}
		want := p.User
		want.DisplayName = domain.RestoreDisplayName(step.want)
		if got != want {
			t.Errorf("SetDisplayName(%q) = %+v, want %+v", step.raw, got, want)
		}
		stored, err := f.users.ByID(ctx, p.User.ID)
		if err != nil || stored.DisplayName.String() != step.want {
			t.Errorf("after SetDisplayName(%q) the store holds %q, %v; want %q", step.raw, stored.DisplayName, err, step.want)
		}
		p.User = got

		events, err := f.events.ListByUser(ctx, p.User.ID, []domain.EventKind{domain.EventDisplayNameChange}, 1)
		if err != nil {
			t.Fatalf("ListByUser() error = %v", err)
		}
		recorded := f.countKind(t, domain.EventDisplayNameChange) - before
		switch {
		case step.wantDetail == "" && recorded != 0:
			t.Errorf("SetDisplayName(%q), no change, recorded %d events, want none", step.raw, recorded)
		case step.wantDetail != "" && (recorded != 1 || events[0].Detail != step.wantDetail ||
			events[0].IP != home.IP.String() || events[0].UserAgent != home.UserAgent || events[0].ActorID != 0):
			t.Errorf("SetDisplayName(%q) recorded %d events, the latest %+v; want one %q from %v by the owner", step.raw, recorded, events, step.wantDetail, home.IP)
		}
	}
	if sessions, err := f.account.Sessions(ctx, p); err != nil || !slices.ContainsFunc(sessions, func(s domain.Session) bool { return s.ID == p.Session.ID }) {
		t.Errorf("Sessions() after the changes = %d sessions, %v; want the current session kept", len(sessions), err)
	}
}

// TestSetDisplayNameRefused: an invalid name is an *InvalidInputError on
// InputDisplayName alone, with the domain's message, and changes and
// records nothing; a store that fails says so, recording nothing.
func TestSetDisplayNameRefused(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	kept, err := f.account.SetDisplayName(ctx, p, "Alice", home)
	if err != nil {
		t.Fatalf("SetDisplayName(Alice) error = %v", err)
	}
	p.User = kept
	events := f.countKind(t, domain.EventDisplayNameChange)

	for _, raw := range []string{"Alice\u202Egnp.exe", "\u2067Alice\u2069", "Ali\x00ce", strings.Repeat("a", domain.DisplayNameMaxLen+1), "\u2800", "\xff"} {
		_, err := f.account.SetDisplayName(ctx, p, raw, home)
		var invalid *usecase.InvalidInputError
		if !errors.As(err, &invalid) || invalid.Fields[usecase.InputDisplayName] == "" || len(invalid.Fields) != 1 {
			t.Errorf("SetDisplayName(%q) error = %v, want a message on %s alone", raw, err, usecase.InputDisplayName)
		}
	}
	f.users.setErr = domain.ErrUnavailable
	if _, err := f.account.SetDisplayName(ctx, p, "Alice Liddell", home); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("SetDisplayName() on a failing store error = %v, want %v", err, domain.ErrUnavailable)
	}
	f.users.setErr = nil

	if stored, err := f.users.ByID(ctx, p.User.ID); err != nil || stored.DisplayName != kept.DisplayName {
		t.Errorf("after the refusals the store holds %q, %v; want %q kept", stored.DisplayName, err, kept.DisplayName)
	}
	if n := f.countKind(t, domain.EventDisplayNameChange); n != events {
		t.Errorf("display_name_change events after the refusals = %d, want still %d", n, events)
	}
}

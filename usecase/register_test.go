package usecase_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

func TestRegister(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	s := newStores(t)
	hasher := &fakeHasher{version: "v1"}
	r := usecase.NewRegistrar(s.users, usecase.NewPasswordPolicy(hasher, fakeBlocklist{"password1234": true}), newTestThrottle(s.throttles, clock), s.events, clock, discard, nil)

	u, err := r.Register(ctx, usecase.RegisterInput{Username: " Alice ", Password: "correct horse battery"})
	if err != nil {
		t.Fatalf("Register(Alice) error = %v, want nil", err)
	}
	if u.ID == 0 || u.Username.String() != "Alice" || !u.CreatedAt.Equal(clock.now) {
		t.Errorf("Register(Alice) = %+v, want a stored user named Alice created now", u)
	}
	if u.PasswordHash != "v1:correct horse battery" {
		t.Errorf("Register(Alice) stored hash %q, want the hasher's output", u.PasswordHash)
	}

	tests := []struct {
		name       string
		in         usecase.RegisterInput
		wantIs     error
		wantFields []usecase.Input
	}{
		{"taken, other case", usecase.RegisterInput{Username: "ALICE", Password: "another good password"}, domain.ErrUsernameTaken, nil},
		{"taken, looks alike", usecase.RegisterInput{Username: "AIice", Password: "another good password"}, domain.ErrUsernameTaken, nil},
		{"mixed scripts", usecase.RegisterInput{Username: "r\u043e\u043et", Password: "another good password"}, nil, []usecase.Input{usecase.InputUsername}},
		{"both invalid", usecase.RegisterInput{Username: "a", Password: "short"}, nil, []usecase.Input{usecase.InputUsername, usecase.InputPassword}},
		{"password contains name", usecase.RegisterInput{Username: "bobby", Password: "iambobby-and-proud"}, nil, []usecase.Input{usecase.InputPassword}},
		{"missing fields", usecase.RegisterInput{}, nil, []usecase.Input{usecase.InputUsername, usecase.InputPassword}},
		{"common password", usecase.RegisterInput{Username: "carol", Password: "password1234"}, nil, []usecase.Input{usecase.InputPassword}},
	}
	for _, tt := range tests {
		_, err := r.Register(ctx, tt.in)
		if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
			t.Errorf("%s: Register(%q) error = %v, want %v", tt.name, tt.in.Username, err, tt.wantIs)
		}
		if tt.wantFields != nil {
			var ve *usecase.InvalidInputError
			if !errors.As(err, &ve) {
				t.Errorf("%s: Register(%q) error = %v, want an InvalidInputError", tt.name, tt.in.Username, err)
				continue
			}
			for _, f := range tt.wantFields {
				if ve.Fields[f] == "" {
					t.Errorf("%s: Register(%q) fields = %v, want a message for %q", tt.name, tt.in.Username, ve.Fields, f)
				}
			}
		}
	}
	if hasher.hashes != 3 { // Alice, then ALICE and AIice (rejected by the store, not before)
		t.Errorf("hasher ran %d times, want 3: invalid input must not reach the hasher", hasher.hashes)
	}
}

func TestRegisterPropagatesStoreErrors(t *testing.T) {
	s := newStores(t)
	s.users.err = domain.ErrUnavailable
	clock := &fakeClock{}
	r := usecase.NewRegistrar(s.users, usecase.NewPasswordPolicy(&fakeHasher{version: "v1"}, fakeBlocklist{}), newTestThrottle(s.throttles, clock), s.events, clock, discard, nil)
	_, err := r.Register(context.Background(), usecase.RegisterInput{Username: "carol", Password: "correct horse battery"})
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Register with a failing store error = %v, want %v", err, domain.ErrUnavailable)
	}
}

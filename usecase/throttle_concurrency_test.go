package usecase_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// The limits hold however many attempts arrive at once: each is reserved
// before its password is hashed, so a burst is judged as if its attempts
// came one by one. The hasher takes a while, as argon2id does, so that
// every attempt of the burst is in flight while the first are verified.

// concurrently runs f n times at once and returns the errors, in order.
func concurrently(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// outcomes counts errs by kind: nil, invalid credentials, throttled, other.
func outcomes(errs []error) (ok, invalid, throttled int, other []error) {
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, domain.ErrInvalidCredentials):
			invalid++
		case retryAfter(err) > 0:
			throttled++
		default:
			other = append(other, err)
		}
	}
	return ok, invalid, throttled, other
}

func TestConcurrentWrongPasswordsAreEvaluatedOnlyUpToTheLimit(t *testing.T) {
	f := newAuthFixture(t)
	f.hasher.delay = 20 * time.Millisecond
	const n = 25
	errs := concurrently(n, func(int) error { return f.try("198.51.100.1", "wrong password!") })
	_, invalid, throttled, other := outcomes(errs)
	if want := testThrottlePolicy.MaxFailures; invalid != want || throttled != n-want || len(other) != 0 {
		t.Errorf("%d concurrent wrong passwords: %d judged wrong, %d throttled, others %v; want %d judged, %d throttled",
			n, invalid, throttled, other, want, n-want)
	}
	n5, _, err := f.throttles.Failures(context.Background(), "alice", "198.51.100.1", time.Time{})
	if err != nil || n5 != testThrottlePolicy.MaxFailures {
		t.Errorf("Failures(alice) after the burst = %d, %v, want %d", n5, err, testThrottlePolicy.MaxFailures)
	}
}

func TestConcurrentSignupsAreAcceptedOnlyUpToTheCap(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	s := newStores(t)
	hasher := &fakeHasher{version: "v1", delay: 20 * time.Millisecond}
	r := usecase.NewRegistrar(s.users, usecase.NewPasswordPolicy(hasher, fakeBlocklist{}), newTestThrottle(s.throttles, clock), s.events, clock, discard, nil)
	ip := netip.MustParseAddr("192.0.2.1")
	const n = 30
	errs := concurrently(n, func(i int) error {
		_, err := r.Register(context.Background(), usecase.RegisterInput{
			Username: fmt.Sprintf("user-%02d", i), Password: "correct horse battery", Client: usecase.Client{IP: ip},
		})
		return err
	})
	ok, _, throttled, other := outcomes(errs)
	if want := testThrottlePolicy.SignupMaxPerNetwork; ok != want || throttled != n-want || len(other) != 0 {
		t.Errorf("%d concurrent signups from one address: %d accepted, %d throttled, others %v; want exactly %d accepted",
			n, ok, throttled, other, want)
	}
}

// TestSignupReservationOutcomes: invalid input gives its place back, a taken
// name keeps the place it took (it cost a hash), and a signup the hasher
// could not serve gives its place back.
func TestSignupReservationOutcomes(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	s := newStores(t)
	hasher := &fakeHasher{version: "v1"}
	r := usecase.NewRegistrar(s.users, usecase.NewPasswordPolicy(hasher, fakeBlocklist{}), newTestThrottle(s.throttles, clock), s.events, clock, discard, nil)
	ip := netip.MustParseAddr("192.0.2.1")
	ctx := context.Background()
	register := func(name string) error {
		_, err := r.Register(ctx, usecase.RegisterInput{Username: name, Password: "correct horse battery", Client: usecase.Client{IP: ip}})
		return err
	}
	if err := register("taken"); err != nil {
		t.Fatalf("Register(%q) error = %v", "taken", err)
	}
	tests := []struct {
		name      string
		fail      error // the hasher's
		wantErr   func(error) bool
		wantCount int
	}{
		{"a b", nil, func(err error) bool { var e *usecase.InvalidInputError; return errors.As(err, &e) }, 1}, // given back
		{"taken", nil, func(err error) bool { return errors.Is(err, domain.ErrUsernameTaken) }, 2},
		{"unserved", domain.ErrUnavailable, func(err error) bool { return errors.Is(err, domain.ErrUnavailable) }, 2},
	}
	for _, tt := range tests {
		hasher.fail = tt.fail
		if err := register(tt.name); !tt.wantErr(err) {
			t.Errorf("Register(%q) error = %v, want the other kind", tt.name, err)
		}
		if got, _, err := s.throttles.CountEvents(ctx, usecase.ThrottleSignup, "192.0.2.1", time.Time{}); err != nil || got != tt.wantCount {
			t.Errorf("signups counted after Register(%q) = %d, %v, want %d", tt.name, got, err, tt.wantCount)
		}
	}
}

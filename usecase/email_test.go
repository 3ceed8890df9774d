package usecase_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// fakeCodes hands out its codes in turn, then the last one (or
// 22222222) again.
type fakeCodes struct {
	mu    sync.Mutex
	codes []string
}

func (c *fakeCodes) NewCode() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch len(c.codes) {
	case 0:
		return "22222222", nil
	case 1:
		return c.codes[0], nil
	}
	code := c.codes[0]
	c.codes = c.codes[1:]
	return code, nil
}

// fakeComposer renders a message as its kind and data.
type fakeComposer struct{}

func (fakeComposer) Compose(kind domain.MailKind, to string, data usecase.MailData) (domain.Email, error) {
	return domain.Email{To: to, Subject: string(kind), Text: "code " + data.Code, MessageID: "x@example.com"}, nil
}

type emailFixture struct {
	*accountFixture
	emails *usecase.AccountEmail
	p      usecase.Principal
}

func newEmailFixture(t *testing.T, codes ...string) *emailFixture {
	t.Helper()
	f := newAccountFixture(t)
	e := usecase.NewAccountEmail(f.stores.emails, f.users, f.account, f.throttle, fakeComposer{}, &fakeCodes{codes: codes},
		usecase.CodeKey("test key"), usecase.DefaultCodePolicy(), f.events, f.clock, discard)
	return &emailFixture{accountFixture: f, emails: e, p: f.loginAlice(t)}
}

func (f *emailFixture) queued(t *testing.T) []domain.QueuedMail {
	t.Helper()
	list, err := f.stores.outbox.List(context.Background(), nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func isCodeError(err error) bool {
	var invalid *usecase.InvalidInputError
	return errors.As(err, &invalid) && invalid.Fields[usecase.InputCode] != ""
}

func TestEmailCodeExpires(t *testing.T) {
	f := newEmailFixture(t, "K7QW3MZP")
	ctx := context.Background()
	if err := f.emails.Change(ctx, f.p, "alice@example.com", "correct horse battery", home); err != nil {
		t.Fatalf("Change() error = %v", err)
	}
	f.clock.Advance(time.Hour + time.Second)
	if err := f.emails.Verify(ctx, f.p, "K7QW3MZP", home); !isCodeError(err) {
		t.Errorf("Verify() after an hour error = %v, want the code refused", err)
	}
	if st, _ := f.emails.Status(ctx, f.p); !st.Verified.IsZero() || !st.Pending.IsZero() {
		t.Errorf("Status() after expiry = %+v, want no address and nothing pending", st)
	}
}

func TestEmailCodeStoredAsKeyedHashOnly(t *testing.T) {
	f := newEmailFixture(t, "K7QW3MZP")
	ctx := context.Background()
	if err := f.emails.Change(ctx, f.p, "alice@example.com", "correct horse battery", home); err != nil {
		t.Fatal(err)
	}
	code, err := f.stores.emails.ActiveCode(ctx, f.p.User.ID, domain.PurposeVerifyEmail, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(code.Hash) != 32 || bytes.Contains(code.Hash, []byte("K7QW3MZP")) || !code.ExpiresAt.Equal(f.clock.Now().Add(time.Hour)) {
		t.Errorf("stored code = %+v, want a 32-byte keyed hash expiring in an hour", code)
	}
	other := usecase.NewAccountEmail(f.stores.emails, f.users, f.account, f.throttle, fakeComposer{}, &fakeCodes{},
		usecase.CodeKey("another key"), usecase.DefaultCodePolicy(), f.events, f.clock, discard)
	if err := other.Verify(ctx, f.p, "K7QW3MZP", home); !isCodeError(err) {
		t.Errorf("Verify() under another key error = %v, want refused: the hash is keyed", err)
	}
}

func TestEmailResendReplacesTheCode(t *testing.T) {
	f := newEmailFixture(t, "K7QW3MZP", "H4XN9RTA")
	ctx := context.Background()
	if err := f.emails.Change(ctx, f.p, "alice@example.com", "correct horse battery", home); err != nil {
		t.Fatal(err)
	}
	if err := f.emails.Resend(ctx, f.p, home); err != nil {
		t.Fatalf("Resend() error = %v", err)
	}
	if err := f.emails.Verify(ctx, f.p, "K7QW3MZP", home); !isCodeError(err) {
		t.Errorf("Verify(the first code) after a resend error = %v, want refused", err)
	}
	if err := f.emails.Verify(ctx, f.p, "h4xn 9rta", home); err != nil {
		t.Errorf("Verify(the new code, typed loosely) error = %v", err)
	}
	if n := len(f.queued(t)); n != 2 {
		t.Errorf("%d messages queued, want the two codes", n)
	}
}

func TestEmailInputs(t *testing.T) {
	f := newEmailFixture(t, "K7QW3MZP")
	ctx := context.Background()
	for _, bad := range []string{"", "not-an-address", "Alice <alice@example.com>", "alice@localhost"} {
		err := f.emails.Change(ctx, f.p, bad, "correct horse battery", home)
		var invalid *usecase.InvalidInputError
		if !errors.As(err, &invalid) || invalid.Fields[usecase.InputEmail] == "" {
			t.Errorf("Change(%q) error = %v, want an invalid email", bad, err)
		}
	}
	if err := f.emails.Resend(ctx, f.p, home); err == nil {
		t.Errorf("Resend() with nothing pending error = nil, want an invalid input")
	}
	if n := len(f.queued(t)); n != 0 {
		t.Errorf("%d messages queued after refused changes, want 0", n)
	}
}

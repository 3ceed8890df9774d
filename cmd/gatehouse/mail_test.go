package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/smtptest"
	"github.com/gatehouse/gatehouse/usecase"
)

// plainMailURL points MAIL_URL at srv in the clear (a loopback host).
func plainMailURL(srv *smtptest.Server) string {
	return fmt.Sprintf("smtp://%s?tls=none", srv.Addr())
}

func TestMailTestDelivers(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Plain)
	env := testEnv(t)
	env["MAIL_URL"] = plainMailURL(srv)
	env["PUBLIC_URL"] = "https://login.example.org"
	out := must(t, env, "", "mail", "test", "ops@example.com")
	if !strings.Contains(out, "accepted by "+srv.Addr()) || !strings.Contains(out, "Message-ID <") {
		t.Errorf("mail test output %q, want it to say the server accepted the message, with its Message-ID", out)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "ops@example.com" {
		t.Fatalf("server got %+v, want one message to ops@example.com", msgs)
	}
	p, err := smtptest.Parse(msgs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "gatehouse test message" || !strings.Contains(p.Text, "https://login.example.org/") || !strings.Contains(out, strings.Trim(p.MessageID, "<>")) {
		t.Errorf("message %+v, want the test message linking to PUBLIC_URL, with the Message-ID printed", p)
	}
}

func TestMailTestFailures(t *testing.T) {
	t.Parallel()
	rejecting := smtptest.Start(t, smtptest.Plain)
	rejecting.Reject(550, "mailbox unavailable")
	down := smtptest.Reserve(t, smtptest.Plain)
	tests := []struct {
		server *smtptest.Server
		want   []string
	}{
		{rejecting, []string{"refused for good", "550", "mailbox unavailable"}},
		{down, []string{"not sent", "a later attempt may succeed"}},
	}
	for _, tt := range tests {
		env := testEnv(t)
		env["MAIL_URL"] = plainMailURL(tt.server)
		r := gatehouse(t, env, "", "mail", "test", "ops@example.com")
		if r.code != exitFailed {
			t.Errorf("mail test = %d, want %d", r.code, exitFailed)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("mail test stderr %q, want it to say %q", r.stderr, w)
			}
		}
	}
}

func TestMailTestPickup(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	dir := filepath.Join(t.TempDir(), "outgoing")
	env["MAIL_URL"] = "file:" + dir
	out := must(t, env, "", "mail", "test", "ops@example.com")
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if !strings.Contains(out, "written to the pickup directory "+dir) || len(files) != 1 {
		t.Errorf("mail test with file: said %q and wrote %q, want one .eml file", out, files)
	}
}

func TestMailTestRefusesABadAddress(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"not-an-address", "Ops <ops@example.com>"} {
		r := gatehouse(t, testEnv(t), "", "mail", "test", addr)
		if r.code != exitUsage || !strings.Contains(r.stderr, "not an email address") {
			t.Errorf("mail test %q = %d, stderr %q; want %d saying it is not an address", addr, r.code, r.stderr, exitUsage)
		}
	}
}

func TestMailQueue(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	if out := must(t, env, "", "mail", "queue"); !strings.Contains(out, "no pending or failed messages") {
		t.Errorf("mail queue on an empty outbox = %q", out)
	}
	var outbox usecase.MailOutbox
	startCore(t, env, &outbox)
	ctx := context.Background()
	now := time.Now().UTC()
	for i, to := range []string{"sent@example.com", "failed@example.com", "pending@example.com"} {
		err := outbox.Enqueue(ctx, domain.QueuedMail{
			Kind: domain.MailTest, CreatedAt: now.Add(time.Duration(i) * time.Millisecond),
			Email: domain.Email{To: to, Subject: "s", Text: "CANARY-BODY", HTML: "<p>CANARY-BODY</p>", MessageID: fmt.Sprintf("%d@example.com", i)},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := outbox.Claim(ctx, now.Add(time.Second), time.Minute, 2)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("Claim() = %d, %v", len(claimed), err)
	}
	claimed[0].Status, claimed[0].SentAt = domain.MailSent, now
	claimed[1].Status, claimed[1].SentAt, claimed[1].LastError = domain.MailFailed, now, "550 no such\nmailbox"
	for _, m := range claimed {
		if err := outbox.Settle(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	out := must(t, env, "", "mail", "queue")
	if !strings.Contains(out, "failed@example.com") || !strings.Contains(out, "550 no such mailbox") || !strings.Contains(out, "pending@example.com") {
		t.Errorf("mail queue = %q, want the failed message with its reason and the pending one", out)
	}
	if strings.Contains(out, "sent@example.com") || strings.Contains(out, "CANARY") {
		t.Errorf("mail queue = %q, want neither the sent message nor any body", out)
	}
	if _, err := os.Stat("mail"); err == nil {
		t.Errorf("a command made the pickup directory mail in the working directory")
	}
}

func TestUserListShowsEmail(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	must(t, env, "correct horse battery staple\n", "user", "create", "alice", "--password-stdin")
	must(t, env, "correct horse battery staple\n", "user", "create", "bob", "--password-stdin")
	var (
		emails usecase.EmailStore
		admin  *usecase.Admin
	)
	startCore(t, env, &emails, &admin)
	ctx := context.Background()
	page, err := admin.List(ctx, usecase.Operator, "", 0)
	if err != nil || len(page.Users) != 2 {
		t.Fatalf("List() = %+v, %v", page, err)
	}
	now := time.Now()
	for i, addr := range []string{"alice@example.com", "bob@example.com"} {
		a, _ := domain.NewEmailAddress(addr)
		err := emails.PutCode(ctx, domain.PendingCode{UserID: page.Users[i].User.ID, Purpose: domain.PurposeVerifyEmail,
			Address: a, Hash: []byte{1}, ExpiresAt: now.Add(time.Hour), CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
	}
	code, err := emails.TryCode(ctx, page.Users[0].User.ID, domain.PurposeVerifyEmail, now, 5)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := emails.ConfirmEmail(ctx, code.ID, page.Users[0].User.ID, now, nil); err != nil {
		t.Fatal(err)
	}
	out := must(t, env, "", "user", "list")
	if row := strings.Join(listRow(out, "alice"), " "); !strings.Contains(row, "alice@example.com (verified)") {
		t.Errorf("user list: alice's row %q, want her verified address", row)
	}
	if row := strings.Join(listRow(out, "bob"), " "); !strings.Contains(row, "bob@example.com (unverified)") {
		t.Errorf("user list: bob's row %q, want his pending address", row)
	}
}

func TestUserEmail(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	must(t, env, "correct horse battery staple\n", "user", "create", "alice", "--password-stdin")
	must(t, env, "correct horse battery staple\n", "user", "create", "bob", "--password-stdin")
	if out := must(t, env, "", "user", "email", "alice", "Alice@example.com", "--verified"); !strings.Contains(out, "now Alice@example.com (verified)") {
		t.Errorf("user email --verified said %q", out)
	}
	r := gatehouse(t, env, "", "user", "email", "bob", "alice@EXAMPLE.com")
	if r.code != exitFailed || !strings.Contains(r.stderr, "another account has verified") {
		t.Errorf("user email bob <alice's address> = %d, %q; want refused", r.code, r.stderr)
	}
	if out := must(t, env, "", "user", "email", "bob", "bob@example.com"); !strings.Contains(out, "queued a code for bob@example.com") {
		t.Errorf("user email without --verified said %q", out)
	}
	if out := must(t, env, "", "mail", "queue"); !strings.Contains(out, "verify_email") || !strings.Contains(out, "bob@example.com") {
		t.Errorf("mail queue after user email = %q, want bob's code waiting", out)
	}
	out := must(t, env, "", "user", "list")
	if row := strings.Join(listRow(out, "alice"), " "); !strings.Contains(row, "Alice@example.com (verified)") {
		t.Errorf("user list: alice's row %q", row)
	}
	if row := strings.Join(listRow(out, "bob"), " "); !strings.Contains(row, "bob@example.com (unverified)") {
		t.Errorf("user list: bob's row %q", row)
	}
	if r := gatehouse(t, env, "", "user", "email", "bob", "not-an-address"); r.code != exitUsage {
		t.Errorf("user email with a bad address = %d, %q; want %d", r.code, r.stderr, exitUsage)
	}
	if r := gatehouse(t, env, "", "user", "email", "nobody", "n@example.com"); r.code != exitFailed || !strings.Contains(r.stderr, `no user named "nobody"`) {
		t.Errorf("user email for an unknown user = %d, %q", r.code, r.stderr)
	}
}

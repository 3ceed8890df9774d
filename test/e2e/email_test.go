package e2e

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/smtptest"
	"github.com/gatehouse/gatehouse/test/testserver"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// startSiteWithMail is startSite with the site's mail going to smtp.
func startSiteWithMail(t *testing.T, smtp *smtptest.Server, opts ...fx.Option) *site {
	t.Helper()
	s := loadSuite(t, requireChromium(t))
	cfg := testserver.Config(t)
	cfg.PublicURL = "https://login.example.org"
	opts = append(opts, testserver.SMTP(&cfg, smtp, 200*time.Millisecond))
	logs := &testserver.Buffer{}
	addr := testserver.Start(t, cfg, logs, opts...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return &site{t: t, suite: s, base: "http://" + addr}
}

var verifyLink = regexp.MustCompile(`https://login\.example\.org(/account/email/verify\?code=[2-9A-HJ-NP-Z]{8})`)

// TestAddAndVerifyAnAddress adds an address on the account page, reads
// the message from the SMTP server, opens its link (which fills in the
// code) and verifies the address, with the keyboard alone.
func TestAddAndVerifyAnAddress(t *testing.T) {
	var admin *usecase.Admin
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	s := startSiteWithMail(t, smtp, fx.Populate(&admin))
	if _, err := admin.Create(context.Background(), usecase.Operator, "henry", alicePassword, domain.RoleUser, usecase.Client{}); err != nil {
		t.Fatal(err)
	}
	b := s.launch(t, "", desktop)
	b.wantAt(b.open("/login"), http.StatusOK, "/login")
	b.wantAt(b.logIn("henry", alicePassword, false), http.StatusOK, "/")
	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	b.typeInto("#email", "henry@example.com")
	b.typeInto("#email_current_password", alicePassword)
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/account?notice=email-code-sent")
	b.wantText(`[role="status"]`, "A code is on its way")
	b.checkPage("account-email-pending", "")

	msgs := smtp.Wait(t, 1, 10*time.Second)
	p, err := smtptest.Parse(msgs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	m := verifyLink.FindStringSubmatch(p.Text)
	if m == nil {
		t.Fatalf("no verification link in %q", p.Text)
	}
	code, _ := url.ParseQuery(m[1][len("/account/email/verify?"):])
	b.wantAt(b.open(m[1]), http.StatusOK, m[1])
	if got := b.attr("#code", "value"); got != code.Get("code") {
		t.Fatalf("the link's form has code %q, want %q filled in", got, code.Get("code"))
	}
	b.checkPage("account-email-verify-link", "")
	b.wantAt(b.activate(`form[action="/account/email/verify"] button[type="submit"]`), http.StatusOK, "/account?notice=email-verified")
	b.wantText("main", "Your address is henry@example.com")
	b.checkPage("account-email-verified", "")
}

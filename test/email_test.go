package test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/smtptest"
)

const emailPassword = "correct horse battery staple"

// codeIn finds the verification code in the text of a message.
var codeIn = regexp.MustCompile(`\b[2-9A-HJ-NP-Z]{8}\b`)

// mailTo waits for the n-th message (counting from 1) and returns it
// parsed, failing unless it went to addr.
func mailTo(t *testing.T, smtp *smtptest.Server, n int, addr string) smtptest.Parsed {
	t.Helper()
	msgs := smtp.Wait(t, n, 5*time.Second)
	m := msgs[n-1]
	if len(m.To) != 1 || m.To[0] != addr {
		t.Fatalf("message %d went to %q, want %s", n, m.To, addr)
	}
	p, err := smtptest.Parse(m.Data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// codeOf returns the code of a verification message, checking its link.
func codeOf(t *testing.T, p smtptest.Parsed) string {
	t.Helper()
	if !strings.Contains(p.Subject, "verification code") {
		t.Fatalf("message %q is not a verification code", p.Subject)
	}
	code := codeIn.FindString(p.Text)
	if code == "" {
		t.Fatalf("no code in %q", p.Text)
	}
	link := "https://login.example.org/account/email/verify?code=" + code
	if !strings.Contains(p.Text, link) || !strings.Contains(p.HTML, `href="`+link+`"`) {
		t.Errorf("message lacks the link %s built from PUBLIC_URL: text %q", link, p.Text)
	}
	return code
}

type meBody struct {
	Email         *string `json:"email"`
	EmailVerified bool    `json:"email_verified"`
}

func getMe(t *testing.T, c *apiClient) meBody {
	t.Helper()
	var me meBody
	res := c.call(http.MethodGet, v1+"/me", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /me = %d", res.StatusCode)
	}
	res.decode(t, &me)
	return me
}

// TestEmailSignupThenVerifyThroughTheAPI: an address given at signup gets
// a code at once; it is the account's only once the code comes back, and
// the code works once.
func TestEmailSignupThenVerifyThroughTheAPI(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	api := r.srv.newAPIClient()
	res := api.call(http.MethodPost, v1+"/users", map[string]string{"username": "alice", "password": emailPassword, "email": "Alice@Example.com"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /users with an email = %d: %s", res.StatusCode, res.Body)
	}
	code := codeOf(t, mailTo(t, smtp, 1, "Alice@Example.com"))
	alice, _ := api.login("alice", emailPassword, false)
	if me := getMe(t, alice); me.Email == nil || *me.Email != "Alice@Example.com" || me.EmailVerified {
		t.Errorf("GET /me before verifying = %+v, want the pending address, unverified", me)
	}
	wrong := "22222222"
	if wrong == code {
		wrong = "33333333"
	}
	alice.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": wrong}).wantError(t, "verify with a wrong code", http.StatusUnprocessableEntity, "invalid_input")
	if res := alice.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": strings.ToLower(code[:4]) + "-" + code[4:]}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("verify with the code = %d: %s", res.StatusCode, res.Body)
	}
	if me := getMe(t, alice); me.Email == nil || *me.Email != "Alice@Example.com" || !me.EmailVerified {
		t.Errorf("GET /me after verifying = %+v, want the address, verified", me)
	}
	alice.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": code}).wantError(t, "the code a second time", http.StatusUnprocessableEntity, "invalid_input")
	if logs := r.srv.logs.String(); strings.Contains(logs, code) {
		t.Errorf("the code %s is in the logs", code)
	}
}

// TestEmailCodeTriesAndSingleUse: five wrong codes spend it, so the sixth
// try, even the right code, is refused; of two submissions of one code at
// once, one wins.
func TestEmailCodeTriesAndSingleUse(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	api := r.srv.newAPIClient()
	api.signup("bob", emailPassword)
	bob, _ := api.login("bob", emailPassword, false)
	change := map[string]string{"email": "bob@example.com", "current_password": emailPassword}
	if res := bob.call(http.MethodPut, v1+"/me/email", change); res.StatusCode != http.StatusAccepted {
		t.Fatalf("PUT /me/email = %d: %s", res.StatusCode, res.Body)
	}
	code := codeOf(t, mailTo(t, smtp, 1, "bob@example.com"))
	for range 5 {
		bob.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": "ZZZZZZZZ"}).wantError(t, "a wrong code", http.StatusUnprocessableEntity, "invalid_input")
	}
	bob.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": code}).wantError(t, "the right code as the 6th try", http.StatusUnprocessableEntity, "invalid_input")

	// A resend replaces the spent code.
	if res := bob.call(http.MethodPut, v1+"/me/email", change); res.StatusCode != http.StatusAccepted {
		t.Fatalf("PUT /me/email again = %d", res.StatusCode)
	}
	code = codeOf(t, mailTo(t, smtp, 2, "bob@example.com"))
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Go(func() {
			statuses[i] = bob.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": code}).StatusCode
		})
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		if s == http.StatusNoContent {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("two submissions of one code at once = %v, want exactly one 204", statuses)
	}
}

// TestEmailTakenAddressLooksTheSame: asking for an address another
// account verified answers as any other; that account's owner gets a
// notice, and no code is sent.
func TestEmailTakenAddressLooksTheSame(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	api := r.srv.newAPIClient()
	api.signup("carol", emailPassword)
	api.signup("mallory", emailPassword)
	carol, _ := api.login("carol", emailPassword, false)
	mallory, _ := api.login("mallory", emailPassword, false)
	carol.call(http.MethodPut, v1+"/me/email", map[string]string{"email": "carol@example.com", "current_password": emailPassword})
	code := codeOf(t, mailTo(t, smtp, 1, "carol@example.com"))
	if res := carol.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": code}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("carol verifies = %d", res.StatusCode)
	}
	taken := mallory.call(http.MethodPut, v1+"/me/email", map[string]string{"email": "CAROL@example.com", "current_password": emailPassword})
	free := mallory.call(http.MethodPut, v1+"/me/email", map[string]string{"email": "mallory@example.com", "current_password": emailPassword})
	if taken.StatusCode != http.StatusAccepted || free.StatusCode != taken.StatusCode || string(taken.Body) != string(free.Body) {
		t.Errorf("a taken address = %d %q, a free one = %d %q; want the same answer", taken.StatusCode, taken.Body, free.StatusCode, free.Body)
	}
	notice := mailTo(t, smtp, 2, "CAROL@example.com")
	if !strings.Contains(notice.Subject, "Someone tried to add your address") || codeIn.MatchString(notice.Subject) {
		t.Errorf("the owner's message = %q, want a notice without a code", notice.Subject)
	}
	mailTo(t, smtp, 3, "mallory@example.com")

	// Changing carol's address notifies the old one.
	carol.call(http.MethodPut, v1+"/me/email", map[string]string{"email": "carol@example.net", "current_password": emailPassword})
	msgs := smtp.Wait(t, 5, 5*time.Second)
	var recipients []string
	for _, m := range msgs[3:] {
		recipients = append(recipients, m.To[0])
	}
	if strings.Join(recipients, ",") != "carol@example.com,carol@example.net" && strings.Join(recipients, ",") != "carol@example.net,carol@example.com" {
		t.Errorf("a change sent mail to %q, want a notice to the old address and a code to the new", recipients)
	}
	if me := getMe(t, carol); me.Email == nil || *me.Email != "carol@example.com" || !me.EmailVerified {
		t.Errorf("GET /me during the change = %+v, want the old address until the new one is verified", me)
	}
	carol.call(http.MethodPut, v1+"/me/email", map[string]string{"email": "carol@example.org", "current_password": "wrong password!"}).
		wantError(t, "a change with a wrong password", http.StatusUnprocessableEntity, "invalid_input")
	if res := carol.call(http.MethodDelete, v1+"/me/email", map[string]string{"current_password": emailPassword}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE /me/email = %d", res.StatusCode)
	}
	if me := getMe(t, carol); me.Email != nil {
		t.Errorf("GET /me after removal = %+v, want no address", me)
	}
}

// TestEmailOnTheSite: the account page adds an address, the link in the
// message opens the form with the code filled in (consuming nothing), and
// the form verifies it.
func TestEmailOnTheSite(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	b := r.srv.newBrowser()
	b.signup("dave", emailPassword)
	b.login("dave", emailPassword, false)
	b.get("/account")
	res := b.post("/account/email", url.Values{"email": {"dave@example.com"}, "current_password": {emailPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/email = %d: %s", res.StatusCode, res.Body)
	}
	code := codeOf(t, mailTo(t, smtp, 1, "dave@example.com"))
	page := b.get("/account/email/verify?code=" + code)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `value="`+code+`"`) || !strings.Contains(page.Body, "dave@example.com") {
		t.Fatalf("GET the link = %d, want the form with the code filled in", page.StatusCode)
	}
	bad := b.post("/account/email/verify", url.Values{"code": {"ZZZZZZZZ"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "This code is not right") {
		t.Errorf("POST a wrong code = %d, want 422 with the message", bad.StatusCode)
	}
	if res := b.post("/account/email/verify", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST the code = %d: %s", res.StatusCode, res.Body)
	}
	page = b.get("/account?notice=email-verified")
	if !strings.Contains(page.Body, "Your address is <strong>dave@example.com</strong>") {
		t.Errorf("account page after verifying lacks the verified address")
	}
	wrong := b.post("/account/email/remove", url.Values{"current_password": {"not the password"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong.Body, `id="remove_current_password-error"`) {
		t.Errorf("remove with a wrong password = %d, want 422 next to the remove form", wrong.StatusCode)
	}
}

// TestEmailInTheAdminList: the admin's list shows each address and
// whether it is verified.
func TestEmailInTheAdminList(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	s := startAdminServer(t, mailOptions(smtp)...)
	s.createUser(t, "erin", emailPassword, domain.RoleUser)
	erin, _ := s.newAPIClient().login("erin", emailPassword, false)
	erin.call(http.MethodPut, v1+"/me/email", map[string]string{"email": "erin@example.com", "current_password": emailPassword})
	root := s.rootBrowser(t)
	row := userRows(root.get("/admin/users").Body)["erin"]
	if !strings.Contains(row, "erin@example.com") || !strings.Contains(row, "Unverified") {
		t.Errorf("erin's row before verifying = %q, want the address, unverified", row)
	}
	code := codeOf(t, mailTo(t, smtp, 1, "erin@example.com"))
	erin.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": code})
	row = userRows(root.get("/admin/users").Body)["erin"]
	if !strings.Contains(row, "erin@example.com") || !strings.Contains(row, ">Verified<") {
		t.Errorf("erin's row after verifying = %q, want the address, verified", row)
	}
	if row := userRows(root.get("/admin/users").Body)["root"]; !strings.Contains(row, "—") {
		t.Errorf("root's row = %q, want no address", row)
	}
}

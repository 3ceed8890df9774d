package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// FuzzFormDecoding feeds arbitrary bodies through fasthttp's form parser
// and the check: it must never panic, and whatever it accepts must be
// clean text in every name and value.
func FuzzFormDecoding(f *testing.F) {
	for _, s := range []string{
		"username=alice&password=correct+horse",
		"username=%00&password=x",
		"username=%FF%FE",
		"a=1&a=2&&=&%zz=bad",
		"remember=on&next=%2F%2Fevil",
		"username=" + string([]byte{0xe2, 0x82}),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var args fasthttp.Args
		args.ParseBytes(body)
		if !cleanForm(args.All()) {
			return
		}
		for k, v := range args.All() {
			for _, b := range [][]byte{k, v} {
				if !utf8.Valid(b) {
					t.Fatalf("accepted invalid UTF-8 %q from body %q", b, body)
				}
				for _, r := range string(b) {
					if unicode.IsControl(r) {
						t.Fatalf("accepted control character %U from body %q", r, body)
					}
				}
			}
		}
	})
}

// TestCheckForm protects the form check every POST passes after its CSRF
// check: only an urlencoded body (415 otherwise), and only clean text in
// every name and value (422 otherwise); the handler never runs.
func TestCheckForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		contentType string
		body        string // after the csrf_token field
		wantStatus  int
		wantMessage string
	}{
		{"urlencoded", fiber.MIMEApplicationForm, "&username=alice&password=pw", http.StatusSeeOther, ""},
		{"urlencoded with a charset", fiber.MIMEApplicationForm + "; charset=UTF-8", "&username=alice&password=pw", http.StatusSeeOther, ""},
		// A POST's fields are read from an urlencoded body only, so a
		// multipart body's token is never found: the CSRF refusal comes
		// first (TestCheckFormAfterCSRF).
		{"multipart", "multipart/form-data; boundary=B", "", http.StatusForbidden, "This form has expired or was not sent from this site. Reload the page and try again."},
		{"NUL in a value", fiber.MIMEApplicationForm, "&username=al%00ice&password=pw", http.StatusUnprocessableEntity, badForm},
		{"control character in a value", fiber.MIMEApplicationForm, "&username=alice&password=p%1Bw", http.StatusUnprocessableEntity, badForm},
		{"DEL in a value", fiber.MIMEApplicationForm, "&username=alice%7F&password=pw", http.StatusUnprocessableEntity, badForm},
		{"C1 control in a value", fiber.MIMEApplicationForm, "&username=alice%C2%85&password=pw", http.StatusUnprocessableEntity, badForm},
		{"invalid UTF-8 in a value", fiber.MIMEApplicationForm, "&username=alice%FF&password=pw", http.StatusUnprocessableEntity, badForm},
		{"control character in a name", fiber.MIMEApplicationForm, "&username=alice&password=pw&x%0Ay=1", http.StatusUnprocessableEntity, badForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			s.auth.LoginFunc = loginAs(alice(), s.tokens.next())
			v := s.anonymous(t)
			body := csrfField + "=" + url.QueryEscape(v.csrf) + tt.body
			if strings.HasPrefix(tt.contentType, "multipart/") {
				body = "--B\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + v.csrf +
					"\r\n--B\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice" +
					"\r\n--B\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\npw\r\n--B--\r\n"
			}
			req := v.request(http.MethodPost, "/login", nil)
			req.Body = io.NopCloser(strings.NewReader(body))
			req.ContentLength = int64(len(body))
			req.Header.Set(fiber.HeaderContentType, tt.contentType)
			what := "POST /login (" + tt.name + ")"
			r := s.do(t, req)
			if r.status != tt.wantStatus {
				t.Fatalf("%s status = %d, want %d", what, r.status, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusSeeOther {
				callArgs(t, &s.auth.Calls, "Login")
				return
			}
			r.wantPage(t, what, tt.wantStatus, tt.wantMessage)
			wantNoCall(t, &s.auth.Calls, "Login")
		})
	}
}

// TestCheckFormAfterCSRF protects the order of the checks: a body that is
// no form carries no token, so it is the CSRF refusal before it is a 415.
func TestCheckFormAfterCSRF(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	v := s.anonymous(t)
	req := v.request(http.MethodPost, "/login", nil)
	body := `{"csrf_token":"` + v.csrf + `","username":"alice","password":"pw"}`
	req.Body = io.NopCloser(strings.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	s.do(t, req).wantFormExpired(t, "POST /login (JSON)")
	wantNoCall(t, &s.auth.Calls, "Login")
}

// badForm is the 422 message of a form with characters that are not
// allowed.
const badForm = "The form contains characters that are not allowed, or is missing a field. Please check it and try again."

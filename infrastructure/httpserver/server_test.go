package httpserver

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx/api"
	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/adapter/httpx/web"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp/fasthttputil"
)

type alwaysReady struct{}

func (alwaysReady) Check(context.Context) error { return nil }

type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC) }

type fixedTokens struct{}

func (fixedTokens) NewToken() (domain.Token, error) {
	return domain.NewToken([domain.TokenBytes]byte{1}), nil
}

// siteHeaders and apiHeaders are the security headers each delivery sets
// on every answer, error pages included.
var (
	siteHeaders = map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; " +
			"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "same-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
		"X-Frame-Options":            "DENY",
		"Cache-Control":              "no-store",
		"Content-Type":               "text/html; charset=utf-8",
	}
	apiHeaders = map[string]string{
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Content-Type":            "application/json",
	}
)

// newTestApp builds the server's app on fakes of the driving ports, with
// reg answering the API's sign-ups and a BodyLimit of limit bytes.
func newTestApp(t *testing.T, limit int, reg *httpxtest.Registrar) *fiber.App {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := web.NewHandler(&httpxtest.Registrar{}, &httpxtest.Authenticator{}, &httpxtest.Sessions{},
		&httpxtest.Account{}, nil, &httpxtest.Recovery{}, &httpxtest.Admin{}, &httpxtest.TwoFactor{}, nil, fixedClock{}, fixedTokens{},
		web.Config{SecretKey: []byte("0123456789abcdef0123456789abcdef")}, log)
	jsonAPI := api.NewHandler(reg, &httpxtest.Authenticator{}, &httpxtest.Sessions{}, &httpxtest.Account{}, nil, &httpxtest.Recovery{}, &httpxtest.TwoFactor{}, nil, api.Config{}, log)
	app, err := NewApp(Settings{BodyLimit: limit}, site, jsonAPI, alwaysReady{}, &observed{}, log)
	if err != nil {
		t.Fatalf("NewApp: %v", err)
	}
	return app
}

// TestRefusedBeforeRoutingCarriesSecurityHeaders protects what the
// server refuses while it reads a request, before any middleware runs:
// the answer still carries its delivery's security headers. A body over
// BodyLimit on a site path gets the site's, on an API path the API's;
// a request the server could not read at all (a chunked body over the
// limit) gets the API's JSON and headers.
func TestRefusedBeforeRoutingCarriesSecurityHeaders(t *testing.T) {
	const limit = 1 << 10
	app := newTestApp(t, limit, &httpxtest.Registrar{})
	ln := fasthttputil.NewInmemoryListener()
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	defer func() {
		_ = ln.Close()
		<-served
	}()

	body := strings.Repeat("x", limit+1)
	sized := func(path, contentType string) string {
		return "POST " + path + " HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Type: " + contentType +
			"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	}
	chunked := "POST /login HTTP/1.1\r\nHost: gatehouse.test\r\nTransfer-Encoding: chunked\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + strconv.FormatInt(int64(len(body)), 16) + "\r\n" + body + "\r\n0\r\n\r\n"
	tests := []struct {
		name, raw string
		want      map[string]string
	}{
		{"a form over the limit", sized("/login", "application/x-www-form-urlencoded"), siteHeaders},
		{"JSON over the limit", sized("/api/v1/users", "application/json"), apiHeaders},
		{"a chunked body over the limit", chunked, apiHeaders},
	}
	for _, tt := range tests {
		conn, err := ln.Dial()
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		go func() { _, _ = io.WriteString(conn, tt.raw) }()
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: read the answer: %v", tt.name, err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		conn.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status = %d, want 413", tt.name, res.StatusCode)
		}
		for name, want := range tt.want {
			if got := res.Header.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", tt.name, name, got, want)
			}
		}
	}
}

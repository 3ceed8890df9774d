package httpx

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestRequestIDIgnoresInboundHeader protects the request id the log, a
// 500 and the response header carry: the server makes it, whatever
// X-Request-Id the client sent, so no client chooses the id an operator
// looks up or the text a 500 shows.
func TestRequestIDIgnoresInboundHeader(t *testing.T) {
	const inbound = "attacker-chosen"
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		p := Describe(err, nil)
		Prepare(c, log, p, err)
		return WriteJSON(c, p)
	}})
	// Twice, as a request may pass through both deliveries' middleware:
	// the second keeps the first one's id.
	app.Use(AssignRequestID, AssignRequestID)
	var seen []string
	app.Get("/ok", func(c *fiber.Ctx) error {
		seen = append(seen, RequestID(c))
		return c.SendString("ok")
	})
	app.Get("/fail", func(c *fiber.Ctx) error {
		seen = append(seen, RequestID(c))
		return errors.New("boom")
	})

	for _, path := range []string{"/ok", "/fail", "/fail"} {
		logs.Reset()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("X-Request-Id", inbound)
		res, err := app.Test(req, -1)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		id := res.Header.Get("X-Request-ID")
		if id == "" || id == inbound || len(res.Header.Values("X-Request-ID")) != 1 {
			t.Errorf("GET %s with X-Request-Id %q: X-Request-ID = %q, want one id of the server's making", path, inbound, res.Header.Values("X-Request-ID"))
		}
		if got := seen[len(seen)-1]; got != id {
			t.Errorf("GET %s: RequestID = %q, want the id sent in X-Request-ID, %q", path, got, id)
		}
		if strings.Contains(string(raw), inbound) || strings.Contains(logs.String(), inbound) {
			t.Errorf("GET %s: the client's X-Request-Id %q reached the body %s or the log:\n%s", path, inbound, raw, logs.String())
		}
		if path == "/fail" && (!strings.Contains(string(raw), "Request id: "+id+".") || !strings.Contains(logs.String(), "request_id="+id)) {
			t.Errorf("GET %s: 500 body %s and log %q, want both to carry the server's id %q", path, raw, logs.String(), id)
		}
	}
	if seen[1] == seen[2] {
		t.Errorf("two requests got the same id %q, want one each", seen[1])
	}
}

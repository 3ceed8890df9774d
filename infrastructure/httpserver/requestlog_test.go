package httpserver

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

type observed struct {
	mu     sync.Mutex
	routes []string
}

func (o *observed) ObserveRequest(method, route string, status int, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.routes = append(o.routes, method+" "+route+" "+statusText(status))
}

func statusText(status int) string { return fiber.NewError(status).Error() }

// TestRequestLogRoutes checks that requests are labelled with the route
// pattern that answered, "PREFIX/*" for middleware under a prefix, and
// unmatched when only the site-wide middleware ran, whose "/" must not
// pass for the dashboard's pattern.
func TestRequestLogRoutes(t *testing.T) {
	var logs bytes.Buffer
	obs := &observed{}
	app := fiber.New()
	app.Use((&requestLog{log: slog.New(slog.NewTextHandler(&logs, nil)), obs: obs}).handle)
	sub := fiber.New()
	sub.Get("/v1/items/:id", func(c *fiber.Ctx) error { return c.SendString("item") })
	sub.Use(func(*fiber.Ctx) error { return fiber.ErrNotFound })
	app.Mount("/api", sub)
	app.Use(func(c *fiber.Ctx) error { return c.Next() })
	app.Use("/static", func(c *fiber.Ctx) error { return c.SendString("css") })
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("home") })

	tests := []struct{ path, want string }{
		{"/", "GET / OK"},
		{"/api/v1/items/4711?secret=1", "GET /api/v1/items/:id OK"},
		{"/api/v1/nothing", "GET /api/* Not Found"},
		{"/static/site.css", "GET /static/* OK"},
		{"/nowhere?q=secret", "GET unmatched Not Found"},
	}
	for _, tt := range tests {
		res, err := app.Test(httptest.NewRequest("GET", tt.path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		obs.mu.Lock()
		got := obs.routes[len(obs.routes)-1]
		obs.mu.Unlock()
		if got != tt.want {
			t.Errorf("GET %s observed as %q, want %q", tt.path, got, tt.want)
		}
	}
	if strings.Contains(logs.String(), "secret") {
		t.Errorf("request log holds a raw URL:\n%s", logs.String())
	}
}

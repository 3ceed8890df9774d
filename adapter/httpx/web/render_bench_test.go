package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/templates"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// benchSite is the render path of the site as it runs: the embedded
// templates loaded at start, the hashed static files, a Fiber context.
type benchSite struct {
	app *fiber.App
	h   *Handler
}

func newBenchSite(b testing.TB) *benchSite {
	b.Helper()
	a, pages, err := loadSite(templates.FS)
	if err != nil {
		b.Fatalf("load templates: %v", err)
	}
	return &benchSite{app: fiber.New(), h: &Handler{assets: a, pages: pages}}
}

// renderLoop renders the page name with view into one Fiber context per
// goroutine, as a handler does after render has filled in the layout.
func (s *benchSite) renderLoop(b *testing.B, name string, view page) {
	b.Helper()
	c := s.app.AcquireCtx(&fasthttp.RequestCtx{})
	defer s.app.ReleaseCtx(c)
	if err := s.h.renderPage(c, http.StatusOK, name, view); err != nil {
		b.Fatalf("render %s: %v", name, err)
	}
	b.SetBytes(int64(len(c.Response().Body())))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.Response().ResetBody()
		if err := s.h.renderPage(c, http.StatusOK, name, view); err != nil {
			b.Fatalf("render %s: %v", name, err)
		}
	}
}

// benchCSRF is a token as csrfToken makes it.
var benchCSRF = newCSRFCodec([]byte("0123456789abcdef0123456789abcdef")).token("visitor:bench")

// benchLoginView is GET /login as an anonymous visitor sees it.
func benchLoginView() *loginView {
	return &loginView{
		layoutView: layoutView{Title: "Log in", CSRF: benchCSRF, Path: "/login"},
	}
}

// benchDashboardView is GET / for a signed-in user with a previous visit
// and a previous login.
func benchDashboardView() *dashboardView {
	at := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	return &dashboardView{
		layoutView:   layoutView{Title: "Dashboard", User: "alice", ShownName: "alice", CSRF: benchCSRF, Path: "/"},
		Name:         "alice",
		LastVisit:    at.Format(lastVisitLayout),
		LastVisitISO: at.Format(time.RFC3339),
		LastLogin:    &lastLoginView{At: newTimeView(at.Add(-time.Hour), lastVisitLayout), IP: "203.0.113.7"},
		SessionNote:  "You will be logged out when you close your browser or after a while without activity.",
	}
}

func BenchmarkRenderLogin(b *testing.B) {
	newBenchSite(b).renderLoop(b, "login", benchLoginView())
}

func BenchmarkRenderDashboard(b *testing.B) {
	newBenchSite(b).renderLoop(b, "dashboard", benchDashboardView())
}

// BenchmarkRenderLoginParallel renders on every core at once, as a busy
// server does: it shows contention (locks) that one goroutine cannot.
func BenchmarkRenderLoginParallel(b *testing.B) {
	s := newBenchSite(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		view := benchLoginView()
		c := s.app.AcquireCtx(&fasthttp.RequestCtx{})
		defer s.app.ReleaseCtx(c)
		for pb.Next() {
			c.Response().ResetBody()
			if err := s.h.renderPage(c, http.StatusOK, "login", view); err != nil {
				b.Errorf("render login: %v", err)
				return
			}
		}
	})
}

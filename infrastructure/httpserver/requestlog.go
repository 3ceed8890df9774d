package httpserver

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gofiber/fiber/v2"
)

// RequestObserver is told about every answered request (the metrics).
type RequestObserver interface {
	ObserveRequest(method, route string, status int, d time.Duration)
}

// requestLog logs one line per request and tells obs about it. It runs
// first, around the API and the site, and renders an error through the
// app's error handler itself, so that it logs the status the client gets.
// The line holds the route pattern, never the URL (whose query may carry
// anything), and no header, cookie or body.
type requestLog struct {
	log *slog.Logger
	obs RequestObserver

	once   sync.Once
	routes map[*fiber.Handler]string // first handler of each route -> its pattern
}

func (r *requestLog) handle(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	d := time.Since(start)
	status := c.Response().StatusCode()
	route := r.route(c)
	method := c.Method()
	r.obs.ObserveRequest(method, route, status, d)
	attrs := []slog.Attr{
		slog.String("request_id", httpx.RequestID(c)),
		slog.String("method", method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("latency", d),
	}
	if id, ok := httpx.UserID(c); ok {
		attrs = append(attrs, slog.Int64("user_id", int64(id)))
	}
	r.log.LogAttrs(c.UserContext(), slog.LevelInfo, "request", attrs...)
	return nil
}

// route returns the pattern of the route that answered c. Fiber's
// c.Route() is the last handler that ran, which may be middleware: the
// site's, at "/", would pass for the dashboard's pattern, so routes are
// told apart by the identity of their handlers. A real route gives its
// pattern; middleware under a prefix (the static files, the API's
// catch-all) gives "PREFIX/*"; middleware at "/" gives httpx.Unmatched. The
// table is built at the first request, when Fiber has copied the mounted
// API's routes in.
func (r *requestLog) route(c *fiber.Ctx) string {
	r.once.Do(func() {
		r.routes = map[*fiber.Handler]string{}
		for _, rt := range c.App().GetRoutes(false) {
			if len(rt.Handlers) > 0 && rt.Path != "/" {
				r.routes[&rt.Handlers[0]] = strings.TrimSuffix(rt.Path, "/") + "/*"
			}
		}
		for _, rt := range c.App().GetRoutes(true) {
			if len(rt.Handlers) > 0 {
				r.routes[&rt.Handlers[0]] = rt.Path
			}
		}
	})
	rt := c.Route()
	if rt == nil || len(rt.Handlers) == 0 {
		return httpx.Unmatched
	}
	if p, ok := r.routes[&rt.Handlers[0]]; ok {
		return p
	}
	return httpx.Unmatched
}

package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Settings configure the metrics listener.
type Settings struct {
	// Addr is the TCP address to serve /metrics on, such as
	// "127.0.0.1:9090"; "" serves nothing.
	Addr string
}

// Server serves /metrics on its own address, with its own lifecycle, so
// that metrics are never on the public port by accident.
type Server struct {
	addr string
	srv  *http.Server
	ln   net.Listener
	log  *slog.Logger
}

// NewServer returns a Server for m on s.Addr (with "" Start and Stop do
// nothing).
func NewServer(s Settings, m *Metrics, log *slog.Logger) *Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry(), promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)}))
	return &Server{
		addr: s.Addr,
		srv:  &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second},
		log:  log,
	}
}

// Start binds the address, so a taken port fails the start, and serves in
// the background.
func (s *Server) Start(ctx context.Context) error {
	if s.addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("metrics: listen on %s: %w", s.addr, err)
	}
	s.ln = ln
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("metrics: serve", "err", err)
		}
	}()
	s.log.InfoContext(ctx, "metrics listening", "addr", ln.Addr().String())
	return nil
}

// Stop closes the listener and waits for scrapes in flight until ctx ends.
func (s *Server) Stop(ctx context.Context) error {
	if s.ln == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// Addr is the address the metrics listener is bound to ("" when off).
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

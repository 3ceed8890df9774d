// Package metrics keeps gatehouse's Prometheus metrics and serves them on
// a listener of their own (METRICS_ADDR), never on the public port. The
// use cases know nothing of it: logins, signups and hashing are counted
// by wrappers that stand in for the ports they pass through (Logins,
// Signups, TimedHasher), and the pool and session gauges are read at
// scrape time.
package metrics

import (
	"context"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// scrapeTimeout bounds the database query a scrape makes.
const scrapeTimeout = time.Second

// Metrics holds every gatehouse metric and the registry they live in.
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	logins    *prometheus.CounterVec
	hashing   *prometheus.HistogramVec
	throttled *prometheus.CounterVec
}

// SessionCounter counts the sessions active at a time.
type SessionCounter interface {
	CountActive(ctx context.Context, now time.Time) (int, error)
}

// New registers gatehouse's metrics, the Go runtime's and the process's
// in a registry of their own. The hashing pool's load and the number of
// active sessions are read when Prometheus scrapes.
func New(pool *argon2id.Pool, sessions SessionCounter) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gatehouse_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_logins_total",
			Help: "Login attempts (site and API), by outcome: success, invalid_credentials, throttled, disabled, unavailable or error.",
		}, []string{"outcome"}),
		hashing: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gatehouse_password_hash_duration_seconds",
			Help:    "Time for one argon2id hash or verification, waiting for a pool slot included, by operation (hash, verify).",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"op"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_throttle_events_total",
			Help: "Requests refused by throttling, by kind (login, signup).",
		}, []string{"kind"}),
	}
	m.registry.MustRegister(
		m.requests, m.latency, m.logins, m.hashing, m.throttled,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gatehouse_password_hash_queue",
			Help: "Logins and signups waiting for a hashing slot.",
		}, func() float64 { return float64(pool.Stats().Waiting) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gatehouse_password_hash_running",
			Help: "Hashing slots taken.",
		}, func() float64 { return float64(pool.Stats().Running) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "gatehouse_sessions_active",
			Help: "Sessions not yet expired, across all users and instances (-1 when the database did not answer).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
			defer cancel()
			n, err := sessions.CountActive(ctx, time.Now())
			if err != nil {
				return -1
			}
			return float64(n)
		}),
	)
	return m
}

// Registry is where the metrics are registered, for the listener and for
// tests.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// ObserveRequest counts one answered HTTP request. route must be a
// pattern ("/api/v1/sessions/:id"), never a raw path, to keep the number
// of series bounded.
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

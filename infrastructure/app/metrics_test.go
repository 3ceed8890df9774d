package app_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/metrics"
	"github.com/gatehouse/gatehouse/usecase"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/fx"
)

// TestMetricsWrapThePorts drives the ports the graph gives the deliveries
// and reads the metrics: each count proves that its decorator reached
// them, and the hash times that the timed hasher reached the use cases.
func TestMetricsWrapThePorts(t *testing.T) {
	cfg := testConfig(t)
	cfg.SignupMaxPerIPPerHour = 1
	var (
		reg  httpx.Registrar
		auth httpx.Authenticator
		m    *metrics.Metrics
	)
	startApp(t, cfg, fx.Populate(&reg, &auth, &m))

	ctx := context.Background()
	client := usecase.Client{IP: netip.MustParseAddr("192.0.2.7")}
	const password = "correct horse battery staple"
	if _, err := reg.Register(ctx, usecase.RegisterInput{Username: "metered", Password: password, Client: client}); err != nil {
		t.Fatalf("Register(%q) error = %v, want nil", "metered", err)
	}
	var throttled *domain.ThrottledError
	if _, err := reg.Register(ctx, usecase.RegisterInput{Username: "metered2", Password: password, Client: client}); !errors.As(err, &throttled) {
		t.Fatalf("second Register from the same network error = %v, want a *domain.ThrottledError", err)
	}
	if _, err := auth.Login(ctx, usecase.LoginInput{Username: "metered", Password: password, Client: client}); err != nil {
		t.Fatalf("Login(%q) error = %v, want nil", "metered", err)
	}
	if _, err := auth.Login(ctx, usecase.LoginInput{Username: "metered", Password: "wrong wrong wrong wrong", Client: client}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("Login(%q, wrong password) error = %v, want %v", "metered", err, domain.ErrInvalidCredentials)
	}

	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatalf("Gather() error = %v", err)
	}
	tests := []struct {
		name, label, value string
		want               float64
		protects           string
	}{
		{"gatehouse_logins_total", "outcome", "success", 1, "httpx.Authenticator is decorated with metrics.NewLogins"},
		{"gatehouse_logins_total", "outcome", "invalid_credentials", 1, "httpx.Authenticator is decorated with metrics.NewLogins"},
		{"gatehouse_throttle_events_total", "kind", "signup", 1, "httpx.Registrar is decorated with metrics.NewSignups"},
		{"gatehouse_password_hash_duration_seconds", "op", "verify", 2, "the use cases hash through metrics.NewTimedHasher"},
		{"gatehouse_sessions_active", "", "", 1, "the session gauge counts the sessions the use cases store"},
	}
	for _, tt := range tests {
		if got := sample(families, tt.name, tt.label, tt.value); got != tt.want {
			t.Errorf("%s{%s=%q} = %v, want %v: %s", tt.name, tt.label, tt.value, got, tt.want, tt.protects)
		}
	}
}

// sample is the value of the counter or gauge, or the number of
// observations of the histogram, called name with label set to value
// (label "" for an unlabelled one); 0 when there is none.
func sample(families []*dto.MetricFamily, name, label, value string) float64 {
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if label != "" && !hasLabel(m, label, value) {
				continue
			}
			switch {
			case m.Counter != nil:
				return m.GetCounter().GetValue()
			case m.Gauge != nil:
				return m.GetGauge().GetValue()
			case m.Histogram != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return 0
}

func hasLabel(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

package app_test

import (
	"context"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
)

// hookRecorder is an fx event logger that keeps the names of the start and
// stop hooks in the order fx runs them, without the module path.
type hookRecorder struct {
	mu            sync.Mutex
	starts, stops []string
}

func (r *hookRecorder) LogEvent(e fxevent.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := e.(type) {
	case *fxevent.OnStartExecuting:
		r.starts = append(r.starts, strings.TrimPrefix(e.FunctionName, "github.com/gatehouse/gatehouse/"))
	case *fxevent.OnStopExecuting:
		r.stops = append(r.stops, strings.TrimPrefix(e.FunctionName, "github.com/gatehouse/gatehouse/"))
	}
}

func (r *hookRecorder) option() fx.Option {
	return fx.WithLogger(func() fxevent.Logger { return r })
}

// TestLifecycleOrder starts and stops the whole service and checks that
// fx ran the hooks in the order startInOrder documents, and stopped them in
// reverse: reordering its appends, or appending a hook elsewhere, fails it.
func TestLifecycleOrder(t *testing.T) {
	var rec hookRecorder
	a := newApp(t, testConfig(t), rec.option())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		t.Fatalf("start app.Modules: %v", err)
	}
	if err := a.Stop(ctx); err != nil {
		t.Fatalf("stop app.Modules: %v", err)
	}
	wantStarts := []string{
		"infrastructure/database.newDB.func1()", // migrate
		"infrastructure/app.releaseStartupMemory()",
		"adapter/idp.(*Discoverer).Start-fm()", // the providers are on the login page from the first request
		"infrastructure/metrics.(*Server).Start-fm()",
		"infrastructure/httpserver.(*Server).Start-fm()",
		"infrastructure/mailworker.(*Worker).Start-fm()",
		"infrastructure/housekeeping.(*Loop).Start-fm()",
	}
	wantStops := []string{
		"infrastructure/housekeeping.(*Loop).Stop-fm()",
		"infrastructure/mailworker.(*Worker).Stop-fm()",
		"infrastructure/httpserver.(*Server).Stop-fm()",
		"infrastructure/metrics.(*Server).Stop-fm()",
		"adapter/idp.(*Discoverer).Stop-fm()",
		"infrastructure/database.newDB.func2()", // close
	}
	if !slices.Equal(rec.starts, wantStarts) {
		t.Errorf("start hooks ran in the order\n%q\nwant\n%q", rec.starts, wantStarts)
	}
	if !slices.Equal(rec.stops, wantStops) {
		t.Errorf("stop hooks ran in the order\n%q\nwant\n%q", rec.stops, wantStops)
	}
}

// TestTakenMetricsPortFailsTheStartBeforeThePublicPortOpens holds the
// metrics address: the start must fail naming it, without the HTTP server
// ever binding.
func TestTakenMetricsPortFailsTheStartBeforeThePublicPortOpens(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := testConfig(t)
	cfg.MetricsAddr = taken.Addr().String()
	var rec hookRecorder
	a := newApp(t, cfg, rec.option())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = a.Start(ctx)
	if want := "metrics: listen on " + cfg.MetricsAddr; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Start with METRICS_ADDR taken error = %v, want one containing %q", err, want)
	}
	if slices.Contains(rec.starts, "infrastructure/httpserver.(*Server).Start-fm()") {
		t.Errorf("start hooks ran %q: the HTTP server started although the metrics listener had failed", rec.starts)
	}
}

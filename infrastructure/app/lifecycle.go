package app

import (
	"github.com/gatehouse/gatehouse/adapter/idp"
	"github.com/gatehouse/gatehouse/infrastructure/housekeeping"
	"github.com/gatehouse/gatehouse/infrastructure/httpserver"
	"github.com/gatehouse/gatehouse/infrastructure/mailworker"
	"github.com/gatehouse/gatehouse/infrastructure/metrics"
	"go.uber.org/fx"
)

// Lifecycle starts the service's running parts with the fx app and stops
// them with it, in the order startInOrder gives.
var Lifecycle = fx.Module("lifecycle", fx.Invoke(startInOrder))

// startInOrder appends the start and stop hooks of the service's running
// parts; fx runs the start hooks in the order they are appended and the
// stop hooks in reverse. Every part is built before any hook runs. At
// start: the database migrates (its hook, appended as it was built, comes
// before these); then the startup memory is released, so that the
// collection's pause falls before anything is served; then the metrics
// listener binds, so that a taken METRICS_ADDR fails the start before the
// public port opens; then the HTTP server binds and serves; then the mail
// worker starts delivering the outbox; and last the background purges
// begin, nothing else waiting on them. (The identity providers'
// discovery runs once right after the memory is released.) At stop: the purges end, the mail
// worker finishes the message under way, the HTTP server drains the
// requests in flight (what they enqueue waits in the outbox for the next
// start), the metrics listener closes, and the database closes last.
func startInOrder(lc fx.Lifecycle, metricsServer *metrics.Server, server *httpserver.Server, worker *mailworker.Worker, purges *housekeeping.Loop, discovery *idp.Discoverer) {
	lc.Append(fx.StartHook(releaseStartupMemory))
	// The identity providers' discovery is tried before the site opens, so
	// that those that answer are on the login page from the first
	// request; those that fail are logged and retried in the background.
	lc.Append(fx.StartStopHook(discovery.Start, discovery.Stop))
	lc.Append(fx.StartStopHook(metricsServer.Start, metricsServer.Stop))
	lc.Append(fx.StartStopHook(server.Start, server.Stop))
	lc.Append(fx.StartStopHook(worker.Start, worker.Stop))
	lc.Append(fx.StartStopHook(purges.Start, purges.Stop))
}

package httpserver

import "go.uber.org/fx"

// Module provides the Fiber app (health probes, request log, API and site)
// and the Server that runs it; infrastructure/app starts and stops the
// Server.
var Module = fx.Module("httpserver",
	fx.Provide(NewApp, NewServer),
)

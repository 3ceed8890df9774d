package httpserver

import "go.uber.org/fx"

// Module provides the Fiber app and the Server, and starts the server with
// the fx app.
var Module = fx.Module("httpserver",
	fx.Provide(NewApp, NewServer),
	fx.Invoke(func(lc fx.Lifecycle, s *Server) {
		lc.Append(fx.StartStopHook(s.Start, s.Stop))
	}),
)

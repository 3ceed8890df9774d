// Command bench measures gatehouse's two hot paths, an authenticated page
// and a login, against their ceilings (a bare Fiber page, raw argon2id)
// and against the seed's Flask app, with wrk as the load generator, and
// prints one table with the targets checked:
//
//	go run ./test/bench                      # 10 s per load, 1,000,000 accounts for (h)
//	go run ./test/bench -duration 30s -users 100000
//
// It builds cmd/gatehouse, starts it on loopback (LISTEN_HOST=127.0.0.1, PORT=0)
// with fresh SQLite databases in a temporary directory, and needs wrk (apt-get
// install wrk) and, for the seed app, gunicorn and Flask (apt-get install
// gunicorn python3-flask). It exits 1 when a target is not met and -check
// is set, 2 when it cannot measure.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	cfg := config{progress: os.Stderr}
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "length of each measured load")
	flag.IntVar(&cfg.rounds, "rounds", 10, "rounds each compared load is split into, in turns ((a) (b) (h), then (c) (d) (h))")
	flag.IntVar(&cfg.users, "users", 1_000_000, "accounts and live sessions seeded for (h)")
	flag.IntVar(&cfg.rotate, "rotate", 1000, "accounts whose sessions and logins each load cycles through")
	flag.IntVar(&cfg.connections, "connections", 16, "wrk connections for the page loads")
	flag.IntVar(&cfg.loginConns, "login-connections", 8, "wrk connections for the login loads")
	flag.IntVar(&cfg.flood, "flood", 500, "clients flooding POST /login in (e)")
	flag.IntVar(&cfg.coldStarts, "cold-starts", 5, "cold starts measured for (g)")
	flag.StringVar(&cfg.flaskDir, "flask", "", "the seed app's directory (default: ../shared/peers/flask_seed beside the module)")
	flag.BoolVar(&cfg.requireFlask, "require-flask", false, "fail instead of skipping (i) when the seed app cannot run")
	flag.StringVar(&cfg.binary, "binary", "", "measure this gatehouse binary instead of building cmd/gatehouse (for a profiling build)")
	check := flag.Bool("check", false, "exit 1 when a target is not met")
	flag.Parse()
	if cfg.rotate < 1 || cfg.users < cfg.rotate || cfg.duration < time.Second || cfg.coldStarts < 1 || cfg.rounds < 1 {
		fmt.Fprintln(os.Stderr, "bench: need -rotate >= 1, -users >= -rotate, -duration >= 1s, -cold-starts >= 1, -rounds >= 1")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.flaskDir == "" {
		root, err := moduleRoot(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		cfg.flaskDir = filepath.Join(root, "..", "shared", "peers", "flask_seed")
	}
	rep, err := run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	rep.print(os.Stdout)
	if *check && rep.failures() > 0 {
		os.Exit(1)
	}
}

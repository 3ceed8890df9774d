// Command soak drives a running gatehouse with mixed traffic (signup,
// login, dashboard, account page, logout) at a steady rate and prints,
// at intervals, the requests and errors so far and the server's RSS and
// goroutine count, read from its metrics listener. Over a long run both
// should stay flat.
//
//	go run ./test/soak -url http://localhost:5000 -metrics http://127.0.0.1:9090 -duration 10m -rate 20
//
// Signups are limited per client (SIGNUP_MAX_PER_IP_PER_HOUR); raise it
// on the server, or expect the refusals to be counted as throttled.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	var c config
	flag.StringVar(&c.url, "url", "http://localhost:5000", "base URL of the gatehouse to soak")
	flag.StringVar(&c.metrics, "metrics", "", "base URL of its metrics listener (METRICS_ADDR), for RSS and goroutines")
	flag.DurationVar(&c.duration, "duration", 10*time.Minute, "how long to run")
	flag.Float64Var(&c.rate, "rate", 20, "requests a second")
	flag.IntVar(&c.workers, "workers", 8, "visitors at once")
	flag.DurationVar(&c.every, "every", 30*time.Second, "how often to print a report line")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := run(ctx, c, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	if r.errors > 0 {
		os.Exit(1)
	}
}

package main

import (
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// target is one of the goals, checked against a run.
type target struct {
	name   string
	actual string
	met    bool
}

// targets evaluates the goals; those that need the seed app are left
// out when it did not run.
func (r *report) targets() []target {
	const mib = 1 << 20
	ratio := func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	}
	// Slower by at most 10% (faster is no fault).
	within := func(a, b float64) bool { return b > 0 && a >= 0.9*b }
	ts := []target{
		{"(a) >= 70% of (b')", pct(ratio(r.dashboard.Rate(), r.floor.Rate())), ratio(r.dashboard.Rate(), r.floor.Rate()) >= 0.7},
		{"(m) GET /api/v1/me >= 85% of (b')", pct(ratio(r.me.Rate(), r.floor.Rate())), ratio(r.me.Rate(), r.floor.Rate()) >= 0.85},
		// The log's cost is the share of (a)'s rate without it that (a)
		// loses with it.
		{"request log costs <= 10% of (a)", pct(1-ratio(r.dashboard.Rate(), r.quiet.Rate())) + " (" + pct(ratio(r.dashboard.Rate(), r.quiet.Rate())) + " of LOG_LEVEL=warn)", r.quiet.Rate() > 0 && ratio(r.dashboard.Rate(), r.quiet.Rate()) >= 0.9},
		{"(c) >= 90% of (d)", pct(ratio(r.login.Rate(), r.hashes)), ratio(r.login.Rate(), r.hashes) >= 0.9},
		{"(e) GET / p99 < 50 ms", ms(r.underFlood.P99()), r.underFlood.P99() < 50*time.Millisecond},
		{"(e) no 5xx but 503", fmt.Sprintf("%d other", r.flood.Other(303, 503)+r.underFlood.Other(200)), r.flood.Other(303, 503)+r.underFlood.Other(200) == 0},
		{"(f) idle < 40 MiB", mibs(r.idle), r.idle < 40*mib},
		{"(f) peak < 256 MiB", mibs(r.peak), r.peak < 256*mib},
		{"(g) cold start < 200 ms", ms(median(r.cold)) + " median", median(r.cold) < 200*time.Millisecond},
		{"(h) GET / within 10%", pct(ratio(r.big.dashboard.Rate(), r.dashboard.Rate())) + " of (a)", within(r.big.dashboard.Rate(), r.dashboard.Rate())},
		{"(h) POST /login within 10%", pct(ratio(r.big.login.Rate(), r.login.Rate())) + " of (c)", within(r.big.login.Rate(), r.login.Rate())},
	}
	if r.flaskSkip == "" {
		x := ratio(r.dashboard.Rate(), r.flask.dashboard.Rate())
		ts = append(ts, target{"(a) >= 15x the seed app's GET /", fmt.Sprintf("%.1fx", x), x >= 15})
	}
	return ts
}

// failures counts the targets not met.
func (r *report) failures() int {
	n := 0
	for _, t := range r.targets() {
		if !t.met {
			n++
		}
	}
	return n
}

// print writes the run's table: the machine, the rows (a) to (i), then
// each target with its figure.
func (r *report) print(w io.Writer) {
	c := r.cfg
	fmt.Fprintf(w, "gatehouse benchmark, %s\n", r.started.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "machine: %s, %d cores (GOMAXPROCS %d), %s %s/%s, %s\n", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, wrkVersion())
	n, each := splitRounds(c.duration, c.rounds)
	fmt.Fprintf(w, "loads: %s each, wrk 1 thread, %d connections for pages, %d for logins, %d sessions/accounts cycled\n",
		c.duration, c.connections, c.loginConns, c.rotate)
	fmt.Fprintf(w, "(a) (a, warn) (b') (m) (b) (h) and (c) (d) (h) in turns, %d rounds of %s each (rates over all rounds, p50/p99 the rounds' medians)\n\n", n, each)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "row\tmeasure\trate\tp50\tp99\tresponses")
	row := func(id, what string, res result) {
		fmt.Fprintf(tw, "%s\t%s\t%s/s\t%s\t%s\t%s\n", id, what, num(res.Rate()), ms(res.P50()), ms(res.P99()), res.Statuses())
	}
	row("(a)", fmt.Sprintf("GET / signed in (%d-byte page)", r.pageBytes), r.dashboard)
	row("", "GET / with LOG_LEVEL=warn (no request log)", r.quiet)
	row("(b)", "bare Fiber, static page of that size (reference)", r.bare)
	row("(b')", "floor: cookie, SHA-256, one joined query, page of that size", r.floor)
	row("(m)", "GET /api/v1/me with a bearer token", r.me)
	row("(c)", "POST /login", r.login)
	fmt.Fprintf(tw, "(d)\traw argon2id %s, %d goroutines\t%s/s\t\t\t\n", r.params, runtime.GOMAXPROCS(0), num(r.hashes))
	row("(e)", fmt.Sprintf("GET / during a %d-client login flood", c.flood), r.underFlood)
	row("", "the flood itself: POST /login", r.flood)
	fmt.Fprintf(tw, "(f)\tresident memory idle / peak\t%s / %s\t\t\t\n", mibs(r.idle), mibs(r.peak))
	fmt.Fprintf(tw, "(g)\tcold start to first 200 (%d runs)\t%s median, %s max\t\t\t\n", len(r.cold), ms(median(r.cold)), ms(maxDuration(r.cold)))
	row("(h)", fmt.Sprintf("GET / with %s accounts+sessions", num(float64(c.users))), r.big.dashboard)
	row("", fmt.Sprintf("POST /login with %s accounts", num(float64(c.users))), r.big.login)
	if r.flaskSkip != "" {
		fmt.Fprintf(tw, "(i)\tseed app: skipped, %s\t\t\t\t\n", r.flaskSkip)
	} else {
		row("(i)", "seed app (gunicorn -w 4) GET /", r.flask.dashboard)
		row("", "seed app (gunicorn -w 4) POST /login", r.flask.login)
	}
	tw.Flush()
	fmt.Fprintln(w, "\ntargets")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range r.targets() {
		verdict := "met"
		if !t.met {
			verdict = "NOT MET"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", t.name, t.actual, verdict)
	}
	tw.Flush()
}

func num(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	if f < 100 {
		s = fmt.Sprintf("%.1f", f)
	}
	// thousands separators
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func pct(f float64) string      { return fmt.Sprintf("%.0f%%", f*100) }
func mibs(b int64) string       { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func maxDuration(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

func cpuModel() string {
	for _, line := range strings.Split(string(readFile("/proc/cpuinfo")), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return runtime.GOARCH
}

func wrkVersion() string {
	out, _ := exec.Command("wrk", "-v").CombinedOutput()
	line, _, _ := strings.Cut(string(out), "\n")
	if f := strings.Fields(line); len(f) >= 2 {
		return "wrk " + f[1]
	}
	return "wrk"
}

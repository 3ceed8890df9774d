package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// config is what a soak run does.
type config struct {
	url, metrics string
	duration     time.Duration
	rate         float64
	workers      int
	every        time.Duration
}

// sample is one report line.
type sample struct {
	elapsed          time.Duration
	requests, errors int64
	throttled        int64
	rssBytes         float64 // -1 when unknown
	goroutines       float64 // -1 when unknown
}

// report is what a run saw.
type report struct {
	requests, errors, throttled int64
	samples                     []sample
}

// run soaks c.url for c.duration and writes a line to out every c.every.
func run(ctx context.Context, c config, out io.Writer) (report, error) {
	if c.rate <= 0 || c.workers <= 0 || c.every <= 0 {
		return report{}, errors.New("rate, workers and every must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var r report
	var requests, errs, throttled atomic.Int64
	tick := time.NewTicker(time.Duration(float64(time.Second) / c.rate))
	defer tick.Stop()
	tokens := make(chan struct{})
	go func() {
		for {
			select {
			case <-ctx.Done():
				close(tokens)
				return
			case <-tick.C:
				select {
				case tokens <- struct{}{}:
				case <-ctx.Done():
				}
			}
		}
	}()
	var wg sync.WaitGroup
	runID := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	for w := range c.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := newVisitor(c.url, fmt.Sprintf("soak-%s-%d", runID, w))
			for step := 0; ; step++ {
				if _, ok := <-tokens; !ok {
					return
				}
				status, err := v.step(ctx)
				if ctx.Err() != nil {
					return
				}
				requests.Add(1)
				switch {
				case status == http.StatusTooManyRequests:
					throttled.Add(1)
				case err != nil:
					errs.Add(1)
					fmt.Fprintf(out, "error: %v\n", err)
				}
			}
		}()
	}
	start := time.Now()
	fmt.Fprintf(out, "%8s %10s %7s %9s %9s %10s\n", "elapsed", "requests", "errors", "throttled", "rss_mib", "goroutines")
	report := func() {
		s := sample{elapsed: time.Since(start).Round(time.Second), requests: requests.Load(), errors: errs.Load(), throttled: throttled.Load(), rssBytes: -1, goroutines: -1}
		if c.metrics != "" {
			s.rssBytes, s.goroutines = scrape(c.metrics)
		}
		r.samples = append(r.samples, s)
		fmt.Fprintf(out, "%8s %10d %7d %9d %9.1f %10.0f\n", s.elapsed, s.requests, s.errors, s.throttled, s.rssBytes/(1<<20), s.goroutines)
	}
	report()
	every := time.NewTicker(c.every)
	defer every.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-every.C:
			report()
		}
	}
	wg.Wait()
	report()
	r.requests, r.errors, r.throttled = requests.Load(), errs.Load(), throttled.Load()
	return r, nil
}

// scrape reads process_resident_memory_bytes and go_goroutines.
func scrape(base string) (rss, goroutines float64) {
	rss, goroutines = -1, -1
	res, err := http.Get(strings.TrimSuffix(base, "/") + "/metrics")
	if err != nil {
		return
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			rss = f
		case "go_goroutines":
			goroutines = f
		}
	}
	return
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// visitor is one browser going round signup (every tenth round a new
// account), login, dashboard, account page and logout.
type visitor struct {
	base, prefix string
	client       *http.Client
	round, n     int
	user         string
	csrf         string
}

const soakPassword = "soak test passphrase 42"

func newVisitor(base, prefix string) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{base: base, prefix: prefix, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// step makes the visitor's next request and returns its status and an
// error when the answer was not the expected one. After an error the
// visitor starts over as a new browser (keeping its account), so that one
// failure, a 503 logout say, is not followed by others that only follow
// from it.
func (v *visitor) step(ctx context.Context) (status int, err error) {
	defer func() {
		v.n++
		if err != nil {
			v.client.Jar, _ = cookiejar.New(nil)
			v.n, v.csrf = 0, ""
		}
	}()
	switch v.n % 6 {
	case 0: // a page with a form, for its CSRF token
		return v.get(ctx, "/login", http.StatusOK)
	case 1:
		if v.user == "" || v.round%10 == 0 {
			name := fmt.Sprintf("%s-%d", v.prefix, v.round)
			st, err := v.post(ctx, "/signup", url.Values{"username": {name}, "password": {soakPassword}}, http.StatusSeeOther)
			if err == nil {
				v.user = name
			}
			return st, err
		}
		return v.get(ctx, "/signup", http.StatusOK)
	case 2:
		if v.user == "" {
			return v.get(ctx, "/login", http.StatusOK)
		}
		return v.post(ctx, "/login", url.Values{"username": {v.user}, "password": {soakPassword}}, http.StatusSeeOther)
	case 3:
		return v.get(ctx, "/", v.loggedIn())
	case 4:
		return v.get(ctx, "/account", v.loggedIn())
	default:
		v.round++
		return v.post(ctx, "/logout", nil, http.StatusSeeOther)
	}
}

func (v *visitor) loggedIn() int {
	if v.user == "" {
		return http.StatusSeeOther
	}
	return http.StatusOK
}

func (v *visitor) get(ctx context.Context, path string, want int) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.base+path, nil)
	if err != nil {
		return 0, err
	}
	return v.do(req, want)
}

func (v *visitor) post(ctx context.Context, path string, form url.Values, want int) (int, error) {
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", v.csrf)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", v.base)
	return v.do(req, want)
}

func (v *visitor) do(req *http.Request, want int) (int, error) {
	res, err := v.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if m := csrfField.FindSubmatch(body); m != nil {
		v.csrf = string(m[1])
	}
	if res.StatusCode != want {
		return res.StatusCode, fmt.Errorf("%s %s = %d, want %d", req.Method, req.URL.Path, res.StatusCode, want)
	}
	return res.StatusCode, nil
}

package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
)

// config is what one benchmark run does.
type config struct {
	duration     time.Duration // each measured load
	rounds       int           // alternating rounds the compared loads are split into
	users        int           // accounts and sessions for (h)
	rotate       int           // accounts whose sessions/logins a load cycles through
	connections  int           // wrk connections for page loads
	loginConns   int           // wrk connections for (c)
	flood        int           // clients flooding POST /login in (e)
	coldStarts   int           // starts measured for (g)
	flaskDir     string        // the seed app, for (i)
	requireFlask bool          // fail instead of skipping (i)
	progress     io.Writer     // where each step is announced
	binary       string        // a gatehouse binary to measure instead of building one
	checkBodies  bool          // wrk counts a 200 whose body shows no username as status 0 (the smoke test)
}

// report is everything one run measured.
type report struct {
	started    time.Time
	cfg        config
	pageBytes  int
	dashboard  result // (a)
	quiet      result // (a) with LOG_LEVEL=warn: no request log
	bare       result // (b)
	floor      result // (b')
	me         result // (m) GET /api/v1/me with a bearer token
	login      result // (c)
	hashes     float64
	params     argon2id.Params
	flood      result // (e): the flooding logins
	underFlood result // (e): GET / meanwhile
	idle, peak int64  // (f), bytes
	cold       []time.Duration
	big        struct{ dashboard, login result } // (h)
	flaskSkip  string
	flask      struct{ dashboard, login result } // (i)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// run measures everything and returns the report.
func run(ctx context.Context, cfg config) (*report, error) {
	rep := &report{started: time.Now().UTC(), cfg: cfg}
	dir, err := os.MkdirTemp("", "gatehouse-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	say := func(format string, args ...any) { fmt.Fprintf(cfg.progress, "bench: "+format+"\n", args...) }

	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	bin := cfg.binary
	if bin == "" {
		say("building cmd/gatehouse")
		if bin, err = buildServer(ctx, root, dir); err != nil {
			return nil, err
		}
	}
	secret := randomHex(32)

	say("(g) %d cold starts on fresh databases", cfg.coldStarts)
	for i := range cfg.coldStarts {
		sub := filepath.Join(dir, fmt.Sprintf("cold%d", i))
		if err := os.Mkdir(sub, 0o700); err != nil {
			return nil, err
		}
		s, err := startServer(ctx, bin, serverEnv(filepath.Join(sub, "users.db"), secret), filepath.Join(sub, "server.log"))
		if err != nil {
			return nil, err
		}
		rep.cold = append(rep.cold, s.coldStart)
		s.stop()
	}

	// Two servers: one on a database with the accounts the loads cycle
	// through, one (h) with cfg.users accounts and sessions. Both run
	// through the measured loads, so that (a), (b) and (h) take turns.
	small, big := filepath.Join(dir, "small"), filepath.Join(dir, "big")
	say("seeding %d accounts and sessions", cfg.rotate)
	env, accounts, err := prepareDatabase(ctx, bin, small, secret, cfg.rotate)
	if err != nil {
		return nil, err
	}
	s, err := startServer(ctx, bin, env, filepath.Join(small, "server.log"))
	if err != nil {
		return nil, err
	}
	defer s.stop()
	time.Sleep(time.Second)
	mem, err := readMemory(s.cmd.Process.Pid)
	if err != nil {
		return nil, err
	}
	rep.idle = mem.rss
	pages, page, err := dashboardRequests(s.base, accounts)
	if err != nil {
		return nil, err
	}
	rep.pageBytes = len(page)
	meReqs, err := meRequests(s.base, accounts)
	if err != nil {
		return nil, err
	}
	// The same database served with LOG_LEVEL=warn: what (a) costs
	// without its request log.
	quietPort, err := freePort()
	if err != nil {
		return nil, err
	}
	qs, err := startServer(ctx, bin, append(slices.Clone(env), "LOG_LEVEL=warn", "PORT="+quietPort), filepath.Join(small, "quiet.log"))
	if err != nil {
		return nil, err
	}
	defer qs.stop()
	if err := probe("GET / with LOG_LEVEL=warn", qs.base+"/", accounts, pages); err != nil {
		return nil, err
	}
	logins, err := loginRequests(s.base, accounts)
	if err != nil {
		return nil, err
	}

	say("(h) seeding %d accounts and sessions", cfg.users)
	bigEnv, bigAccounts, err := prepareDatabase(ctx, bin, big, secret, cfg.users)
	if err != nil {
		return nil, err
	}
	bs, err := startServer(ctx, bin, bigEnv, filepath.Join(big, "server.log"))
	if err != nil {
		return nil, err
	}
	defer bs.stop()
	spread := spreadOut(bigAccounts, cfg.rotate)
	bigPages, _, err := dashboardRequests(bs.base, spread)
	if err != nil {
		return nil, err
	}
	bigLogins, err := loginRequests(bs.base, spread)
	if err != nil {
		return nil, err
	}

	bare, err := startBareFiber(page)
	if err != nil {
		return nil, err
	}
	defer bare.stop()
	floor, err := startFloor(filepath.Join(small, "users.db"), page, accounts[len(accounts)-1].username)
	if err != nil {
		return nil, err
	}
	defer floor.stop()
	if err := probe("(b') the floor", floor.base+"/", accounts, pages); err != nil {
		return nil, err
	}
	n, each := splitRounds(cfg.duration, cfg.rounds)
	settle := func() error { // logins queued when wrk hung up must not run into the next turn
		for _, pid := range []int{s.cmd.Process.Pid, qs.cmd.Process.Pid, bs.cmd.Process.Pid} {
			if err := waitIdle(ctx, pid); err != nil {
				return err
			}
		}
		return nil
	}
	wrkTurn := func(name, url, method string, reqs []request, conns int, timeout time.Duration) turn {
		return turn{name, func(d time.Duration) (result, error) {
			return runWrk(ctx, dir, load{name: name, url: url, method: method, requests: reqs, connections: conns, duration: d, timeout: timeout})
		}}
	}
	// A page load: with checkBodies, wrk counts a 200 without a
	// username in its body as status 0.
	pageTurn := func(name, url string, reqs []request) turn {
		return turn{name, func(d time.Duration) (result, error) {
			l := load{name: name, url: url, method: "GET", requests: reqs, connections: cfg.connections, duration: d}
			if cfg.checkBodies {
				l.expect = usernamePattern
			}
			return runWrk(ctx, dir, l)
		}}
	}

	say("(a) GET / with the request log and without, (b) bare Fiber (%d-byte page), (b') the floor, (m) GET /api/v1/me and (h) GET / on %d accounts: %d rounds of %s in turns", len(page), cfg.users, n, each)
	if err := markSeen(ctx, filepath.Join(small, "users.db"), accounts); err != nil {
		return nil, err
	}
	if err := markSeen(ctx, filepath.Join(big, "users.db"), spread); err != nil {
		return nil, err
	}
	got, err := takeTurns(n, each, settle, say, []turn{
		pageTurn("a", s.base+"/", pages),
		pageTurn("a-warn", qs.base+"/", pages),
		pageTurn("b'", floor.base+"/", pages),
		pageTurn("m", s.base+"/api/v1/me", meReqs),
		pageTurn("b", bare.base+"/", pages),
		pageTurn("h-a", bs.base+"/", bigPages),
	})
	if err != nil {
		return nil, err
	}
	rep.dashboard, rep.quiet, rep.floor, rep.me, rep.bare, rep.big.dashboard = got[0], got[1], got[2], got[3], got[4], got[5]
	bare.stop()
	floor.stop()

	say("(c) POST /login, (d) raw argon2id and (h) POST /login: %d rounds of %s in turns", n, each)
	rep.params = argon2id.DefaultParams()
	got, err = takeTurns(n, each, settle, say, []turn{
		wrkTurn("c", s.base+"/login", "POST", logins, cfg.loginConns, 30*time.Second),
		{"d", func(d time.Duration) (result, error) { return hashRate(ctx, rep.params, d), ctx.Err() }},
		wrkTurn("h-c", bs.base+"/login", "POST", bigLogins, cfg.loginConns, 30*time.Second),
	})
	if err != nil {
		return nil, err
	}
	rep.login, rep.big.login = got[0], got[2]
	rep.hashes = got[1].Rate()
	if err := settle(); err != nil {
		return nil, err
	}
	bs.stop()
	qs.stop()

	say("(e) GET / while %d clients flood POST /login, for %s", cfg.flood, cfg.duration)
	if err := waitIdle(ctx, s.cmd.Process.Pid); err != nil {
		return nil, err
	}
	if err := markSeen(ctx, filepath.Join(small, "users.db"), accounts); err != nil {
		return nil, err
	}
	if err := measureFlood(ctx, dir, s, cfg, pages, logins, rep); err != nil {
		return nil, err
	}
	s.stop()

	rep.flaskSkip = flaskAvailable(cfg.flaskDir)
	if rep.flaskSkip != "" {
		if cfg.requireFlask {
			return nil, errors.New("(i): " + rep.flaskSkip)
		}
		say("(i) skipped: %s", rep.flaskSkip)
		return rep, nil
	}
	say("(i) the seed app under gunicorn -w 4, %s per load", cfg.duration)
	if err := measureFlask(ctx, dir, cfg, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// prepareDatabase creates a migrated database in dir with a template
// account made by the CLI (for its password hash) and n seeded accounts.
func prepareDatabase(ctx context.Context, bin, dir, secret string, n int) ([]string, []account, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, "users.db")
	env := serverEnv(path, secret)
	if err := runCLI(ctx, bin, env, "", "migrate"); err != nil {
		return nil, nil, err
	}
	if err := runCLI(ctx, bin, env, benchPassword+"\n", "user", "create", "benchtemplate", "--password-stdin"); err != nil {
		return nil, nil, err
	}
	accounts, err := seedGatehouse(ctx, path, "benchtemplate", n)
	return env, accounts, err
}

// spreadOut picks n accounts spread at random over all of them (a fixed
// seed, so runs compare), so the big database's pages are not all hot.
func spreadOut(all []account, n int) []account {
	if n >= len(all) {
		return all
	}
	r := mathrand.New(mathrand.NewPCG(9, 9))
	picked := make([]account, 0, n)
	for _, i := range r.Perm(len(all))[:n] {
		picked = append(picked, all[i])
	}
	return picked
}

// dashboardRequests opens each account's dashboard once (it must answer
// 200), and returns the request a browser would send next: the session
// cookie and the last_visit cookie just set. It also returns one page's
// body, the size of the bare ceiling's page.
func dashboardRequests(base string, accounts []account) ([]request, []byte, error) {
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: noRedirects}
	reqs := make([]request, len(accounts))
	var page []byte
	for i, a := range accounts {
		req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
		req.Header.Set("Cookie", "gatehouse_session="+a.token)
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, nil, fmt.Errorf("GET / as %s: status %d, want 200", a.username, resp.StatusCode)
		}
		cookie := "gatehouse_session=" + a.token
		for _, c := range resp.Cookies() {
			if c.Name == "last_visit" {
				cookie += "; last_visit=" + c.Value
			}
		}
		reqs[i] = request{headers: map[string]string{"Cookie": cookie, "User-Agent": "wrk/4.1.0"}}
		page = body
	}
	return reqs, page, nil
}

// loginRequests fetches the login form once for a visitor cookie and its
// CSRF token, then builds one login per account as a browser sends it.
func loginRequests(base string, accounts []account) ([]request, error) {
	resp, err := http.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	m := csrfField.FindSubmatch(body)
	var visitor string
	for _, c := range resp.Cookies() {
		if c.Name == "gatehouse_visitor" {
			visitor = c.Value
		}
	}
	if m == nil || visitor == "" {
		return nil, fmt.Errorf("GET /login gave no csrf_token field or visitor cookie (status %d)", resp.StatusCode)
	}
	reqs := make([]request, len(accounts))
	for i, a := range accounts {
		form := url.Values{"csrf_token": {string(m[1])}, "username": {a.username}, "password": {benchPassword}}
		reqs[i] = request{
			headers: map[string]string{
				"Cookie":       "gatehouse_visitor=" + visitor,
				"Origin":       base,
				"Content-Type": "application/x-www-form-urlencoded",
				"User-Agent":   "wrk/4.1.0",
			},
			body: form.Encode(),
		}
	}
	return reqs, nil
}

// measureFlood runs (e) and (f): cfg.flood clients send logins as fast as
// they are answered while GET / is measured; the server's peak resident
// set comes from /proc when the flood ends.
func measureFlood(ctx context.Context, dir string, s *server, cfg config, pages, logins []request, rep *report) error {
	var wg sync.WaitGroup
	var floodErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		rep.flood, floodErr = runWrk(ctx, dir, load{name: "e-flood", url: s.base + "/login", method: "POST", requests: logins,
			connections: cfg.flood, duration: cfg.duration + 2*time.Second, timeout: 30 * time.Second})
	}()
	time.Sleep(time.Second) // let the flood fill the hashing pool first
	var err error
	rep.underFlood, err = runWrk(ctx, dir, load{name: "e-page", url: s.base + "/", method: "GET", requests: pages, connections: cfg.connections, duration: cfg.duration})
	wg.Wait()
	if err != nil {
		return err
	}
	if floodErr != nil {
		return floodErr
	}
	mem, err := readMemory(s.cmd.Process.Pid)
	if err != nil {
		return err
	}
	rep.peak = mem.peak
	return nil
}

// measureFlask runs (i): the seed app, same accounts, same loads.
func measureFlask(ctx context.Context, dir string, cfg config, rep *report) error {
	sub := filepath.Join(dir, "flask")
	if err := os.Mkdir(sub, 0o700); err != nil {
		return err
	}
	dbPath := filepath.Join(sub, "users.db")
	if err := seedFlask(ctx, dbPath, cfg.rotate); err != nil {
		return err
	}
	f, err := startFlask(ctx, cfg.flaskDir, dbPath, filepath.Join(sub, "gunicorn.log"))
	if err != nil {
		return err
	}
	defer f.stop()
	pages := make([]request, cfg.rotate)
	logins := make([]request, cfg.rotate)
	for i := range cfg.rotate {
		name := benchUsername(i)
		cookie, err := flaskSession(f.base, name)
		if err != nil {
			return err
		}
		pages[i] = request{headers: map[string]string{"Cookie": cookie, "User-Agent": "wrk/4.1.0"}}
		logins[i] = request{headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "wrk/4.1.0"}, body: flaskLoginBody(name)}
	}
	if rep.flask.dashboard, err = runWrk(ctx, dir, load{name: "i-a", url: f.base + "/", method: "GET", requests: pages, connections: cfg.connections, duration: cfg.duration}); err != nil {
		return err
	}
	rep.flask.login, err = runWrk(ctx, dir, load{name: "i-c", url: f.base + "/login", method: "POST", requests: logins, connections: cfg.loginConns, duration: cfg.duration, timeout: 30 * time.Second})
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// median of xs (which it sorts), the upper one of an even count; zero for
// none.
func median[T cmp.Ordered](xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// usernamePattern is the Lua pattern of a seeded username (benchUsername).
const usernamePattern = "user%d%d%d%d%d%d%d"

// meRequests builds one GET /api/v1/me per account, with its session's
// token as the bearer token, and checks that each answers 200 with the
// account's username.
func meRequests(base string, accounts []account) ([]request, error) {
	reqs := make([]request, len(accounts))
	for i, a := range accounts {
		reqs[i] = request{headers: map[string]string{"Authorization": "Bearer " + a.token, "User-Agent": "wrk/4.1.0"}}
	}
	return reqs, probe("GET /api/v1/me", base+"/api/v1/me", accounts, reqs)
}

// probe sends each of reqs (GETs made for accounts, in the same order)
// to url once, before any load, and fails unless every answer is a 200
// whose body shows that account's username.
func probe(what, url string, accounts []account, reqs []request) error {
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: noRedirects}
	for i, r := range reqs {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		for k, v := range r.headers {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("%s as %s: %w", what, accounts[i].username, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("%s as %s: %w", what, accounts[i].username, err)
		}
		if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(accounts[i].username)) {
			return fmt.Errorf("%s as %s: status %d, want 200 and a body with the username:\n%s", what, accounts[i].username, resp.StatusCode, tail(body, 500))
		}
	}
	return nil
}

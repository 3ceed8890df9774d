package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"
)

// gunicornListening matches gunicorn's "Listening at: http://127.0.0.1:PORT".
var gunicornListening = regexp.MustCompile(`Listening at: http://127\.0\.0\.1:(\d+)`)

// flaskApp is the seed app running under gunicorn.
type flaskApp struct {
	cmd    *exec.Cmd
	base   string
	exited chan struct{}
}

// flaskAvailable says why the seed app cannot run here, or "" if it can.
func flaskAvailable(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, "app.py")); err != nil {
		return "no seed app at " + dir
	}
	if _, err := exec.LookPath("gunicorn"); err != nil {
		return "gunicorn is not installed (apt-get install gunicorn python3-flask)"
	}
	return ""
}

// startFlask starts the seed app from dir under gunicorn with 4 sync
// workers on a kernel-picked loopback port, with its database at dbPath.
func startFlask(ctx context.Context, dir, dbPath, logPath string) (*flaskApp, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command("gunicorn", "-w", "4", "-b", "127.0.0.1:0", "app:app")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DB_PATH="+dbPath, "SECRET_KEY=gatehouse-bench-flask-secret", "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start gunicorn: %w", err)
	}
	f := &flaskApp{cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(f.exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := gunicornListening.FindSubmatch(readFile(logPath)); m != nil {
			f.base = "http://127.0.0.1:" + string(m[1])
			break
		}
		select {
		case <-f.exited:
			return nil, fmt.Errorf("gunicorn exited:\n%s", tail(readFile(logPath), 2000))
		case <-ctx.Done():
			f.stop()
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			f.stop()
			return nil, fmt.Errorf("gunicorn not listening after 30 s:\n%s", tail(readFile(logPath), 2000))
		}
	}
	// Every worker imports the app (and creates its table) before it
	// serves; wait until the login page answers.
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(f.base + "/login")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return f, nil
			}
		}
		if time.Now().After(deadline) {
			f.stop()
			return nil, errors.New("the seed app's /login never answered 200")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (f *flaskApp) stop() { terminate(f.cmd.Process, f.exited) }

// flaskSession logs username in on the seed app and returns its signed
// session cookie, checking that GET / then answers 200.
func flaskSession(base, username string) (string, error) {
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: noRedirects}
	form := url.Values{"username": {username}, "password": {benchPassword}}
	resp, err := client.PostForm(base+"/login", form)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == "session" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if resp.StatusCode != http.StatusFound || cookie == "" {
		return "", fmt.Errorf("seed app login of %s: status %d, session cookie %t", username, resp.StatusCode, cookie != "")
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.Header.Set("Cookie", cookie)
	resp, err = client.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("seed app GET / as %s: status %d", username, resp.StatusCode)
	}
	return cookie, nil
}

// flaskLoginBody is the seed app's login form for username.
func flaskLoginBody(username string) string {
	return url.Values{"username": {username}, "password": {benchPassword}}.Encode()
}

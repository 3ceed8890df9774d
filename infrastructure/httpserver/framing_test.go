package httpserver

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// serveTCP serves app on a loopback port until the test ends and returns
// the address.
func serveTCP(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		_ = app.Shutdown()
		<-served
	})
	return ln.Addr().String()
}

// answer is what a raw exchange read back: the responses with their
// bodies, and whether the server closed the connection after them.
type answer struct {
	responses []*http.Response
	bodies    []string
	closed    bool
}

// exchange writes raw, byte for byte, to a new connection to addr, reads
// up to want responses and then whether the server closes the connection
// (it counts as open if nothing arrives within a second).
func exchange(t *testing.T, addr, raw string, want int) answer {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatalf("deadline: %v", err)
	}
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatalf("write: %v", err)
	}
	var a answer
	r := bufio.NewReader(conn)
	for range want {
		res, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("read response %d of %d: %v", len(a.responses)+1, want, err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatalf("read body %d: %v", len(a.responses)+1, err)
		}
		a.responses = append(a.responses, res)
		a.bodies = append(a.bodies, string(body))
	}
	if err := conn.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
		t.Fatalf("deadline: %v", err)
	}
	_, err = r.ReadByte()
	a.closed = err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
	return a
}

// chunkedPost is a POST of a JSON sign-up to the API whose body is sent
// in chunks, with extra header lines and the chunked body as given.
func chunkedPost(extra, body string) string {
	return "POST /api/v1/users HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Type: application/json\r\n" +
		extra + "\r\n" + body
}

// signUp is the JSON body of a valid sign-up, and signUpChunks the same
// body in two well-formed chunks and the last chunk.
const signUp = `{"username":"alice","password":"correct horse battery"}`

var signUpChunks = "10\r\n" + signUp[:16] + "\r\n" + strconv.FormatInt(int64(len(signUp)-16), 16) + "\r\n" +
	signUp[16:] + "\r\n0\r\n\r\n"

// TestMalformedFramingIsRefusedAndClosed protects the server against
// request smuggling and desynchronization (RFC 9112 sections 3.2, 6 and
// 7.1): a request whose Host or body framing is ambiguous is answered
// 400, never handed to a handler, and the connection is closed so that
// no byte after it is read as another request. Each request is followed
// by a smuggled GET that must not be answered.
func TestMalformedFramingIsRefusedAndClosed(t *testing.T) {
	const smuggled = "GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n"
	tests := []struct {
		name, raw string
	}{
		{"no Host", "GET /healthz HTTP/1.1\r\n\r\n"},
		{"an empty Host", "GET /healthz HTTP/1.1\r\nHost:\r\n\r\n"},
		{"two Host lines", "GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\nHost: evil.test\r\n\r\n"},
		{"the same Host twice", "GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\nhost: gatehouse.test\r\n\r\n"},
		{"two Host lines in HTTP/1.0", "GET /healthz HTTP/1.0\r\nHost: gatehouse.test\r\nHost: evil.test\r\n\r\n"},
		// A parser that skips to the next CR after a chunk size, as
		// fasthttp did before 1.58, reads "hidden" as part of the size
		// line; one that ends lines at LF reads it as chunk data.
		{"a bare LF after a chunk size",
			chunkedPost("Transfer-Encoding: chunked\r\n", "10\nhidden\r\n"+signUpChunks[4:])},
		{"a bare LF in a chunk extension",
			chunkedPost("Transfer-Encoding: chunked\r\n", "10;a=b\nhidden\r\n"+signUpChunks[4:])},
		{"a bare LF after chunk data",
			chunkedPost("Transfer-Encoding: chunked\r\n", "10\r\n"+signUp[:16]+"\n0\r\n\r\n")},
		{"a bare LF after the last chunk",
			chunkedPost("Transfer-Encoding: chunked\r\n", "10\r\n"+signUp[:16]+"\r\n0\n\r\n")},
		{"Transfer-Encoding twice",
			chunkedPost("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", signUpChunks)},
		{"Transfer-Encoding chunked twice in one line",
			chunkedPost("Transfer-Encoding: chunked, chunked\r\n", signUpChunks)},
		{"a coding other than chunked",
			chunkedPost("Transfer-Encoding: gzip, chunked\r\n", signUpChunks)},
		{"Content-Length twice",
			chunkedPost("Content-Length: "+strconv.Itoa(len(signUp))+"\r\nContent-Length: "+strconv.Itoa(len(signUp))+"\r\n", signUp)},
		{"Content-Length before Transfer-Encoding",
			chunkedPost("Content-Length: "+strconv.Itoa(len(signUpChunks))+"\r\nTransfer-Encoding: chunked\r\n", signUpChunks)},
		{"Transfer-Encoding before Content-Length",
			chunkedPost("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", signUpChunks)},
		{"Content-Length with Transfer-Encoding on a page",
			"POST /login HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
				"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\na=bc\r\n0\r\n\r\n"},
		{"Content-Length and Transfer-Encoding in lower case",
			chunkedPost("content-length: 4\r\ntransfer-encoding: chunked\r\n", signUpChunks)},
		{"Content-Length with Transfer-Encoding identity",
			chunkedPost("Transfer-Encoding: identity\r\nContent-Length: "+strconv.Itoa(len(signUp))+"\r\n", signUp)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reg := &httpxtest.Registrar{}
			a := exchange(t, serveTCP(t, newTestApp(t, 1<<10, reg)), tt.raw+smuggled, 1)
			res := a.responses[0]
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("status = %d, want 400 (body %q)", res.StatusCode, a.bodies[0])
			}
			if !a.closed {
				t.Errorf("connection left open, want closed after the 400")
			}
			if n := reg.Count("Register"); n != 0 {
				t.Errorf("Register called %d times, want 0", n)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q, want one with frame-ancestors 'none'", got)
			}
		})
	}
}

// TestWellFormedRequestsAreServed protects what strict framing must not
// break: a chunked body is read whole, a request without Host in
// HTTP/1.0 (which has none) is served, and pipelined requests, a
// chunked one among them, are answered in order on one connection.
func TestWellFormedRequestsAreServed(t *testing.T) {
	get := func(path string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n"
	}
	tests := []struct {
		name, raw string
		want      []int
		signUps   int
		closes    bool
	}{
		{"a chunked POST", chunkedPost("Transfer-Encoding: chunked\r\n", signUpChunks), []int{201}, 1, false},
		{"a chunked POST with a chunk extension and a trailer",
			chunkedPost("Transfer-Encoding: chunked\r\n",
				strconv.FormatInt(int64(len(signUp)), 16)+";note=1\r\n"+signUp+"\r\n0\r\nX-Note: 1\r\n\r\n"),
			[]int{201}, 1, false},
		{"HTTP/1.0 without Host", "GET /healthz HTTP/1.0\r\n\r\n", []int{200}, 0, true},
		{"pipelined requests",
			get("/healthz") + chunkedPost("Transfer-Encoding: chunked\r\n", signUpChunks) + get("/readyz"),
			[]int{200, 201, 200}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reg := &httpxtest.Registrar{}
			a := exchange(t, serveTCP(t, newTestApp(t, 1<<10, reg)), tt.raw, len(tt.want))
			for i, res := range a.responses {
				if res.StatusCode != tt.want[i] {
					t.Errorf("response %d: status = %d, want %d (body %q)", i+1, res.StatusCode, tt.want[i], a.bodies[i])
				}
			}
			if a.closed != tt.closes {
				t.Errorf("connection closed = %v, want %v", a.closed, tt.closes)
			}
			calls := reg.Of("Register")
			if len(calls) != tt.signUps {
				t.Fatalf("Register called %d times, want %d", len(calls), tt.signUps)
			}
			for _, call := range calls {
				if in := call.Args[0].(usecase.RegisterInput); in.Username != "alice" || in.Password != "correct horse battery" {
					t.Errorf("Register got %q/%q, want the chunked body's alice/correct horse battery", in.Username, in.Password)
				}
			}
		})
	}
}

// TestOversizedBodyOverTCPCarriesSecurityHeaders protects the 413 that
// the server raises while it reads a body over BodyLimit, before any
// route runs: on a real connection it still carries the site's security
// headers.
func TestOversizedBodyOverTCPCarriesSecurityHeaders(t *testing.T) {
	const limit = 1 << 10
	addr := serveTCP(t, newTestApp(t, limit, &httpxtest.Registrar{}))
	body := strings.Repeat("x", limit+1)
	raw := "POST /login HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	a := exchange(t, addr, raw, 1)
	res := a.responses[0]
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form: status = %d, want 413", res.StatusCode)
	}
	for name, want := range siteHeaders {
		if got := res.Header.Get(name); got != want {
			t.Errorf("oversized form: %s = %q, want %q", name, got, want)
		}
	}
}

// TestHasBothFramings protects the reading of raw header lines behind
// the Content-Length with Transfer-Encoding refusal: field names match
// without regard to case, and only as names, never inside a value.
func TestHasBothFramings(t *testing.T) {
	tests := []struct {
		raw  string
		want bool
	}{
		{"Host: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n", true},
		{"transfer-encoding: chunked\r\nCONTENT-LENGTH: 4\r\n", true},
		{"Host: a\r\nContent-Length: 4\r\n", false},
		{"Host: a\r\nTransfer-Encoding: chunked\r\n", false},
		{"Transfer-Encoding: chunked\r\nX-Note: Content-Length: 4\r\n", false},
		{"Content-Length: 4\r\nX-Transfer-Encoding: chunked\r\n", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := hasBothFramings([]byte(tt.raw)); got != tt.want {
			t.Errorf("hasBothFramings(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}

// Package smtptest runs a real SMTP server on loopback for a test
// (github.com/emersion/go-smtp): STARTTLS or implicit TLS with a
// certificate made for the test, AUTH PLAIN required before a message, and
// faults on demand (refusals, a slow answer, the server down). It keeps
// what it received so the test can read it, as a person reads a mailbox.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The credentials the server accepts.
const (
	User     = "mailer"
	Password = "mail-secret-password"
)

// Mode says how the server offers TLS.
type Mode int

// The server's TLS modes.
const (
	// STARTTLS offers STARTTLS and AUTH only after it.
	STARTTLS Mode = iota
	// Implicit speaks TLS from the first byte (smtps).
	Implicit
	// Plain offers no TLS at all, and AUTH in the clear.
	Plain
)

// Message is one message the server accepted.
type Message struct {
	From   string
	To     []string
	Data   []byte
	TLS    bool
	Authed bool
}

// Server is a running SMTP server; its methods are safe for concurrent use.
type Server struct {
	// Host and Port are where it listens (127.0.0.1 and a free port).
	Host string
	Port int
	// Roots trusts the server's certificate.
	Roots *x509.CertPool

	mode    Mode
	tls     *tls.Config
	srv     *smtp.Server
	ln      net.Listener
	mu      sync.Mutex
	msgs    []Message
	reject  *smtp.SMTPError
	delay   time.Duration
	arrived chan struct{}
}

// Start runs a server in mode on a free loopback port until t ends.
func Start(t testing.TB, mode Mode) *Server {
	t.Helper()
	s := &Server{Host: "127.0.0.1", mode: mode, arrived: make(chan struct{}, 1000)}
	s.tls, s.Roots = certificate(t)
	ln := s.listen(t, "127.0.0.1:0")
	s.Port = ln.Addr().(*net.TCPAddr).Port
	s.serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// Reserve returns a stopped server with a port of its own: connections to
// it are refused until Resume.
func Reserve(t testing.TB, mode Mode) *Server {
	t.Helper()
	s := Start(t, mode)
	s.Stop()
	return s
}

// Addr is HOST:PORT.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func (s *Server) listen(t testing.TB, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("smtptest: listen on %s: %v", addr, err)
	}
	if s.mode == Implicit {
		ln = tls.NewListener(ln, s.tls)
	}
	return ln
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{server: s, tls: isTLS}, nil
	}))
	srv.Domain = "mail.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	switch s.mode {
	case STARTTLS:
		srv.TLSConfig = s.tls
	case Plain:
		srv.AllowInsecureAuth = true
	}
	srv.ErrorLog = discard{}
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Stop closes the server; connections are refused until Resume.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// The listener is closed here too: Close alone misses it when
		// Serve has not begun yet.
		ln.Close()
		srv.Close()
	}
}

// Resume listens again on the server's port.
func (s *Server) Resume(t testing.TB) {
	t.Helper()
	s.serve(s.listen(t, s.Addr()))
}

// Reject makes the server answer every RCPT with code and text (a 4xx is
// temporary, a 5xx permanent); a zero code accepts again.
func (s *Server) Reject(code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		s.reject = nil
		return
	}
	s.reject = &smtp.SMTPError{Code: code, EnhancedCode: smtp.NoEnhancedCode, Message: text}
}

// Delay makes the server wait d before it answers a message's data.
func (s *Server) Delay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait returns the messages once at least n have arrived, and fails t if
// they do not within timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if msgs := s.Messages(); len(msgs) >= n {
			return msgs
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("smtptest: %d messages arrived within %v, want %d", len(s.Messages()), timeout, n)
			return nil
		}
	}
}

type session struct {
	server *Server
	tls    bool
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != User || password != Password {
			return smtp.ErrAuthFailed
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if !x.authed && x.server.mode != Plain {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.server.mu.Lock()
	reject := x.server.reject
	x.server.mu.Unlock()
	if reject != nil {
		return reject
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	s := x.server
	s.mu.Lock()
	delay := s.delay
	s.mu.Unlock()
	time.Sleep(delay)
	s.mu.Lock()
	s.msgs = append(s.msgs, Message{From: x.from, To: append([]string(nil), x.to...), Data: buf.Bytes(), TLS: x.tls, Authed: x.authed})
	s.mu.Unlock()
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}

// certificate makes a self-signed certificate for 127.0.0.1 and
// localhost, and a pool that trusts it.
func certificate(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("smtptest: key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("smtptest: certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("smtptest: parse certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, MinVersion: tls.VersionTLS12}, pool
}

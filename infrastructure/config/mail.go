package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Mail is where messages go, as MAIL_URL says.
type Mail struct {
	// Scheme is "smtp" (STARTTLS required), "smtps" (TLS from the first
	// byte) or "file" (a pickup directory).
	Scheme string
	// Host, Port, Username and Password reach the SMTP server; Plain is
	// ?tls=none, allowed only for a loopback host.
	Host     string
	Port     int
	Username string
	Password string
	Plain    bool
	// Dir is the pickup directory.
	Dir string
}

// DefaultMailURL is MAIL_URL's value when it is unset.
const DefaultMailURL = "file:mail"

// mailURLForms names the forms MAIL_URL takes, for its error messages.
const mailURLForms = "smtp://USER:PASSWORD@HOST:PORT (STARTTLS required), smtps://USER:PASSWORD@HOST:PORT (implicit TLS), smtp://HOST:PORT?tls=none (a loopback host only) or file:DIR"

// parseMailURL reads a MAIL_URL. Its errors never echo the value, which
// may carry a password.
func parseMailURL(raw string) (Mail, error) {
	if dir, ok := strings.CutPrefix(raw, "file:"); ok {
		if dir == "" || strings.HasPrefix(dir, "//") || strings.ContainsAny(dir, "?#") {
			return Mail{}, fmt.Errorf("a pickup directory such as file:mail or file:/var/spool/gatehouse")
		}
		return Mail{Scheme: "file", Dir: dir}, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Opaque != "" {
		return Mail{}, fmt.Errorf("one of %s", mailURLForms)
	}
	m := Mail{Scheme: u.Scheme, Host: u.Hostname()}
	if m.Host == "" {
		return Mail{}, fmt.Errorf("a URL with a host: %s", mailURLForms)
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" {
		return Mail{}, fmt.Errorf("a URL without a path: %s", mailURLForms)
	}
	m.Port = 587
	if u.Scheme == "smtps" {
		m.Port = 465
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Mail{}, fmt.Errorf("a URL whose port is from 1 to 65535")
		}
		m.Port = n
	}
	if u.User != nil {
		m.Username = u.User.Username()
		m.Password, _ = u.User.Password()
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Mail{}, fmt.Errorf("a URL whose only parameter is tls=none")
	}
	for k, v := range q {
		if k != "tls" || len(v) != 1 || v[0] != "none" {
			return Mail{}, fmt.Errorf("a URL whose only parameter is tls=none")
		}
		if u.Scheme == "smtps" {
			return Mail{}, fmt.Errorf("smtp:// with tls=none: smtps:// always speaks TLS")
		}
		if !isLoopback(m.Host) {
			return Mail{}, fmt.Errorf("a loopback host (127.0.0.1, ::1, localhost) with tls=none: mail in the clear may not leave the machine")
		}
		m.Plain = true
	}
	return m, nil
}

// isLoopback reports whether host is a loopback address or localhost.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.IsLoopback()
}

// mailURL reads MAIL_URL into dst, which keeps the default when unset.
func (r *reader) mailURL(name string, dst *Mail, defaulted *bool) {
	v, ok := r.get(name)
	if !ok {
		if r.err == nil {
			*dst, _ = parseMailURL(DefaultMailURL)
			*defaulted = true
		}
		return
	}
	m, err := parseMailURL(v)
	if err != nil {
		r.err = fmt.Errorf("config: %s must be %v", name, err)
		return
	}
	*dst = m
}

// publicURL reads an absolute http or https URL without query or
// fragment; the trailing slash is dropped.
func (r *reader) publicURL(name string, dst *string) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		// Not echoed: a URL with a user may carry a password.
		r.err = fmt.Errorf("config: %s must be an absolute http or https URL without user, query or fragment, such as https://login.example.com", name)
		return
	}
	*dst = strings.TrimRight(u.String(), "/")
}

// address reads an email address such as no-reply@example.com or
// "Example <no-reply@example.com>".
func (r *reader) address(name string, dst *string) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || !strings.Contains(a.Address, "@") {
		r.fail(name, "an email address such as no-reply@example.com", v)
		return
	}
	*dst = a.String()
}

// defaultSender is no-reply at publicURL's host.
func defaultSender(publicURL string) string {
	u, err := url.Parse(publicURL)
	host := "localhost"
	if err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	} else if net.ParseIP(host) != nil {
		host = "[" + host + "]"
	}
	return "no-reply@" + host
}

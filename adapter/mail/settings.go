package mail

import (
	"crypto/x509"
	"time"
)

// Transport says where messages go.
type Transport string

// The transports.
const (
	// TransportSMTP sends to an SMTP server.
	TransportSMTP Transport = "smtp"
	// TransportPickup writes .eml files to a directory.
	TransportPickup Transport = "file"
)

// TLS says how an SMTP connection is protected.
type TLS string

// The TLS modes.
const (
	// TLSStartTLS requires STARTTLS: a server that does not offer it
	// gets nothing.
	TLSStartTLS TLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (smtps, port 465).
	TLSImplicit TLS = "implicit"
	// TLSNone speaks in the clear; configuration allows it only for a
	// loopback host.
	TLSNone TLS = "none"
)

// Settings configure the mailer and the composer.
type Settings struct {
	Transport Transport
	// Host, Port, Username and Password reach the SMTP server; without
	// a Username there is no AUTH.
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLS
	// RootCAs trusts the server's certificate; nil is the system's.
	RootCAs *x509.CertPool
	// Timeout bounds connecting and each exchange with the server.
	Timeout time.Duration
	// Dir is the pickup directory.
	Dir string
	// From is the sender's address; PublicURL the service's address,
	// the start of every link.
	From      string
	PublicURL string
}

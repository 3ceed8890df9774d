package database

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// sslModes are the sslmode values bun's pgdriver honours. It has no
// plain-text fallback, so "allow" and "prefer" would act as "require":
// they are refused rather than misunderstood.
var sslModes = map[string]bool{"disable": true, "require": true, "verify-ca": true, "verify-full": true}

// driverParams are the URL parameters the driver reads itself, with
// whether each is a timeout.
var driverParams = map[string]bool{
	"sslmode": false, "sslrootcert": false, "sslcert": false, "sslkey": false,
	"application_name": false, "host": false,
	"timeout": true, "connect_timeout": true, "dial_timeout": true, "read_timeout": true, "write_timeout": true,
}

// settingName matches a PostgreSQL run-time setting such as search_path
// or statement_timeout: the driver sends every other URL parameter as
// "SET name TO value" when it connects.
var settingName = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$`)

// parsePostgres validates a postgres:// or postgresql:// URL. It checks
// everything the driver would otherwise panic on or silently ignore, and
// never repeats the URL or its password in an error.
func parsePostgres(rawURL string) (DSN, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the URL: not repeated.
		return DSN{}, badURL("is not a valid URL (percent-encode '@', ':', '/', '?', '#' and '%' in the user name and password)")
	}
	query, err := url.ParseQuery(u.RawQuery)
	switch {
	case err != nil:
		return DSN{}, badURL("has a malformed query string")
	case u.Fragment != "":
		return DSN{}, badURL("has a '#' part")
	case u.Hostname() == "" && query.Get("host") == "":
		return DSN{}, badURL("names no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return DSN{}, badURL("has a port that is not a number from 1 to 65535")
		}
	}
	if name := strings.TrimPrefix(u.Path, "/"); name == "" || strings.Contains(name, "/") {
		return DSN{}, badURL("names no database (postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
	}
	for name, values := range query {
		value := values[len(values)-1] // the driver reads the last
		isTimeout, known := driverParams[name]
		switch {
		case name == "password":
			return DSN{}, badURL("has a password parameter; put the password in the user part (postgres://USER:PASSWORD@HOST/DATABASE)")
		case name == "sslmode" && !sslModes[value]:
			return DSN{}, badURL(fmt.Sprintf("has sslmode=%q; use disable, require, verify-ca or verify-full", value))
		case isTimeout && !validTimeout(value):
			return DSN{}, badURL(fmt.Sprintf("has %s=%q; use whole seconds or a Go duration such as 5s", name, value))
		case !known && !settingName.MatchString(name):
			return DSN{}, badURL(fmt.Sprintf("has a parameter %q that is neither a driver option nor a PostgreSQL setting name", name))
		}
	}
	return DSN{Kind: Postgres, url: rawURL}, nil
}

// validTimeout reports whether the driver can read s as a timeout: whole
// seconds or a Go duration.
func validTimeout(s string) bool {
	if _, err := strconv.Atoi(s); err == nil {
		return true
	}
	_, err := time.ParseDuration(s)
	return err == nil
}

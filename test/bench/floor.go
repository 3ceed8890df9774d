package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// floorQuery is the one query of the floor (b'): the session by its token
// hash joined with its account, reading only what deciding whether the
// session still counts needs (its deadlines, its credential version, the
// account's state) and the username the page shows. Like gatehouse's own
// (adapter/sqlstore/sessions_user.go), the parameter sits in a scalar
// subquery, so that SQLite, on an analyzed database, does not compile the
// prepared statement again for every token.
const floorQuery = `SELECT s.expires_at, s.absolute_expires_at, s.credential_version,
 u.username, u.disabled, u.credential_version
FROM sessions AS s JOIN users AS u ON u.id = s.user_id
WHERE s.token_hash = (SELECT ?)`

// floorConnParams are the SQLite settings of a gatehouse database file,
// copied from infrastructure/database (connParams, fileCacheParam and the
// WAL journal): the floor reads the same file the same way.
var floorConnParams = []string{
	"_pragma=journal_mode(WAL)",
	"_pragma=cache_size(-16384)",
	"_pragma=busy_timeout(5000)",
	"_pragma=foreign_keys(1)",
	"_pragma=synchronous(FULL)",
	"_txlock=immediate",
}

// floorPool is gatehouse's pool for a SQLite file (fileMaxOpenConns).
const floorPool = 4

// floorServer is (b'): the least a server-side session page must do. A
// bare Fiber app (default settings, no middleware) reads the session
// cookie, hashes the token with SHA-256, runs one prepared query on the
// SQLite file gatehouse serves, refuses a session that no longer counts,
// and sends a page of (a)'s size with the username in it. No template, no
// log line, no extra header.
type floorServer struct {
	app      *fiber.App
	db       *sql.DB
	stmt     *sql.Stmt
	base     string
	stopOnce sync.Once
}

// splitPage cuts page, as (a) rendered it for username, at every
// occurrence of the username, so the floor can send the same bytes with
// another (equally long) username in their place.
func splitPage(page []byte, username string) ([][]byte, error) {
	parts := bytes.Split(page, []byte(username))
	if len(parts) < 2 {
		return nil, fmt.Errorf("(a)'s page does not show the username %q", username)
	}
	return parts, nil
}

func startFloor(dbPath string, page []byte, username string) (*floorServer, error) {
	parts, err := splitPage(page, username)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+strings.ReplaceAll(dbPath, "%", "%25")+"?"+strings.Join(floorConnParams, "&"))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(floorPool)
	db.SetMaxIdleConns(floorPool)
	stmt, err := db.Prepare(floorQuery)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare the floor's query: %w", err)
	}
	f := &floorServer{app: fiber.New(fiber.Config{DisableStartupMessage: true}), db: db, stmt: stmt}
	f.app.Get("/", func(c *fiber.Ctx) error {
		token := c.Cookies("gatehouse_session")
		if token == "" {
			return c.SendStatus(fiber.StatusUnauthorized)
		}
		sum := sha256.Sum256([]byte(token))
		var (
			expires, absolute int64
			sessVersion       int64
			name              string
			disabled          bool
			userVersion       int64
		)
		err := f.stmt.QueryRowContext(c.UserContext(), sum[:]).Scan(&expires, &absolute, &sessVersion, &name, &disabled, &userVersion)
		if errors.Is(err, sql.ErrNoRows) {
			return c.SendStatus(fiber.StatusUnauthorized)
		}
		if err != nil {
			return c.SendStatus(fiber.StatusInternalServerError)
		}
		now := time.Now().UnixMilli()
		if now >= expires || now >= absolute || sessVersion != userVersion || disabled {
			return c.SendStatus(fiber.StatusUnauthorized)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		resp := c.Response()
		for i, p := range parts {
			if i > 0 {
				resp.AppendBodyString(name)
			}
			resp.AppendBody(p)
		}
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		stmt.Close()
		db.Close()
		return nil, err
	}
	go f.app.Listener(ln) //nolint:errcheck // ends with Shutdown
	f.base = "http://" + ln.Addr().String()
	return f, nil
}

func (f *floorServer) stop() {
	f.stopOnce.Do(func() {
		_ = f.app.Shutdown()
		_ = f.stmt.Close()
		_ = f.db.Close()
	})
}

package main

import (
	"context"
	"crypto/rand"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/argon2"
)

// bareFiber serves page for every GET / from a Fiber app with default
// settings and no middleware: the ceiling for an authenticated page.
type bareFiber struct {
	app      *fiber.App
	base     string
	stopOnce sync.Once
}

func startBareFiber(page []byte) (*bareFiber, error) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(page)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go app.Listener(ln) //nolint:errcheck // ends with Shutdown
	return &bareFiber{app: app, base: "http://" + ln.Addr().String()}, nil
}

func (b *bareFiber) stop() { b.stopOnce.Do(func() { _ = b.app.Shutdown() }) }

// hashRate runs raw argon2id (x/crypto) with p on as many goroutines as
// the server has cores for d: the ceiling for logins. Like wrk, which
// counts the responses that came within its duration, it counts the
// hashes finished within d and drops the work in progress when d ends.
func hashRate(ctx context.Context, p argon2id.Params, d time.Duration) result {
	workers := runtime.GOMAXPROCS(0)
	var done atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			salt := make([]byte, 16)
			for ctx.Err() == nil {
				_, _ = rand.Read(salt)
				argon2.IDKey([]byte(benchPassword), salt, p.Time, p.MemoryKiB, p.Threads, 32)
				if time.Now().After(stop) {
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return result{Requests: done.Load(), DurationUS: float64(d / time.Microsecond)}
}

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
	app  *fiber.App
	base string
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

func (b *bareFiber) stop() { _ = b.app.Shutdown() }

// hashRate runs raw argon2id (x/crypto, the server's default parameters)
// on as many goroutines as the server has cores for d, and returns
// hashes per second: the ceiling for logins.
func hashRate(ctx context.Context, d time.Duration) (float64, argon2id.Params) {
	p := argon2id.DefaultParams()
	workers := runtime.GOMAXPROCS(0)
	var done atomic.Int64
	stop := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			salt := make([]byte, 16)
			for time.Now().Before(stop) && ctx.Err() == nil {
				_, _ = rand.Read(salt)
				argon2.IDKey([]byte(benchPassword), salt, p.Time, p.MemoryKiB, p.Threads, 32)
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), p
}

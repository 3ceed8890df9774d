package httpx

import (
	"bufio"
	"errors"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// TestErrorHandler checks which adapter answers an error that Fiber did
// not hand to the API by its (case-sensitive) mount prefix.
func TestErrorHandler(t *testing.T) {
	tests := []struct {
		name, raw string // raw request; "" for one fasthttp reset after a read error
		want      string
	}{
		{"a page of the site", "GET /login HTTP/1.1\r\nHost: x\r\n\r\n", "site"},
		{"a path that only starts like the API's", "GET /apix HTTP/1.1\r\nHost: x\r\n\r\n", "site"},
		{"the API in capitals", "GET /API/V1/ME HTTP/1.1\r\nHost: x\r\n\r\n", "api"},
		{"a request the server could not read", "", "api"},
	}
	app := fiber.New()
	for _, tt := range tests {
		var fctx fasthttp.RequestCtx
		if tt.raw != "" {
			if err := fctx.Request.Read(bufio.NewReader(strings.NewReader(tt.raw))); err != nil {
				t.Fatalf("%s: parse %q: %v", tt.name, tt.raw, err)
			}
		}
		c := app.AcquireCtx(&fctx)
		got := ""
		handler := ErrorHandler(
			func(*fiber.Ctx, error) error { got = "site"; return nil },
			func(*fiber.Ctx, error) error { got = "api"; return nil },
		)
		_ = handler(c, errors.New("boom"))
		app.ReleaseCtx(c)
		if got != tt.want {
			t.Errorf("%s: errorHandler answered with the %s's handler, want the %s's", tt.name, got, tt.want)
		}
	}
}

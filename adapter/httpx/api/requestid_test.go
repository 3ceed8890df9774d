package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestRequestIDIgnoresInboundHeader protects the id an operator looks up:
// an X-Request-Id the client sends is not echoed, not quoted by a 500's
// message and not logged; the server's own id is, in all three.
func TestRequestIDIgnoresInboundHeader(t *testing.T) {
	t.Parallel()
	const inbound = "attacker-chosen"
	api := newAPITest(t, Config{})
	api.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) { return nil, errors.New("broken") }
	header := map[string]string{"X-Request-Id": inbound}
	for _, tt := range []struct {
		call call
		want int
	}{
		{call{method: http.MethodGet, path: mePath, token: aliceToken, header: header}, http.StatusOK},
		{call{method: http.MethodGet, path: sessionsPath, token: aliceToken, header: header}, http.StatusInternalServerError},
	} {
		c := tt.call
		what := c.method + " " + c.path + " with X-Request-Id: " + inbound
		res := api.do(t, c)
		if res.status != tt.want {
			t.Errorf("%s status = %d, want %d", what, res.status, tt.want)
		}
		id := res.header.Get("X-Request-ID")
		if id == "" || id == inbound {
			t.Errorf("%s: X-Request-ID = %q, want an id of the server's making", what, id)
		}
		if strings.Contains(string(res.body), inbound) {
			t.Errorf("%s (%d) body = %s, want nothing of the client's id", what, res.status, res.body)
		}
		if res.status == http.StatusInternalServerError && !strings.Contains(string(res.body), "Request id: "+id+".") {
			t.Errorf("%s: 500 body = %s, want the server's id %q", what, res.body, id)
		}
	}
	if lines := api.logs.Lines(inbound); len(lines) != 0 {
		t.Errorf("the client's X-Request-Id %q is in the log: %q", inbound, lines)
	}
	if lines := api.logs.Lines("request_id="); len(lines) != 1 {
		t.Errorf("log lines with a request id = %q, want the one of the 500", lines)
	}
}

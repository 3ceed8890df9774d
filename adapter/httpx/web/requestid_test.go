package web

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// TestRequestIDIgnoresInboundHeader protects the id an operator looks up:
// an X-Request-Id the browser sends is not echoed, not shown on a 500
// page and not logged; the server's own id is, on the page and in the
// log.
func TestRequestIDIgnoresInboundHeader(t *testing.T) {
	const inbound = "attacker-chosen"
	r := newSiteRig(t, rigPrincipal(domain.RoleUser))
	r.sessions.ResolveErr = errors.New("database on fire")
	header := map[string]string{"X-Request-Id": inbound}
	for _, tt := range []struct {
		call siteCall
		want int
	}{
		{siteCall{method: http.MethodGet, target: "/login", header: header}, http.StatusOK},
		{siteCall{method: http.MethodGet, target: "/", signedIn: true, header: header}, http.StatusInternalServerError},
	} {
		sc := tt.call
		what := sc.method + " " + sc.target + " with X-Request-Id: " + inbound
		res := r.do(t, sc)
		if res.status != tt.want {
			t.Errorf("%s status = %d, want %d", what, res.status, tt.want)
		}
		id := res.header.Get("X-Request-ID")
		if id == "" || id == inbound {
			t.Errorf("%s: X-Request-ID = %q, want an id of the server's making", what, id)
		}
		if strings.Contains(res.body, inbound) {
			t.Errorf("%s (%d): the page shows the client's id:\n%s", what, res.status, res.body)
		}
		if res.status == http.StatusInternalServerError && !strings.Contains(res.body, id) {
			t.Errorf("%s: 500 page lacks the server's id %q:\n%s", what, id, res.body)
		}
	}
	if logs := r.logs.String(); strings.Contains(logs, inbound) || !strings.Contains(logs, "database on fire") {
		t.Errorf("log = %q, want the 500's error under the server's id, never %q", logs, inbound)
	}
}

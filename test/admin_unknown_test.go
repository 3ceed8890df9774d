package test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestAdminActionOnAnUnknownIDIsNotFoundOverHTTP protects the history of
// accounts not yet created: every admin action of the site on an id that
// names no account answers the 404 page, and the database holds no event
// about that id, which the account that gets it later would show.
func TestAdminActionOnAnUnknownIDIsNotFoundOverHTTP(t *testing.T) {
	t.Parallel()
	var events usecase.EventLog
	srv := startAdminServer(t, withFx(fx.Populate(&events)))
	root := srv.rootBrowser(t)
	const unknown = 987654
	for _, tt := range []struct {
		action string
		form   url.Values
	}{
		{"disable", nil},
		{"enable", nil},
		{"clear-throttle", nil},
		{"revoke-sessions", nil},
		{"role", url.Values{"role": {"admin"}}},
		{"role", url.Values{"role": {"user"}}},
	} {
		target := "/admin/users/987654/" + tt.action
		if res := root.post(target, tt.form); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s %v = %d, want %d", target, tt.form, res.StatusCode, http.StatusNotFound)
		}
	}
	got, err := events.ListByUser(context.Background(), domain.UserID(unknown), nil, 100)
	if err != nil || len(got) != 0 {
		t.Errorf("events about the unknown id %d after the actions: %+v, %v; want none", unknown, got, err)
	}
}

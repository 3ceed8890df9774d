package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// TestProfileForm sets, refuses and clears a display name with the
// keyboard, as a user meets the Profile section of the account page: the
// notice, the name in the header and the greeting (a long unbroken one
// wraps at phone width rather than scroll sideways), a refused name kept
// in the focused field with its message, and the admin's list showing
// the name beside the username; every page passes the checks.
func TestProfileForm(t *testing.T) {
	var admin *usecase.Admin
	s := startSite(t, fx.Populate(&admin))
	if _, err := admin.Create(context.Background(), usecase.Operator, "root", rootPassword, domain.RoleAdmin, usecase.Client{}); err != nil {
		t.Fatalf("Admin.Create(root) error = %v", err)
	}
	b := s.launch(t, "", desktop)
	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.wantAt(b.signUp("henry", alicePassword), http.StatusOK, "/login?notice=created")
	b.wantAt(b.logIn("henry", alicePassword, false), http.StatusOK, "/")
	b.wantAt(b.activate(`header a[href="/account"]`), http.StatusOK, "/account")
	if got := b.attr("#display_name", "value"); got != "" {
		t.Errorf("the display name field of a new account holds %q, want it empty", got)
	}
	b.checkPage("account-profile", "")

	long := "Henry " + strings.Repeat("W", domain.DisplayNameMaxLen-len("Henry "))
	b.typeInto("#display_name", long)
	b.wantAt(b.activate(`form[action="/account/profile"] button`), http.StatusOK, "/account?notice=display-name-saved")
	b.wantText(`[role="status"]`, "Your display name has been saved.")
	b.wantText("header .signed-in", "Signed in as "+long)
	if got := eval[string](b, `document.getElementById("display_name").value`); got != long {
		t.Errorf("after saving, the display name field holds %q, want %q", got, long)
	}
	b.checkPage("account-profile-saved", "")
	b.wantAt(b.open("/"), http.StatusOK, "/")
	b.wantText("h1", "Welcome, "+long)
	b.checkPage("dashboard-display-name", "")

	// A name that would reverse the text after it: refused, kept, focused.
	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	b.tabTo("#display_name")
	b.do("select the display name", chromedp.KeyEvent("a", chromedp.KeyModifiers(kb.ModifierCtrl)))
	// No key types U+202E: it comes pasted, or from a character picker,
	// which inserts text without key presses.
	const spoof = "Henry\u202Egnp.exe"
	b.call("insert a name with a right-to-left override", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: spoof})
		return err
	})
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusUnprocessableEntity, "/account/profile")
	b.wantFocus("#display_name", "the field with the error")
	b.wantFieldError("display_name", "display_name-error",
		"Display name may not contain control characters or invisible formatting characters, such as those that change the direction of text.")
	if got := eval[string](b, `document.getElementById("display_name").value`); got != spoof {
		t.Errorf("after the refusal the display name field holds %q, want %q kept", got, spoof)
	}
	b.wantText("header .signed-in", "Signed in as "+long)
	b.checkPage("account-profile-refused", "")

	// The admin's list shows the name beside the username.
	admins := b.otherDevice()
	admins.wantAt(admins.open("/login"), http.StatusOK, "/login")
	admins.wantAt(admins.logIn("root", rootPassword, false), http.StatusOK, "/")
	admins.wantAt(admins.open("/admin/users?q=henry"), http.StatusOK, "/admin/users?q=henry")
	admins.wantText(`tr[id^="user-"] th`, "henry")
	admins.wantText(`tr[id^="user-"] th .display-name`, "display name:")
	admins.wantText(`tr[id^="user-"] th .display-name [dir="auto"]`, long)
	admins.checkPage("admin-users-display-name", "")

	// An empty field clears it: the username is back.
	b.do("select the display name", chromedp.KeyEvent("a", chromedp.KeyModifiers(kb.ModifierCtrl)))
	b.do("delete it", chromedp.KeyEvent(kb.Backspace))
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/account?notice=display-name-cleared")
	b.wantText(`[role="status"]`, "Your display name has been removed")
	b.wantText("header .signed-in", "Signed in as henry")
	b.wantAt(b.open("/"), http.StatusOK, "/")
	b.wantText("h1", "Welcome, henry")
}

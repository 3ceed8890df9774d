package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// userList runs "gatehouse user list".
func userList(c *cli, args []string) error {
	cl := c.command("user list", "[--search S] [--page N]", fmt.Sprintf(`
Lists the accounts, %d a page, ordered by name: role, status, email address
(verified, or waiting for its code), when each was created, its last login
and how many sessions it has open. Times are UTC.`, usecase.AdminPageSize))
	search := cl.fs.String("search", "", "list only the names that contain `S` (without regard to case)")
	page := cl.fs.Int("page", 1, "show page `N`")
	if _, err := cl.parse(args, 0); err != nil {
		return err
	}
	if *page < 1 {
		return cl.fail("user list: --page must be 1 or more, got %d", *page)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	var adm *usecase.Admin
	return c.withCore(cfg, func(ctx context.Context) error {
		res, err := adm.List(ctx, usecase.Operator, *search, *page-1)
		if err != nil {
			return err
		}
		printUsers(c.stdout, res, *search, *page)
		return nil
	}, fx.Populate(&adm))
}

// printUsers writes page number n of the list as a table, and a line that
// says where it is in the whole.
func printUsers(w io.Writer, res usecase.UserPage, search string, n int) {
	pages := (res.Total + usecase.AdminPageSize - 1) / usecase.AdminPageSize
	switch {
	case res.Total == 0 && search != "":
		fmt.Fprintf(w, "no user's name contains %q\n", search)
		return
	case res.Total == 0:
		fmt.Fprintln(w, "no users")
		return
	case len(res.Users) == 0:
		fmt.Fprintf(w, "no page %d: %s on %s\n", n, plural(res.Total, "user"), plural(pages, "page"))
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tSTATUS\tEMAIL\tSIGN-IN\tCREATED\tLAST LOGIN\t2FA\tPASSKEYS\tSESSIONS")
	for _, s := range res.Users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", s.User.Username, s.User.Role, status(s), emailColumn(s),
			signInColumn(s), stamp(s.User.CreatedAt), stamp(s.LastLoginAt), onOff(s.TwoFactor), s.Passkeys, s.ActiveSessions)
	}
	tw.Flush()
	if pages > 1 {
		first := (n-1)*usecase.AdminPageSize + 1
		fmt.Fprintf(w, "users %d-%d of %d (page %d of %d)\n", first, first+len(res.Users)-1, res.Total, n, pages)
	}
}

// onOff says whether a second factor is on.
func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// emailColumn is the account's address and whether it is verified.
func emailColumn(s usecase.UserSummary) string {
	switch {
	case !s.User.Email.IsZero():
		return s.User.Email.String() + " (verified)"
	case !s.PendingEmail.IsZero():
		return s.PendingEmail.String() + " (unverified)"
	}
	return "-"
}

// status says whether the account can log in.
func status(s usecase.UserSummary) string {
	switch {
	case s.User.Disabled:
		return "disabled"
	case s.User.MustChangePassword:
		return "active, must change password"
	}
	return "active"
}

// stamp formats t in UTC to the minute, or "never" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// signInColumn lists how the account signs in: "password" when it has
// one, and each linked identity provider.
func signInColumn(s usecase.UserSummary) string {
	ways := s.SignInMethods()
	if len(ways) == 0 {
		return "none"
	}
	return strings.Join(ways, ",")
}

package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// userIdentities runs "gatehouse user identities".
func userIdentities(c *cli, args []string) error {
	cl := c.command("user identities", "NAME", `
Lists the identity providers linked to the account NAME (the sign-in
methods besides its password): the provider, the account's name there, and
when it was linked; and whether the account has a password.`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	var social *usecase.SocialLogin
	return c.onUserWith(pos[0], "list the identities of", func(ctx context.Context, _ *usecase.Admin, u domain.User) error {
		list, err := social.Identities(ctx, u.ID)
		if err != nil {
			return err
		}
		password := "yes"
		if !u.HasPassword() {
			password = "no"
		}
		fmt.Fprintf(c.stdout, "%s: password %s, %d linked identities\n", u.Username, password, len(list))
		if len(list) == 0 {
			return nil
		}
		w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PROVIDER\tNAME\tLINKED")
		for _, id := range list {
			fmt.Fprintf(w, "%s\t%s\t%s\n", id.Provider, id.Name, id.LinkedAt.UTC().Format("2006-01-02 15:04 MST"))
		}
		return w.Flush()
	}, fx.Populate(&social))
}

// userUnlink runs "gatehouse user unlink".
func userUnlink(c *cli, args []string) error {
	cl := c.command("user unlink", "NAME PROVIDER", `
Unlinks the account NAME's identity of PROVIDER, so that signing in with
that provider no longer opens the account. Refused when it is the
account's last way to sign in (no password, no other identity): give it a
password first with "gatehouse user passwd NAME". Recorded in the
account's history.`)
	pos, err := cl.parse(args, 2)
	if err != nil {
		return err
	}
	var social *usecase.SocialLogin
	return c.onUserWith(pos[0], "unlink an identity of", func(ctx context.Context, _ *usecase.Admin, u domain.User) error {
		err := social.Disconnect(ctx, u.ID, pos[1], 0, cliClient)
		switch {
		case errors.Is(err, domain.ErrLastSignInMethod):
			return &explained{msg: fmt.Sprintf("cannot unlink %s from %q: it is the account's last way to sign in (set a password first with \"gatehouse user passwd %s\")", pos[1], u.Username, u.Username), err: err}
		case errors.Is(err, domain.ErrNotFound):
			return &explained{msg: fmt.Sprintf("%q has no %s identity", u.Username, pos[1]), err: errors.New("no such identity")}
		case err != nil:
			return err
		}
		fmt.Fprintf(c.stdout, "unlinked %s from %s\n", pos[1], u.Username)
		return nil
	}, fx.Populate(&social))
}

package main

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// user2FAReset runs "gatehouse user 2fa-reset".
func user2FAReset(c *cli, args []string) error {
	cl := c.command("user 2fa-reset", "NAME", `
Removes the second factors (the authenticator app and every passkey) of
the account NAME and ends every session of the account, for an owner who
lost the device. The next login asks for the password alone; the owner can
set up a new app and passkeys from the account page. Recorded in the
account's history.`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	var tf *usecase.TwoFactor
	return c.onUserWith(pos[0], "reset the second factor of", func(ctx context.Context, _ *usecase.Admin, u domain.User) error {
		removed, err := tf.Reset(ctx, usecase.Operator, u.ID, cliClient)
		if err != nil {
			return err
		}
		if !removed {
			fmt.Fprintf(c.stdout, "%s has no second factor; nothing changed\n", u.Username)
			return nil
		}
		fmt.Fprintf(c.stdout, "removed the second factor of %s and ended its sessions\n", u.Username)
		return nil
	}, fx.Populate(&tf))
}

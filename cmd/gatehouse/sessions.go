package main

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// sessionsRevoke runs "gatehouse sessions revoke".
func sessionsRevoke(c *cli, args []string) error {
	cl := c.command("sessions revoke", "NAME", `
Ends every session of the account NAME, on every device, and prints how
many there were. The account stays enabled: its owner can log in again.`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	return c.onUser(pos[0], "revoke the sessions of", func(ctx context.Context, adm *usecase.Admin, u domain.User) error {
		n, err := adm.RevokeSessions(ctx, usecase.Operator, u.ID, cliClient)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "ended %s of %s\n", plural(int(n), "session"), u.Username)
		return nil
	})
}

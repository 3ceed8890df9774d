package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// userEmail runs "gatehouse user email".
func userEmail(c *cli, args []string) error {
	cl := c.command("user email", "NAME ADDRESS [--verified]", `
Gives the account NAME the email address ADDRESS. Without --verified the
address gets a code, as at signup (queued in the outbox: the running
service delivers it), and becomes the account's once its owner
enters it; with --verified it is the account's at once (you vouch for it).
An address another account has verified is refused.`)
	verified := cl.fs.Bool("verified", false, "make the address the account's at once, without a code")
	pos, err := cl.parse(args, 2)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	var (
		adm    *usecase.Admin
		emails *usecase.AccountEmail
	)
	return c.withCore(cfg, func(ctx context.Context) error {
		u, err := adm.ByName(ctx, usecase.Operator, pos[0])
		if err == nil {
			err = emails.SetByOperator(ctx, u, pos[1], *verified)
		}
		var invalid *usecase.InvalidInputError
		switch {
		case errors.As(err, &invalid):
			return cl.fail("user email: %s", invalid.Fields[usecase.InputEmail])
		case errors.Is(err, domain.ErrEmailTaken):
			return fmt.Errorf("another account has verified %s", pos[1])
		case err != nil:
			return explain(err, "set the address of", pos[0])
		case *verified:
			fmt.Fprintf(c.stdout, "%s's address is now %s (verified)\n", u.Username, pos[1])
		default:
			fmt.Fprintf(c.stdout, "queued a code for %s (the running service delivers it); the address becomes %s's once it is entered\n", pos[1], u.Username)
		}
		return nil
	}, fx.Populate(&adm, &emails))
}

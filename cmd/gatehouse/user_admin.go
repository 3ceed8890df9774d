package main

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// userDisable runs "gatehouse user disable".
func userDisable(c *cli, args []string) error {
	cl := c.command("user disable", "NAME", `
Stops the account NAME from logging in and ends its sessions at once. The
only enabled admin cannot be disabled.`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	return c.onUser(pos[0], "disable", func(ctx context.Context, adm *usecase.Admin, u domain.User) error {
		if err := adm.Disable(ctx, usecase.Operator, u.ID, cliClient); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "disabled %s and ended its sessions\n", u.Username)
		return nil
	})
}

// userEnable runs "gatehouse user enable".
func userEnable(c *cli, args []string) error {
	cl := c.command("user enable", "NAME", `
Lets the disabled account NAME log in again.`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	return c.onUser(pos[0], "enable", func(ctx context.Context, adm *usecase.Admin, u domain.User) error {
		if err := adm.Enable(ctx, usecase.Operator, u.ID, cliClient); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "enabled %s\n", u.Username)
		return nil
	})
}

// userRole runs "gatehouse user role".
func userRole(c *cli, args []string) error {
	cl := c.command("user role", "NAME admin|user", `
Makes the account NAME an admin, who manages other accounts, or a user.
The only enabled admin cannot be made a user.`)
	pos, err := cl.parse(args, 2)
	if err != nil {
		return err
	}
	role, err := domain.ParseRole(pos[1])
	if err != nil {
		return cl.fail("user role: the role must be admin or user, got %q", pos[1])
	}
	return c.onUser(pos[0], "change the role of", func(ctx context.Context, adm *usecase.Admin, u domain.User) error {
		if err := adm.SetRole(ctx, usecase.Operator, u.ID, role, cliClient); err != nil {
			return err
		}
		article := "a"
		if role == domain.RoleAdmin {
			article = "an"
		}
		fmt.Fprintf(c.stdout, "%s is now %s %s\n", u.Username, article, role)
		return nil
	})
}

// userDelete runs "gatehouse user delete".
func userDelete(c *cli, args []string) error {
	cl := c.command("user delete", "NAME", `
Deletes the account NAME and its sessions; its security history stays, and
the name becomes free. The only enabled admin cannot be deleted.`)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	return c.onUser(pos[0], "delete", func(ctx context.Context, adm *usecase.Admin, u domain.User) error {
		if err := adm.Delete(ctx, usecase.Operator, u.ID, cliClient); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "deleted %s\n", u.Username)
		return nil
	})
}

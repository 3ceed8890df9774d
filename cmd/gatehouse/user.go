package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// cliClient is how the command line appears in an account's security
// history.
var cliClient = usecase.Client{UserAgent: "gatehouse command line"}

// passwordFlagUsage explains --password-stdin, the same for every command.
const passwordFlagUsage = "read the password as one line from standard input instead of a prompt"

// userCreate runs "gatehouse user create".
func userCreate(c *cli, args []string) error {
	cl := c.command("user create", "NAME [--admin] [--password-stdin]", `
Creates the account NAME: a user, or an admin with --admin. The password is
typed twice at a prompt that does not echo, or read as one line from
standard input with --password-stdin. The password policy applies, as at
signup.`)
	admin := cl.fs.Bool("admin", false, "make the account an admin")
	fromStdin := cl.fs.Bool("password-stdin", false, passwordFlagUsage)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	name, role := pos[0], domain.RoleUser
	if *admin {
		role = domain.RoleAdmin
	}
	// Refuse a bad name before the password is typed.
	if _, err := domain.ChooseUsername(name); err != nil {
		var invalid *domain.InvalidError
		if errors.As(err, &invalid) {
			err = &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputUsername: invalid.Message}}
		}
		return explain(err, "create user", name)
	}
	readPassword, err := c.passwordReader(*fromStdin)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	var adm *usecase.Admin
	return c.withCore(cfg, func(ctx context.Context) error {
		_, err := adm.ByName(ctx, usecase.Operator, name)
		switch {
		case err == nil:
			return explain(domain.ErrUsernameTaken, "create user", name)
		case !errors.Is(err, domain.ErrNotFound):
			return explain(err, "create user", name)
		}
		password, err := readPassword()
		if err != nil {
			return err
		}
		u, err := adm.Create(ctx, usecase.Operator, name, password, role, cliClient)
		if err != nil {
			return explain(err, "create user", name)
		}
		fmt.Fprintf(c.stdout, "created %s %s\n", role, u.Username)
		return nil
	}, fx.Populate(&adm))
}

// userPasswd runs "gatehouse user passwd".
func userPasswd(c *cli, args []string) error {
	cl := c.command("user passwd", "NAME [--password-stdin]", `
Sets the password of the account NAME and ends its sessions. The password
is typed twice at a prompt that does not echo, or read as one line from
standard input with --password-stdin. The password policy applies.`)
	fromStdin := cl.fs.Bool("password-stdin", false, passwordFlagUsage)
	pos, err := cl.parse(args, 1)
	if err != nil {
		return err
	}
	readPassword, err := c.passwordReader(*fromStdin)
	if err != nil {
		return err
	}
	return c.onUser(pos[0], "set the password of", func(ctx context.Context, adm *usecase.Admin, u domain.User) error {
		password, err := readPassword()
		if err != nil {
			return err
		}
		if err := adm.SetPassword(ctx, usecase.Operator, u.ID, password, cliClient); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "set the password of %s and ended its sessions\n", u.Username)
		return nil
	})
}

// onUser starts the core, finds the account name and calls act with it.
// The errors of both are explained as failures to action name.
func (c *cli) onUser(name, action string, act func(ctx context.Context, adm *usecase.Admin, u domain.User) error) error {
	return c.onUserWith(name, action, act)
}

// onUserWith is onUser with more fx options, to populate what act needs
// besides the Admin.
func (c *cli) onUserWith(name, action string, act func(ctx context.Context, adm *usecase.Admin, u domain.User) error, extra ...fx.Option) error {
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	var adm *usecase.Admin
	return c.withCore(cfg, func(ctx context.Context) error {
		u, err := adm.ByName(ctx, usecase.Operator, name)
		if err == nil {
			err = act(ctx, adm, u)
		}
		var ue *usageError
		if errors.As(err, &ue) {
			return err
		}
		return explain(err, action, name)
	}, append([]fx.Option{fx.Populate(&adm)}, extra...)...)
}

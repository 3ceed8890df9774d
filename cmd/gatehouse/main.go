// Command gatehouse is the login service. With no arguments, or "serve",
// it serves HTTP until SIGINT or SIGTERM; its other commands manage
// accounts, migrate the database, calibrate password hashing and import
// the Flask app's users. Settings come from the environment (see
// README.md).
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2 // bad command line or configuration
)

// command is one thing gatehouse does. A name of two words is a
// subcommand of a group ("user create").
type command struct {
	name     string
	synopsis string // the arguments, for the list of commands
	summary  string
	run      func(c *cli, args []string) error
}

// commands lists every command, in the order the usage shows them.
var commands = []command{
	{"serve", "", "serve HTTP (the default)", serveCommand},
	{"user create", "NAME", "create an account", userCreate},
	{"user passwd", "NAME", "set an account's password", userPasswd},
	{"user list", "", "list accounts", userList},
	{"user disable", "NAME", "stop an account from logging in", userDisable},
	{"user enable", "NAME", "let a disabled account log in again", userEnable},
	{"user role", "NAME admin|user", "make an account an admin or a user", userRole},
	{"user delete", "NAME", "delete an account", userDelete},
	{"user email", "NAME ADDRESS [--verified]", "give an account an email address", userEmail},
	{"user 2fa-reset", "NAME", "remove an account's second factor and end its sessions", user2FAReset},
	{"user identities", "NAME", "list the identity providers linked to an account", userIdentities},
	{"user unlink", "NAME PROVIDER", "unlink an account's identity of a provider", userUnlink},
	{"sessions revoke", "NAME", "end every session of an account", sessionsRevoke},
	{"mail test", "ADDRESS", "send a test message through MAIL_URL and say what happened", mailTest},
	{"mail queue", "", "list the outbox's pending and failed messages", mailQueue},
	{"migrate", "", "apply pending database migrations", migrateCommand},
	{"hash calibrate", "", "measure argon2id here and suggest ARGON2_* settings", hashCalibrate},
	{"import-flask", "PATH", "import the accounts of the Flask app's users.db", importFlask},
}

const usageHead = `Usage: gatehouse [COMMAND [ARGUMENTS]]

Runs the gatehouse login service, or one of its commands on the service's
database. Settings come from environment variables (PORT, DATABASE_URL,
SECRET_KEY, COOKIE_SECURE, SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT,
REMEMBER_ME_DURATION, LAST_VISIT_MAX_AGE, ARGON2_MEMORY_KIB, ARGON2_TIME,
ARGON2_THREADS, ...); README.md lists them.
`

func main() {
	os.Exit(run(os.Args[1:], os.LookupEnv, os.Stdin, os.Stdout, os.Stderr))
}

// run runs the command line args with the environment lookup and the
// given streams, and returns the exit code.
func run(args []string, lookup func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{lookup: lookup, stdin: stdin, stdout: stdout, stderr: stderr}
	return c.exit(c.dispatch(args))
}

// dispatch finds the command args name and runs it with the rest.
func (c *cli) dispatch(args []string) error {
	if len(args) == 0 {
		return serveCommand(c, nil)
	}
	if isHelp(args[0]) {
		fmt.Fprint(c.stdout, usage(""))
		return errHelpShown
	}
	var group bool
	for _, cmd := range commands {
		first, second, sub := strings.Cut(cmd.name, " ")
		if first != args[0] {
			continue
		}
		if !sub {
			return cmd.run(c, args[1:])
		}
		group = true
		if len(args) > 1 && args[1] == second {
			return cmd.run(c, args[2:])
		}
	}
	switch {
	case !group:
		return &usageError{msg: fmt.Sprintf("unknown command %q", args[0]), usage: usage("")}
	case len(args) == 1:
		return &usageError{msg: fmt.Sprintf("%s: missing command", args[0]), usage: usage(args[0])}
	case isHelp(args[1]):
		fmt.Fprint(c.stdout, usage(args[0]))
		return errHelpShown
	}
	return &usageError{msg: fmt.Sprintf("unknown command %q", args[0]+" "+args[1]), usage: usage(args[0])}
}

// usage lists the commands of group, or every command when group is "".
func usage(group string) string {
	var b strings.Builder
	if group == "" {
		b.WriteString(usageHead)
	} else {
		fmt.Fprintf(&b, "Usage: gatehouse %s COMMAND [ARGUMENTS]\n", group)
	}
	b.WriteString("\nCommands:\n")
	for _, cmd := range commands {
		if group != "" && !strings.HasPrefix(cmd.name, group+" ") {
			continue
		}
		fmt.Fprintf(&b, "  %-32s %s\n", strings.TrimSpace(cmd.name+" "+cmd.synopsis), cmd.summary)
	}
	b.WriteString("\nRun \"gatehouse COMMAND --help\" for the details of a command.\n")
	return b.String()
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

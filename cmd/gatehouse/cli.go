package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// cli is what every command gets: the environment and the three streams,
// so tests run commands without a terminal or a process.
type cli struct {
	lookup func(string) (string, bool)
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// usageError is a bad command line: run prints it with the command's
// usage and exits with exitUsage.
type usageError struct {
	msg   string
	usage string // may be empty: a bad setting has no usage to show
}

func (e *usageError) Error() string { return e.msg }

// errHelpShown reports that --help printed a command's usage: there is
// nothing more to do, and nothing failed.
var errHelpShown = errors.New("gatehouse: help shown")

// exit prints err, if any, and returns the process exit code for it.
func (c *cli) exit(err error) int {
	var ue *usageError
	switch {
	case err == nil || errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(c.stderr, "gatehouse: %s\n", ue.msg)
		if ue.usage != "" {
			fmt.Fprintf(c.stderr, "\n%s", ue.usage)
		}
		return exitUsage
	default:
		fmt.Fprintf(c.stderr, "gatehouse: %s\n", err)
		return exitFailed
	}
}

// commandLine is one command's flags and help text.
type commandLine struct {
	fs    *flag.FlagSet
	name  string // "user create"
	args  string // "NAME [--admin] [--password-stdin]"
	about string
	out   io.Writer // where --help prints
}

// command starts the command line of the command name, taking args
// (its synopsis after the name) and explained by about. The caller
// defines its flags on the returned FlagSet and then calls parse.
func (c *cli) command(name, args, about string) *commandLine {
	fs := flag.NewFlagSet("gatehouse "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &commandLine{fs: fs, name: name, args: args, about: about, out: c.stdout}
}

// usage is the command's help text: synopsis, explanation and flags.
func (cl *commandLine) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: gatehouse %s\n\n%s\n", strings.TrimSpace(cl.name+" "+cl.args), strings.TrimSpace(cl.about))
	first := true
	cl.fs.VisitAll(func(f *flag.Flag) {
		if first {
			b.WriteString("\nFlags:\n")
			first = false
		}
		kind, text := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if kind != "" {
			left += " " + kind
		}
		fmt.Fprintf(&b, "  %-22s %s", left, text)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(&b, " (default %s)", f.DefValue)
		}
		b.WriteString("\n")
	})
	return b.String()
}

// parse reads args, where flags may come before, between or after the
// positional arguments ("--" ends the flags), and returns the positional
// ones, of which there must be exactly want. --help prints the usage and
// returns errHelpShown.
func (cl *commandLine) parse(args []string, want int) ([]string, error) {
	var positional []string
	for {
		err := cl.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(cl.out, cl.usage())
			return nil, errHelpShown
		}
		if err != nil {
			return nil, cl.fail("%s: %v", cl.name, err)
		}
		rest := cl.fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	switch {
	case len(positional) < want:
		return nil, cl.fail("%s: missing argument: %s", cl.name, cl.args)
	case len(positional) > want:
		return nil, cl.fail("%s: unexpected argument %q", cl.name, positional[want])
	}
	return positional, nil
}

// fail returns a usage error that shows this command's usage.
func (cl *commandLine) fail(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...), usage: cl.usage()}
}

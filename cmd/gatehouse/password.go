package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// maxPasswordLine bounds what --password-stdin reads; the policy allows
// far less.
const maxPasswordLine = 64 << 10

// passwordReader checks, before any work is done, that a new password
// can be read, and returns the function that reads it: the first line of
// standard input when fromStdin, else the password typed twice at a
// prompt that does not echo.
func (c *cli) passwordReader(fromStdin bool) (func() (string, error), error) {
	if fromStdin {
		return func() (string, error) { return readLine(c.stdin) }, nil
	}
	f, ok := c.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, &usageError{msg: "standard input is not a terminal: pass --password-stdin to read the password from it"}
	}
	return func() (string, error) { return c.promptTwice(f) }, nil
}

// promptTwice asks for the new password twice on the terminal f.
func (c *cli) promptTwice(f *os.File) (string, error) {
	first, err := c.prompt(f, "New password: ")
	if err != nil {
		return "", err
	}
	second, err := c.prompt(f, "Repeat the new password: ")
	if err != nil {
		return "", err
	}
	if first != second {
		return "", errors.New("the two passwords differ; nothing changed")
	}
	return first, nil
}

// readLine returns the first line of r without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, maxPasswordLine)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	if line == "" {
		return "", errors.New("read the password from standard input: it is empty")
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

// prompt asks for a password on the terminal f without echoing it. An
// interrupt while it waits restores the terminal before the process ends,
// so the shell does not stay silent.
func (c *cli) prompt(f *os.File, label string) (string, error) {
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	defer func() {
		signal.Stop(sig)
		close(done)
	}()
	go func() {
		select {
		case <-sig:
			_ = term.Restore(fd, state)
			fmt.Fprintln(c.stderr)
			os.Exit(130)
		case <-done:
		}
	}()
	fmt.Fprint(c.stderr, label)
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return string(pw), nil
}

// Command gen writes passwords.txt from the password list of the npm package
// @zxcvbn-ts/language-common (src/passwords.json, a JSON array of strings).
// Each password is folded as the List folds what users type; empty results,
// passwords spanning lines and duplicates are dropped, and the rest are
// written sorted bytewise, one a line.
//
// Usage:
//
//	go run ./internal/gen [-o passwords.txt] path/to/passwords.json
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/adapter/commonpasswords/internal/fold"
)

func main() {
	out := flag.String("o", "passwords.txt", "file to write")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: gen [-o passwords.txt] path/to/passwords.json")
		fmt.Fprintln(flag.CommandLine.Output(), "(through go generate, set PASSWORDS_JSON to the path)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || flag.Arg(0) == "" {
		flag.Usage()
		os.Exit(2)
	}
	st, err := run(flag.Arg(0), *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gen: wrote %d passwords to %s from %d (dropped %d empty, %d multi-line, %d duplicates)\n",
		st.kept, *out, st.read, st.empty, st.multiLine, st.duplicates)
}

// stats counts what build did with its input.
type stats struct {
	read, kept, empty, multiLine, duplicates int
}

// run reads the JSON list at in and writes the folded list to out.
func run(in, out string) (stats, error) {
	src, err := os.Open(in)
	if err != nil {
		return stats{}, fmt.Errorf("gen: %w", err)
	}
	defer src.Close()
	list, st, err := build(src)
	if err != nil {
		return stats{}, fmt.Errorf("gen: read %s: %w", in, err)
	}
	if err := write(out, list); err != nil {
		return stats{}, fmt.Errorf("gen: write %s: %w", out, err)
	}
	return st, nil
}

// build decodes a JSON array of strings and returns the folded passwords,
// sorted bytewise and without empties, duplicates or line breaks.
func build(r io.Reader) ([]string, stats, error) {
	var raw []string
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, stats{}, err
	}
	st := stats{read: len(raw)}
	list := make([]string, 0, len(raw))
	for _, p := range raw {
		f := fold.String(p)
		switch {
		case f == "":
			st.empty++
		case strings.ContainsAny(f, "\r\n"):
			st.multiLine++
		default:
			list = append(list, f)
		}
	}
	slices.Sort(list)
	n := len(list)
	list = slices.Compact(list)
	st.duplicates = n - len(list)
	st.kept = len(list)
	return list, st, nil
}

// write stores list at path, one entry a line, replacing the file only once
// it is complete.
func write(path string, list []string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".passwords-*.txt")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	for _, p := range list {
		w.WriteString(p)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

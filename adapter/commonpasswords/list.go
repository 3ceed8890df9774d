package commonpasswords

import (
	_ "embed"
	"slices"
	"strings"
	"sync"

	"github.com/gatehouse/gatehouse/adapter/commonpasswords/internal/fold"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

//go:embed passwords.txt
var passwords string

var _ usecase.PasswordBlocklist = (*List)(nil)

// List answers whether a password is a common one. It is safe for
// concurrent use; the zero value is ready to use. The first call to
// Contains or Len indexes the embedded list, about 800 KB of string headers
// pointing into it and a millisecond of work; until then a List costs
// nothing.
type List struct {
	once    sync.Once
	entries []string // sorted; each entry is a slice of passwords
}

// New returns a List of the embedded common passwords. Share one List:
// each indexes the embedded text on its own.
func New() *List {
	return &List{}
}

// Contains reports whether p, NFKC-normalized and case-folded, is on the
// list.
func (l *List) Contains(p domain.Password) bool {
	_, found := slices.BinarySearch(l.index(), fold.String(p.Reveal()))
	return found
}

// Len returns the number of passwords on the list.
func (l *List) Len() int {
	return len(l.index())
}

func (l *List) index() []string {
	l.once.Do(func() {
		l.entries = split(passwords)
	})
	return l.entries
}

// split cuts text into its lines without copying them. It sorts them only
// if the file on disk was not sorted, since binary search would otherwise
// miss entries.
func split(text string) []string {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if !slices.IsSorted(lines) {
		slices.Sort(lines)
	}
	return lines
}

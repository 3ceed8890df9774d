package sqlstore

import (
	"database/sql"

	"github.com/gatehouse/gatehouse/domain"
)

// affectedOne checks the outcome of an UPDATE or DELETE by primary key:
// it translates err, and reports domain.ErrNotFound when no row matched.
func affectedOne(res sql.Result, err error) error {
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// affected returns how many rows the UPDATE or DELETE that returned res
// and err changed; err comes back untranslated.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

package database

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
)

// groupOther are the permission bits of the group and of others.
const groupOther fs.FileMode = 0o077

// fileMode is the mode of a SQLite database file that gatehouse creates:
// it holds password hashes, client addresses and User-Agents, so only the
// owner may read it. SQLite gives the -wal and -shm files it creates
// beside it the database file's own mode, whatever the umask.
const fileMode fs.FileMode = 0o600

// sqliteCompanions are the files SQLite keeps beside a database file:
// the write-ahead log, its shared-memory index, and the rollback journal
// of a database not (yet) in WAL mode.
var sqliteCompanions = []string{"", "-wal", "-shm", "-journal"}

// prepareSQLiteFile makes the database file at path readable by its owner
// only before SQLite opens it. A missing file is created empty with
// fileMode (SQLite takes an empty file for a new database; left to
// SQLite, it would be created 0644 less the umask). An existing file, or
// a -wal, -shm or -journal beside it, that group or others may read or
// write loses those bits, with a warning on log: the server's own files
// need no other reader, and one that was readable by others is exposed
// already, which the operator should know. A file that cannot be changed
// (another owner's) is warned about and left as it is: refusing to start
// would not make it any less exposed.
func prepareSQLiteFile(path string, log *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	switch {
	case err == nil:
		// The umask can only have taken bits away from 0600.
		return f.Close()
	case !errors.Is(err, fs.ErrExist):
		return err
	}
	for _, suffix := range sqliteCompanions {
		name := path + suffix
		info, err := os.Stat(name)
		if err != nil || info.Mode().Perm()&groupOther == 0 || !info.Mode().IsRegular() {
			continue
		}
		was := info.Mode().Perm()
		if err := os.Chmod(name, was&^groupOther); err != nil {
			log.Warn("database: the SQLite file is readable by others and its mode cannot be tightened; make it 0600",
				"file", name, "mode", fmt.Sprintf("%#o", was), "error", err)
			continue
		}
		log.Warn("database: the SQLite file was readable by others; made it readable by its owner only",
			"file", name, "was", fmt.Sprintf("%#o", was), "now", fmt.Sprintf("%#o", was&^groupOther))
	}
	return nil
}

package models

import (
	"context"

	"gorm.io/gorm"
)

// ReadPublicSnapshot calls fn with the current public state and a walk over the approved
// signatories (as EachPublicSignatory) as they were in that state: both are read in one read
// transaction, on one connection, so a change committed meanwhile is in neither. It takes no
// write lock: with WAL, writers carry on while the snapshot is read.
func (s *Store) ReadPublicSnapshot(ctx context.Context, fn func(st PublicState, each func(func(*PublicSignatory) error) error) error) error {
	return s.DB.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		// A read-only transaction that sees one state of the database and takes no write lock.
		if err := conn.Exec(s.dialect.beginSnapshot()).Error; err != nil {
			return err
		}
		// Nothing was written; the rollback runs even when ctx is done, so that the connection
		// goes back to the pool out of the transaction.
		defer conn.WithContext(context.WithoutCancel(ctx)).Exec("ROLLBACK")
		var st PublicState
		if err := conn.Raw("SELECT version, epoch FROM public_state WHERE id = 1").Scan(&st).Error; err != nil {
			return err
		}
		return fn(st, func(each func(*PublicSignatory) error) error { return eachPublicSignatory(conn, each) })
	})
}

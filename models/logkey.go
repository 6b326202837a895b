package models

import (
	"context"
	"fmt"
)

// logVerifierSecret names the row of the secrets table holding the public log's verifier key.
const logVerifierSecret = "log_verifier_key"

// LogKeyMismatchError is CheckLogKey's refusal: the database's log is signed with another key.
type LogKeyMismatchError struct {
	Recorded, Given string // verifier keys
}

func (e *LogKeyMismatchError) Error() string {
	return fmt.Sprintf("this database's public log is signed with the key whose verifier is %s, not %s", e.Recorded, e.Given)
}

// CheckLogKey records verifier as the public log's verifier key the first time it is called, and
// from then on refuses another with a LogKeyMismatchError. Every instance sharing the database
// reads its own key file; one with another key would sign checkpoints no verifier accepts.
// Instances starting together agree on one key: the insert is ignored when another one won.
func (s *Store) CheckLogKey(ctx context.Context, verifier string) error {
	db := s.DB.WithContext(ctx)
	if err := db.Exec("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
		logVerifierSecret, []byte(verifier), s.Now()).Error; err != nil {
		return fmt.Errorf("record the public log's verifier key: %w", err)
	}
	var recorded []byte
	if err := db.Raw("SELECT value FROM secrets WHERE name = ?", logVerifierSecret).Row().Scan(&recorded); err != nil {
		return fmt.Errorf("read the public log's verifier key: %w", err)
	}
	if string(recorded) != verifier {
		return &LogKeyMismatchError{Recorded: string(recorded), Given: verifier}
	}
	return nil
}

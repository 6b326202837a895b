package models

import (
	"context"
	"crypto/rand"
	"fmt"
)

// Secret returns the 32-byte key called name, creating it on first use. Concurrent first uses
// agree on one key: the insert is ignored when another one won.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	db := s.DB.WithContext(ctx)
	if err := db.Exec("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
		name, fresh, s.Now()).Error; err != nil {
		return nil, fmt.Errorf("store secret %s: %w", name, err)
	}
	var key []byte
	if err := db.Raw("SELECT value FROM secrets WHERE name = ?", name).Row().Scan(&key); err != nil {
		return nil, fmt.Errorf("read secret %s: %w", name, err)
	}
	return key, nil
}

package models_test

import (
	"context"
	"testing"

	"charter/models"
	"charter/models/dbtest"
)

// A snapshot reads the public state and the signatories as of one moment: an approval committed
// while it reads is in neither, and it does not hold writers back.
func TestReadPublicSnapshotIsConsistent(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	first := dbtest.AddSignatory(t, s, models.StatusApproved, nil)
	var slugs []string
	var seen models.PublicState
	err := s.ReadPublicSnapshot(ctx, func(st models.PublicState, each func(func(*models.PublicSignatory) error) error) error {
		seen = st
		dbtest.AddSignatory(t, s, models.StatusApproved, nil) // another connection writes meanwhile
		return each(func(p *models.PublicSignatory) error {
			slugs = append(slugs, p.Slug)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(slugs) != 1 || slugs[0] != first.Slug {
		t.Errorf("snapshot lists %q, want only %s", slugs, first.Slug)
	}
	now, err := s.PublicState(ctx)
	if err != nil || now.Version <= seen.Version {
		t.Errorf("public state %+v after the write, %+v in the snapshot (%v)", now, seen, err)
	}
	var n int
	if err := s.DB.Raw("SELECT count(*) FROM signatories WHERE status = 'approved'").Scan(&n).Error; err != nil || n != 2 {
		t.Errorf("approved after the snapshot: %d (%v)", n, err)
	}
	// The connection went back to the pool out of its transaction: a write on it works.
	dbtest.AddSignatory(t, s, models.StatusApproved, nil)
}

package dbtest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"charter/models"
)

var seq atomic.Int64

// AddSignatory stores a valid signatory in the given status, with plausible defaults that edit may
// change before it is saved, and returns it. Timestamps of the status are set (an approved one
// has ApprovedAt). It writes the row directly: tests of the lifecycle itself go through the
// store's methods instead.
func AddSignatory(t testing.TB, s *models.Store, status models.Status, edit func(*models.Signatory)) *models.Signatory {
	t.Helper()
	n := seq.Add(1)
	now := s.Now()
	sig := &models.Signatory{
		Name:           fmt.Sprintf("Test Organisation %d", n),
		Category:       models.CategoryCivilSociety,
		Country:        "FR",
		Website:        fmt.Sprintf("https://org%d.example.org", n),
		WebsiteDomain:  "example.org",
		ContactName:    "Alex Martin",
		ContactRole:    "Director",
		ContactEmail:   fmt.Sprintf("contact%d@example.org", n),
		Status:         status,
		CharterVersion: "test",
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	at := func() *time.Time { v := now; return &v }
	if status != models.StatusSubmitted {
		sig.ConfirmedAt = at()
	}
	switch status {
	case models.StatusApproved:
		sig.ApprovedAt = at()
	case models.StatusRejected:
		sig.RejectedAt = at()
	case models.StatusWithdrawn:
		sig.ApprovedAt, sig.WithdrawnAt = at(), at()
	case models.StatusRevoked:
		sig.ApprovedAt, sig.RevokedAt = at(), at()
	}
	if edit != nil {
		edit(sig)
	}
	if sig.NameKey == "" {
		sig.NameKey = models.NameKey(sig.Name)
	}
	if sig.NameSkeleton == "" {
		sig.NameSkeleton = models.NameSkeleton(sig.Name)
	}
	if sig.Slug == "" {
		sig.Slug = fmt.Sprintf("%s-%d", models.Slugify(sig.Name), n)
	}
	if err := s.DB.Create(sig).Error; err != nil {
		t.Fatalf("add signatory: %v", err)
	}
	return sig
}

package models

import (
	"cmp"
	"slices"
	"time"

	"gorm.io/gorm"

	"charter/publiclog"
)

// backfillPublicLog is the Go part of migration 0011: it starts the public log with the public
// events of the signatories that were already public, as their timestamps tell them: each
// approval, then each withdrawal or revocation, in the order they happened (by time, then
// signatory). Each entry names the signatory as it is now; corrections made before the log
// existed are not known, and are not invented.
func backfillPublicLog(tx *gorm.DB) error {
	type event struct {
		ID    int64
		At    time.Time
		Event publiclog.Event
	}
	var events []event
	for _, q := range []struct {
		column string
		event  publiclog.Event
		status StatusSet
	}{
		{"approved_at", publiclog.EventApproved, PublicPageStatuses},
		{"withdrawn_at", publiclog.EventWithdrawn, StatusSet{StatusWithdrawn}},
		{"revoked_at", publiclog.EventRevoked, StatusSet{StatusRevoked}},
	} {
		var rows []Signatory
		err := tx.Select("id", q.column).Where("status IN ? AND "+q.column+" IS NOT NULL", q.status).Find(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			at := r.ApprovedAt
			switch q.event {
			case publiclog.EventWithdrawn:
				at = r.WithdrawnAt
			case publiclog.EventRevoked:
				at = r.RevokedAt
			}
			events = append(events, event{r.ID, *at, q.event})
		}
	}
	order := map[publiclog.Event]int{publiclog.EventApproved: 0, publiclog.EventWithdrawn: 1, publiclog.EventRevoked: 1}
	slices.SortStableFunc(events, func(a, b event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID), cmp.Compare(order[a.Event], order[b.Event]))
	})
	for _, e := range events {
		if err := appendSignatoryLog(tx, e.At, e.ID, e.Event); err != nil {
			return err
		}
	}
	return nil
}

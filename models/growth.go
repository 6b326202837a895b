package models

import (
	"context"
	"database/sql"
	"time"
)

// MaxGrowthMonths bounds the months the growth chart shows; approvals older than its first month
// are counted in that month.
const MaxGrowthMonths = 240

// GrowthMonth is how many signatories stood at the end of one month: of today's approved
// signatories, those approved by then (a withdrawn or revoked one leaves the whole history, so
// that the last month equals today's total).
type GrowthMonth struct {
	Month      time.Time // the first instant of the month, UTC
	ByCategory []int64   // cumulative, one per Categories, in that order
	Total      int64     // cumulative
}

// Growth returns the cumulative number of approved signatories at the end of each month, in all
// and by category, from the month of the first approval to the month of now (UTC). It is empty
// while nobody has been approved.
//
// Months are computed here, not in SQL, and each query counts one category in one month through
// the (status, category, approved_at) index: the work grows with the number of signatories read
// once, plus one short query per category and month.
func (s *Store) Growth(ctx context.Context, now time.Time) ([]GrowthMonth, error) {
	db := s.DB.WithContext(ctx)
	var first sql.NullTime
	err := db.Raw("SELECT approved_at FROM signatories WHERE status = ? ORDER BY approved_at LIMIT 1",
		StatusApproved).Row().Scan(&first)
	if err == sql.ErrNoRows || err == nil && !first.Valid {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	start, end := monthOf(first.Time), monthOf(now)
	if end.Before(start) {
		end = start // an approval stamped in the future: the chart ends with it
	}
	months := make([]time.Time, 0, 16)
	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		months = append(months, m)
	}
	if len(months) > MaxGrowthMonths {
		months = months[len(months)-MaxGrowthMonths:]
	}

	out := make([]GrowthMonth, len(months))
	for i, m := range months {
		out[i] = GrowthMonth{Month: m, ByCategory: make([]int64, len(Categories))}
	}
	for c, cat := range Categories {
		var running int64
		for i, m := range months {
			// The first month also counts everything before it, the last everything after:
			// together the months count every approved signatory exactly once.
			q := db.Table("signatories").Where("status = ? AND category = ?", StatusApproved, string(cat))
			if i > 0 {
				q = q.Where("approved_at >= ?", m)
			}
			if i < len(months)-1 {
				q = q.Where("approved_at < ?", months[i+1])
			}
			var n int64
			if err := q.Count(&n).Error; err != nil {
				return nil, err
			}
			running += n
			out[i].ByCategory[c] = running
			out[i].Total += running
		}
	}
	return out, nil
}

// monthOf is the first instant of t's month, in UTC.
func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

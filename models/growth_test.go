package models_test

import (
	"context"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// The growth is cumulative by month, from the month of the first approval to the current month,
// counts only those that still stand, and ends with the total of the figures.
func TestGrowth(t *testing.T) {
	ctx := context.Background()
	clock := dbtest.NewClock(time.Date(2026, 4, 10, 12, 0, 0, 0, time.UTC))
	s := dbtest.New(t, clock.Now)
	if g, err := s.Growth(ctx, clock.Now()); err != nil || len(g) != 0 {
		t.Fatalf("no approval yet: %v, %v", g, err)
	}
	approved := func(at time.Time, cat models.Category, status models.Status) {
		dbtest.AddSignatory(t, s, status, func(x *models.Signatory) { x.ApprovedAt, x.Category = &at, cat })
	}
	approved(time.Date(2026, 1, 31, 23, 59, 59, 999e6, time.UTC), models.CategoryBusiness, models.StatusApproved)
	approved(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), models.CategoryBusiness, models.StatusApproved)
	approved(time.Date(2026, 2, 14, 0, 0, 0, 0, time.UTC), models.CategoryGovernment, models.StatusApproved)
	approved(time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC), models.CategoryGovernment, models.StatusWithdrawn)
	approved(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), models.CategoryAcademia, models.StatusApproved)
	dbtest.AddSignatory(t, s, models.StatusPending, nil)

	g, err := s.Growth(ctx, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{1, 3, 3, 4} // January to April
	if len(g) != len(want) {
		t.Fatalf("%d months, want %d: %+v", len(g), len(want), g)
	}
	for i, w := range want {
		if m := time.Date(2026, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC); !g[i].Month.Equal(m) || g[i].Total != w {
			t.Errorf("month %d: %s %d, want %s %d", i, g[i].Month, g[i].Total, m, w)
		}
		var sum int64
		for _, n := range g[i].ByCategory {
			sum += n
		}
		if sum != g[i].Total {
			t.Errorf("month %d: categories add up to %d, total %d", i, sum, g[i].Total)
		}
	}
	f, _ := s.Figures(ctx)
	last := g[len(g)-1]
	if last.Total != f.Total() {
		t.Errorf("last month %d, figures %d", last.Total, f.Total())
	}
	for i, c := range f.ByCategory {
		if last.ByCategory[i] != c.Count {
			t.Errorf("%s: last month %d, figures %d", c.Category, last.ByCategory[i], c.Count)
		}
	}

	// A long history keeps the last MaxGrowthMonths months, the first counting all before it.
	approved(time.Date(1990, 6, 1, 0, 0, 0, 0, time.UTC), models.CategoryBusiness, models.StatusApproved)
	g, _ = s.Growth(ctx, clock.Now())
	if len(g) != models.MaxGrowthMonths || g[0].Total != 1 || g[len(g)-1].Total != 5 {
		t.Errorf("long history: %d months, first %d, last %d", len(g), g[0].Total, g[len(g)-1].Total)
	}
}

package models_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// found returns the ids the search index finds for the words of match, each a prefix.
func found(t *testing.T, s *models.Store, match string) []int64 {
	t.Helper()
	ids, err := s.SearchIDs(strings.Fields(match))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// The word index, the counts and the public state are kept by triggers, whoever writes.
func TestDirectoryTriggers(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	state := func() int64 {
		st, err := s.PublicState(ctx)
		if err != nil || st.Epoch == "" {
			t.Fatalf("public state %+v, %v", st, err)
		}
		return st.Version
	}
	v0 := state()
	pending := dbtest.AddSignatory(t, s, models.StatusPending, func(x *models.Signatory) { x.Name = "Фонд «Дети онлайн» – École" })
	for _, match := range []string{"ecole", "дети", "онлаин", "фонд", "он фо"} {
		if got := found(t, s, match); len(got) != 1 || got[0] != pending.ID {
			t.Errorf("MATCH %q found %v", match, got)
		}
	}
	if state() != v0 {
		t.Error("a pending application is not public: the public state must not change")
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := s.DB.Exec(sql, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec("UPDATE signatories SET status = 'approved', approved_at = updated_at WHERE id = ?", pending.ID)
	v1 := state()
	if v1 == v0 {
		t.Error("an approval must change the public state")
	}
	exec("UPDATE signatories SET name = 'Renamed', name_key = 'renamed  twice' WHERE id = ?", pending.ID)
	if got := found(t, s, "renamed twice"); len(got) != 1 {
		t.Errorf("renamed: found %v", got)
	}
	if got := found(t, s, "фонд"); len(got) != 0 {
		t.Errorf("the old name is still found: %v", got)
	}
	if state() == v1 {
		t.Error("renaming a public signatory must change the public state")
	}

	dbtest.AddSignatory(t, s, models.StatusApproved, func(x *models.Signatory) { x.Country = "DE" })
	dbtest.AddSignatory(t, s, models.StatusApproved, func(x *models.Signatory) { x.Category = models.CategoryBusiness })
	f, err := s.Figures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.Total() != 3 || len(f.Countries) != 2 {
		t.Errorf("figures: total %d, countries %v", f.Total(), f.Countries)
	}
	exec("UPDATE signatories SET country = 'JP' WHERE id = ?", pending.ID)
	exec("UPDATE signatories SET status = 'withdrawn' WHERE category = 'business'")
	f, _ = s.Figures(ctx)
	var countries []string
	for _, c := range f.Countries {
		countries = append(countries, c.Country)
	}
	sort.Strings(countries)
	if f.Total() != 2 || strings.Join(countries, ",") != "DE,JP" {
		t.Errorf("after moves: total %d, countries %v", f.Total(), countries)
	}
	exec("DELETE FROM signatories WHERE id = ?", pending.ID)
	if got := found(t, s, "renamed"); len(got) != 0 {
		t.Errorf("a deleted signatory is still found: %v", got)
	}
	f, _ = s.Figures(ctx)
	if f.Total() != 1 || len(f.Countries) != 1 {
		t.Errorf("after delete: total %d, countries %v", f.Total(), f.Countries)
	}
	// The counts agree with a full count.
	var want int64
	s.DB.Raw("SELECT COUNT(*) FROM signatories WHERE status = 'approved'").Scan(&want)
	if f.Total() != want {
		t.Errorf("counts say %d, the table %d", f.Total(), want)
	}
}

func TestListDirectoryBoundsSearchCounts(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	if err := s.Seed(ctx, 300, models.SeedOptions{Seed: 1, CharterVersion: "v"}); err != nil {
		t.Fatal(err)
	}
	all, err := s.ListDirectory(ctx, models.DirectoryQuery{Sort: models.SortNewest, Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != 300 || all.TotalCapped || len(all.Items) != models.DirectoryPageSize || !all.HasNext {
		t.Errorf("all: total %d capped %v items %d next %v", all.Total, all.TotalCapped, len(all.Items), all.HasNext)
	}
	// A search by the first word of some name finds it, with an exact count.
	w := models.SearchWords(all.Items[0].Name)[0]
	found, err := s.ListDirectory(ctx, models.DirectoryQuery{Q: w, Words: []string{w}, Sort: models.SortName, Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	if found.Total == 0 || found.TotalCapped || len(found.Items) == 0 {
		t.Fatalf("search %q: %+v", w, found)
	}
	var sum int64
	for _, c := range found.ByCategory {
		sum += c.Count
	}
	if sum != found.Total {
		t.Errorf("category counts add up to %d, total %d", sum, found.Total)
	}
	for i := 1; i < len(found.Items); i++ {
		if models.NameKey(found.Items[i-1].Name) > models.NameKey(found.Items[i].Name) {
			t.Errorf("not in name order: %q before %q", found.Items[i-1].Name, found.Items[i].Name)
		}
	}
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	if err := s.Seed(ctx, 2000, models.SeedOptions{Seed: 7, CharterVersion: "abc"}); err != nil {
		t.Fatal(err)
	}
	var n, approved, categories, countries int64
	s.DB.Raw("SELECT COUNT(*) FROM signatories").Scan(&n)
	s.DB.Raw("SELECT COUNT(*) FROM signatories WHERE status = 'approved' AND contact_email LIKE '%@seed.invalid' AND charter_version = 'abc'").Scan(&approved)
	s.DB.Raw("SELECT COUNT(DISTINCT category) FROM signatories").Scan(&categories)
	s.DB.Raw("SELECT COUNT(DISTINCT country) FROM signatories").Scan(&countries)
	if n != 2000 || approved != 2000 || categories != int64(len(models.Categories)) || countries < 40 {
		t.Errorf("seeded %d rows, %d approved demo rows, %d categories, %d countries", n, approved, categories, countries)
	}
	// As with the real charter, schools and kindergartens are the largest group, Russian ones among them.
	var schools, russianSchools int64
	s.DB.Raw("SELECT COUNT(*) FROM signatories WHERE category = 'education'").Scan(&schools)
	s.DB.Raw("SELECT COUNT(*) FROM signatories WHERE category = 'education' AND (name LIKE '%Школа%' OR name LIKE '%Детский сад%')").Scan(&russianSchools)
	if schools < n/3 || russianSchools == 0 {
		t.Errorf("%d of %d are in education, %d of them Russian schools and kindergartens", schools, n, russianSchools)
	}
	var names []string
	s.DB.Raw("SELECT name FROM signatories").Scan(&names)
	scripts := map[string]bool{}
	for _, name := range names {
		for _, r := range name {
			switch {
			case r >= 0xC0 && r <= 0x24F:
				scripts["latin accents"] = true
			case r >= 0x400 && r <= 0x4FF:
				scripts["cyrillic"] = true
			case r >= 0x370 && r <= 0x3FF:
				scripts["greek"] = true
			case r >= 0x4E00 && r <= 0x9FFF:
				scripts["cjk"] = true
			case r >= 0x600 && r <= 0x6FF:
				scripts["arabic"] = true
			}
		}
	}
	if len(scripts) != 5 {
		t.Errorf("scripts seen: %v", scripts)
	}
	var first, last models.Signatory
	s.DB.Order("approved_at").Take(&first)
	s.DB.Order("approved_at DESC").Take(&last)
	if spread := last.ApprovedAt.Sub(*first.ApprovedAt); spread < 365*24*time.Hour {
		t.Errorf("approval dates spread over %.0f days", spread.Hours()/24)
	}
	f, _ := s.Figures(ctx)
	if f.Total() != 2000 {
		t.Errorf("counts say %d", f.Total())
	}
	// Seeding again adds to the demo rows.
	if err := s.Seed(ctx, 10, models.SeedOptions{}); err != nil {
		t.Errorf("seeding a demo database again: %v", err)
	}
}

func TestSeedRefusesRealSignatories(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	dbtest.AddSignatory(t, s, models.StatusPending, nil)
	err := s.Seed(ctx, 10, models.SeedOptions{})
	if !errors.Is(err, models.ErrRealSignatories) {
		t.Fatalf("seed over a real signatory: err = %v", err)
	}
	var n int64
	s.DB.Raw("SELECT COUNT(*) FROM signatories").Scan(&n)
	if n != 1 {
		t.Errorf("the refused seed wrote %d rows", n-1)
	}
	if err := s.Seed(ctx, 10, models.SeedOptions{Force: true}); err != nil {
		t.Errorf("seed --force: %v", err)
	}
}

// Benchmarks of the list at a seeded size: go test ./models -bench Directory -run ^$
func BenchmarkListDirectory(b *testing.B) {
	ctx := context.Background()
	s := dbtest.New(b, nil)
	if err := s.Seed(ctx, 20000, models.SeedOptions{Seed: 1}); err != nil {
		b.Fatal(err)
	}
	queries := map[string]models.DirectoryQuery{
		"newest":           {Sort: models.SortNewest, Page: 1},
		"category+country": {Category: models.CategoryBusiness, Country: "FR", Sort: models.SortNewest, Page: 1},
		"page500":          {Sort: models.SortNewest, Page: 500},
		"search-fond":      {Q: "fond", Words: []string{"fond"}, Sort: models.SortNewest, Page: 1},
		"search-cyrillic":  {Q: "фонд дет", Words: []string{"фонд", "дет"}, Sort: models.SortNewest, Page: 1},
		"search-common":    {Q: "a", Words: []string{"a"}, Sort: models.SortName, Page: 1},
	}
	for name, q := range queries {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListDirectory(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A search that matches more than DirectoryCountLimit says so instead of counting on, and still
// lists its first page in order; within a category it counts that category.
func TestListDirectoryCapsTheCount(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds more than 10,000 signatories")
	}
	ctx := context.Background()
	s := dbtest.New(t, nil)
	if err := s.Seed(ctx, models.DirectoryCountLimit+200, models.SeedOptions{Seed: 3}); err != nil {
		t.Fatal(err)
	}
	// Every name gets the word "common"; the triggers reindex them.
	if err := s.DB.Exec("UPDATE signatories SET name_key = 'common ' || name_key").Error; err != nil {
		t.Fatal(err)
	}
	q := models.DirectoryQuery{Q: "comm", Words: []string{"comm"}, Sort: models.SortNewest, Page: 1}
	page, err := s.ListDirectory(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !page.TotalCapped || page.Total != models.DirectoryCountLimit || page.ByCategory != nil || len(page.Items) != models.DirectoryPageSize {
		t.Errorf("capped search: total %d capped %v counts %v items %d", page.Total, page.TotalCapped, page.ByCategory, len(page.Items))
	}
	for i := 1; i < len(page.Items); i++ {
		if page.Items[i].ApprovedAt.After(page.Items[i-1].ApprovedAt) {
			t.Errorf("not newest first at %d", i)
		}
	}
	var inCategory int64
	s.DB.Raw("SELECT COUNT(*) FROM signatories WHERE category = 'international'").Scan(&inCategory)
	q.Category = models.CategoryInternational
	page, err = s.ListDirectory(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalCapped || page.Total != inCategory {
		t.Errorf("within a category: total %d capped %v, want %d", page.Total, page.TotalCapped, inCategory)
	}
}

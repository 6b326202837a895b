package models

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSeedPassesTheNormalizer: every name, category, country and statement the demo seed can make
// is one the public fields' normaliser accepts as it is, and the rows carry the name key and
// skeleton sign-up would compute.
func TestSeedPassesTheNormalizer(t *testing.T) {
	check := func(in PublicInput) {
		t.Helper()
		pub, errs := in.Normalize()
		if len(errs) > 0 || pub.Name != in.Name || pub.Country != in.Country || pub.Statement != in.Statement {
			t.Errorf("seed value refused or changed: %+v -> %+v %v", in, pub, errs)
		}
	}
	for _, c := range Categories {
		if !slices.Contains(seedCategories, c) {
			t.Errorf("the seed makes no %s", c)
		}
	}
	for _, st := range append(seedStatements, "") {
		check(PublicInput{Name: "Seed", Category: "academia", Country: "FR", Website: "https://example.org", Statement: st})
	}
	for _, l := range seedLanguages {
		places := append([]string(nil), l.places...)
		for _, c := range l.countries {
			places = append(places, ":"+c)
		}
		if len(l.schools) == 0 {
			t.Errorf("a seed language has no schools: %v", l.places)
		}
		for _, pattern := range l.schools {
			for _, p := range l.places {
				place, country, _ := strings.Cut(p, ":")
				for _, n := range []int{1, 150} {
					check(PublicInput{Name: l.school(pattern, n, place), Category: string(CategoryEducation), Country: country,
						Website: "https://example.org"})
				}
			}
		}
		for _, cat := range Categories {
			if _, ok := l.heads[cat]; !ok && cat != CategoryEducation {
				t.Errorf("a seed language has no names for %s", cat)
			}
		}
		for cat, heads := range l.heads {
			for _, head := range heads {
				for _, topic := range l.topics {
					for _, p := range places {
						place, country, _ := strings.Cut(p, ":")
						parts := []string{head, topic}
						if place != "" {
							parts = append(parts, place)
						}
						if l.joiner == "" {
							parts[0], parts[len(parts)-1] = parts[len(parts)-1], parts[0]
						}
						check(PublicInput{Name: strings.Join(parts, l.joiner), Category: string(cat), Country: country,
							Website: "https://example.org"})
					}
				}
			}
		}
	}

	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "charter.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, 300, SeedOptions{CharterVersion: "v1", Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var rows []Signatory
	if err := s.DB.Find(&rows).Error; err != nil || len(rows) != 300 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	for _, r := range rows {
		if r.NameKey != NameKey(r.Name) || r.NameSkeleton != NameSkeleton(r.Name) || r.NameSkeleton == "" {
			t.Errorf("seeded %q with key %q and skeleton %q", r.Name, r.NameKey, r.NameSkeleton)
		}
	}
}

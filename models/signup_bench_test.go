package models_test

import (
	"context"
	"fmt"
	"testing"

	"charter/models/dbtest"
)

// BenchmarkSubmit stores applications into a database that already holds 200,000 signatories,
// so that the duplicate checks, the slug search and the open-application lookup run against a
// realistic table.
func BenchmarkSubmit(b *testing.B) {
	s := dbtest.New(b, nil)
	err := s.DB.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
		INSERT INTO signatories (slug, name, name_key, category, country, website, website_domain,
			contact_name, contact_role, contact_email, status, charter_version, created_at, updated_at)
		SELECT 'org-' || i, 'Org ' || i, 'org ' || i, 'business', 'FR', 'https://org' || i || '.fr',
			'org' || (i % 50000) || '.fr', 'C', 'R', 'c' || i || '@org' || i || '.fr',
			CASE i % 4 WHEN 0 THEN 'approved' WHEN 1 THEN 'pending' WHEN 2 THEN 'submitted' ELSE 'rejected' END,
			'v1', datetime('now'), datetime('now') FROM n`).Error
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		app := application("Org 7", fmt.Sprintf("https://www.org%d.fr", i%50000), fmt.Sprintf("new%d@org%d.fr", i, i))
		if _, err := s.Submit(ctx, app, "v1", letters{}); err != nil {
			b.Fatal(err)
		}
	}
}

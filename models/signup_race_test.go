package models_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"charter/models"
	"charter/models/dbtest"
)

// racers is how many submissions run at once in the tests below: enough to meet between the
// read and the insert on PostgreSQL (on SQLite the write queue takes them in turn).
const racers = 8

// submitAll runs one Submit per application at once, each through its own Store on the same
// database, as instances behind a load balancer would, and returns their outcomes.
func submitAll(t *testing.T, dsn string, apps []models.Application) []models.SubmitOutcome {
	t.Helper()
	stores := make([]*models.Store, len(apps))
	for i := range apps {
		stores[i] = dbtest.Open(t, dsn, nil)
	}
	outcomes := make([]models.SubmitOutcome, len(apps))
	errs := make([]error, len(apps))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, app := range apps {
		wg.Go(func() {
			<-start
			outcomes[i], errs[i] = stores[i].Submit(context.Background(), app, "v1", letters{})
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("submission %d: %v", i, err)
		}
	}
	return outcomes
}

// TestSubmitSameEmailAtOnce: applications from one contact email arriving together on several
// instances store one application; the others mail its link again, as if they had come later.
func TestSubmitSameEmailAtOnce(t *testing.T) {
	dsn := dbtest.NewDSN(t)
	var apps []models.Application
	for i := range racers {
		apps = append(apps, application(fmt.Sprintf("Racing Org %d", i), "https://racing.example.org", "boss@racing.example.org"))
	}
	outcomes := submitAll(t, dsn, apps)
	s := dbtest.Open(t, dsn, nil)
	var n int64
	s.DB.Model(&models.Signatory{}).Where("contact_email = ?", "boss@racing.example.org").Count(&n)
	if n != 1 {
		t.Errorf("%d applications stored for one email, want 1", n)
	}
	created := 0
	for _, o := range outcomes {
		if o == models.SubmitCreated {
			created++
		}
	}
	if created != 1 {
		t.Errorf("outcomes %v: want one SubmitCreated, the others resent or limited", outcomes)
	}
}

// TestSubmitSameNameAtOnce: organisations of one name applying together each get a slug of their
// own.
func TestSubmitSameNameAtOnce(t *testing.T) {
	dsn := dbtest.NewDSN(t)
	var apps []models.Application
	for i := range racers {
		apps = append(apps, application("Same Name", "https://same.example.org", fmt.Sprintf("c%d@same.example.org", i)))
	}
	submitAll(t, dsn, apps)
	s := dbtest.Open(t, dsn, nil)
	var slugs []string
	s.DB.Model(&models.Signatory{}).Order("slug").Pluck("slug", &slugs)
	if len(slugs) != racers {
		t.Fatalf("%d applications stored, want %d: %v", len(slugs), racers, slugs)
	}
	for _, slug := range slugs {
		if !strings.HasPrefix(slug, "same-name") {
			t.Errorf("slug %q", slug)
		}
	}
}

// TestMigration0018NamesDuplicateOpenApplications: a database that holds two open applications
// of one contact is not migrated; the error names them.
func TestMigration0018NamesDuplicateOpenApplications(t *testing.T) {
	ctx := context.Background()
	s, err := models.Open(ctx, dbtest.EmptyDSN(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.MigrateUpTo(ctx, 17); err != nil {
		t.Fatal(err)
	}
	a := dbtest.AddSignatory(t, s, models.StatusSubmitted, func(sig *models.Signatory) { sig.ContactEmail = "twice@example.org" })
	b := dbtest.AddSignatory(t, s, models.StatusPending, func(sig *models.Signatory) { sig.ContactEmail = "twice@example.org" })
	dbtest.AddSignatory(t, s, models.StatusApproved, func(sig *models.Signatory) { sig.ContactEmail = "once@example.org" })
	dbtest.AddSignatory(t, s, models.StatusPending, func(sig *models.Signatory) { sig.ContactEmail = "once@example.org" })
	err = s.Migrate(ctx)
	if want := fmt.Sprintf("signatories %d, %d", a.ID, b.ID); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Migrate: %v, want an error naming %q", err, want)
	}
	s.DB.Model(&models.Signatory{}).Where("id = ?", a.ID).Update("status", models.StatusRejected)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}

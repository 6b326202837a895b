package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

func TestMailboxIgnoresCaseTagsAndGmailDots(t *testing.T) {
	for in, want := range map[string]string{
		"Victim+1@Example.org":        "victim@example.org",
		"victim+a+b@example.org":      "victim@example.org",
		"first.last@example.org":      "first.last@example.org",
		"First.Last+x@GoogleMail.com": "firstlast@gmail.com",
		"f.i.r.s.t.l.a.s.t@gmail.com": "firstlast@gmail.com",
		"not-an-address":              "not-an-address",
	} {
		if got := models.Mailbox(in); got != want {
			t.Errorf("Mailbox(%q) = %q, want %q", in, got, want)
		}
	}
}

// mailCount is how many messages are queued for addresses whose mailbox is mailbox.
func mailCount(t *testing.T, s *models.Store, mailbox string) int {
	t.Helper()
	var to []string
	if err := s.DB.Table("outbox").Pluck("to_addr", &to).Error; err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range to {
		if models.Mailbox(a) == mailbox {
			n++
		}
	}
	return n
}

func TestConcurrentSignupsMailOneMailboxAtMostThreeTimesADay(t *testing.T) {
	c := dbtest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := dbtest.New(t, c.Now)
	ctx := context.Background()
	var wg sync.WaitGroup
	outcomes := make(chan models.SubmitOutcome, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			app := application(fmt.Sprintf("Org %d", i), fmt.Sprintf("https://org%d.org", i),
				fmt.Sprintf("victim+%d@example.org", i))
			o, err := s.Submit(ctx, app, "v1", letters{})
			if err != nil {
				t.Error(err)
			}
			outcomes <- o
		}()
	}
	wg.Wait()
	close(outcomes)
	limited := 0
	for o := range outcomes {
		if o == models.SubmitMailLimited {
			limited++
		}
	}
	if n := mailCount(t, s, "victim@example.org"); n != 3 || limited != 37 {
		t.Fatalf("40 concurrent sign-ups to victim+N@: %d mails queued (%d refused by the limit), want 3 (37)", n, limited)
	}
	var stored int64
	s.DB.Model(&models.Signatory{}).Where("status = ?", models.StatusSubmitted).Count(&stored)
	if stored != 40 {
		t.Errorf("%d applications stored, want all 40 (kept unconfirmed)", stored)
	}

	// A third of a day later the mailbox has one mail's allowance back, and the resend form uses it.
	c.Add(8 * time.Hour)
	for i := range 3 {
		if err := s.ResendConfirmation(ctx, fmt.Sprintf("victim+%d@example.org", 10+i), letters{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := mailCount(t, s, "victim@example.org"); n != 4 {
		t.Errorf("after 8 hours and 3 resends: %d mails, want 4", n)
	}
}

func TestMailLimitsPerDomainAndOverallCountAllOrNothing(t *testing.T) {
	c := dbtest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := dbtest.New(t, c.Now)
	s.MailLimits = models.MailLimits{
		Domain:  models.MailRate{Count: 2, Period: time.Hour},
		Overall: models.MailRate{Count: 3, Period: time.Hour},
	}
	ctx := context.Background()
	for i, email := range []string{"a@one.org", "b@one.org", "c@one.org", "d@two.org", "e@three.org"} {
		app := application(fmt.Sprintf("Org %d", i), fmt.Sprintf("https://org%d.org", i), email)
		if _, err := s.Submit(ctx, app, "v1", letters{}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int{}
	for _, m := range []string{"a@one.org", "b@one.org", "c@one.org", "d@two.org", "e@three.org"} {
		got[m] = mailCount(t, s, m)
	}
	// c@ is refused by its domain, e@ by the overall limit (a, b, d took it).
	want := map[string]int{"a@one.org": 1, "b@one.org": 1, "c@one.org": 0, "d@two.org": 1, "e@three.org": 0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("mails = %v, want %v", got, want)
	}
	// c@'s refusal by its domain did not use up its mailbox: in an hour it is mailed.
	c.Add(time.Hour)
	if err := s.ResendConfirmation(ctx, "c@one.org", letters{}); err != nil {
		t.Fatal(err)
	}
	if n := mailCount(t, s, "c@one.org"); n != 1 {
		t.Errorf("c@ after an hour: %d mails, want 1", n)
	}
}

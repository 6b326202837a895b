package models_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"charter/models"
	"charter/models/dbtest"
	"charter/publiclog"
)

// logEvents returns the events of the whole public log, in order, checking that its entries are
// numbered from 0 and that their texts hash to the tree the store reports.
func logEvents(t *testing.T, s *models.Store) []publiclog.Entry {
	t.Helper()
	ctx := context.Background()
	size, root, err := s.LogHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var entries []publiclog.Entry
	var tree publiclog.TreeBuilder
	for start := int64(0); start < size; start += models.LogPageSize {
		texts, err := s.LogEntries(ctx, start, min(size, start+models.LogPageSize))
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			e, err := publiclog.ParseEntry(text)
			if err != nil {
				t.Fatal(err)
			}
			if e.Index != tree.Size() {
				t.Fatalf("entry %d says it is number %d", tree.Size(), e.Index)
			}
			tree.Add(text)
			entries = append(entries, e)
		}
	}
	if tree.Hash() != root {
		t.Fatalf("the entries hash to %v, the stored tree to %v", tree.Hash(), root)
	}
	return entries
}

func approve(t *testing.T, s *models.Store, id int64) {
	t.Helper()
	if _, err := s.ApproveSignatory(context.Background(), models.Decision{SignatoryID: id, AdminID: 1}); err != nil {
		t.Fatal(err)
	}
}

// Each public event of a signatory is one entry with its public facts; what never becomes public
// leaves nothing in the log.
func TestPublicLogEvents(t *testing.T) {
	ctx := context.Background()
	clock := dbtest.NewClock(mustTime("2025-03-04T05:06:07Z"))
	s := dbtest.New(t, clock.Now)

	// Never public: rejected, edited while pending, cancelled.
	rejected := dbtest.AddSignatory(t, s, models.StatusPending, nil)
	if _, err := s.RejectSignatory(ctx, models.Decision{SignatoryID: rejected.ID, AdminID: 1, Reason: "no"}); err != nil {
		t.Fatal(err)
	}
	pending := dbtest.AddSignatory(t, s, models.StatusPending, nil)
	fields := models.PublicFieldsOf(pending)
	fields.Name = "Renamed While Pending"
	if _, err := s.EditSignatory(ctx, pending.ID, 1, fields); err != nil {
		t.Fatal(err)
	}
	if got := logEvents(t, s); len(got) != 0 {
		t.Fatalf("nothing was public, yet the log has %v", got)
	}

	sig := dbtest.AddSignatory(t, s, models.StatusPending, func(sig *models.Signatory) {
		sig.Name, sig.Country, sig.CharterVersion, sig.Slug = "Friends of Children", "DE", "v1hash", "friends-of-children"
		sig.ContactEmail = "secret.person@example.org"
	})
	approve(t, s, sig.ID)
	clock.Add(60e9)
	fields = models.PublicFieldsOf(sig)
	fields.Website = "https://friends.example.org/new"
	if _, err := s.EditSignatory(ctx, sig.ID, 1, fields); err != nil {
		t.Fatal(err)
	}
	fields.Name = "Friends of All Children"
	if _, err := s.EditSignatory(ctx, sig.ID, 1, fields); err != nil {
		t.Fatal(err)
	}
	if changed, err := s.EditSignatory(ctx, sig.ID, 1, fields); err != nil || changed {
		t.Fatalf("an edit that changes nothing: %v, %v", changed, err)
	}
	if _, err := s.RevokeSignatory(ctx, models.Decision{SignatoryID: sig.ID, AdminID: 1, Reason: "fake"}); err != nil {
		t.Fatal(err)
	}

	got := logEvents(t, s)
	var events []publiclog.Event
	for _, e := range got {
		events = append(events, e.Event)
		if e.Slug != "friends-of-children" || e.Country != "DE" || e.CharterVersion != "v1hash" {
			t.Errorf("entry %d: %+v", e.Index, e)
		}
	}
	want := []publiclog.Event{publiclog.EventApproved, publiclog.EventCorrected, publiclog.EventCorrected, publiclog.EventRevoked}
	if !slices.Equal(events, want) {
		t.Fatalf("events %v, want %v", events, want)
	}
	if got[0].Name != "Friends of Children" || got[2].Name != "Friends of All Children" {
		t.Errorf("names %q, %q", got[0].Name, got[2].Name)
	}
	if !got[0].Time.Equal(mustTime("2025-03-04T05:06:07Z")) || !got[1].Time.Equal(mustTime("2025-03-04T05:07:07Z")) {
		t.Errorf("times %v, %v", got[0].Time, got[1].Time)
	}
	texts, _ := s.LogEntries(ctx, 0, 4)
	for _, text := range texts {
		if strings.Contains(string(text), "secret") || strings.Contains(string(text), "Alex Martin") || strings.Contains(string(text), "Director") {
			t.Errorf("contact data in the log: %s", text)
		}
	}
	mine, err := s.SignatoryLogEntries(ctx, sig.ID)
	if err != nil || len(mine) != 4 || mine[3].Event != publiclog.EventRevoked {
		t.Errorf("the signatory's entries: %+v, %v", mine, err)
	}
}

// A contact's withdrawal of an approved signature is logged; withdrawing an application before
// a decision is not.
func TestPublicLogWithdrawal(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	for _, st := range []models.Status{models.StatusPending, models.StatusApproved} {
		sig := dbtest.AddSignatory(t, s, models.StatusPending, func(sig *models.Signatory) {
			sig.ContactEmail = fmt.Sprintf("withdraw-%s@example.org", st)
		})
		if st == models.StatusApproved {
			approve(t, s, sig.ID)
		}
		if err := s.RequestManageLink(ctx, sig.ContactEmail, letters{}); err != nil {
			t.Fatal(err)
		}
		var body string
		s.DB.Table("outbox").Where("signatory_id = ? AND subject = 'manage'", sig.ID).Pluck("body", &body)
		if _, err := s.Withdraw(ctx, body[len("/manage/"):], letters{}); err != nil {
			t.Fatal(err)
		}
	}
	var events []publiclog.Event
	for _, e := range logEvents(t, s) {
		events = append(events, e.Event)
	}
	if want := []publiclog.Event{publiclog.EventApproved, publiclog.EventWithdrawn}; !slices.Equal(events, want) {
		t.Fatalf("events %v, want %v", events, want)
	}
}

// The log's tables refuse to change what is written.
func TestPublicLogAppendOnly(t *testing.T) {
	s := dbtest.New(t, nil)
	approve(t, s, dbtest.AddSignatory(t, s, models.StatusPending, nil).ID)
	for _, sql := range []string{
		"UPDATE log_entries SET body = 'x'", "DELETE FROM log_entries",
		"UPDATE log_hashes SET hash = zeroblob(32)", "DELETE FROM log_hashes",
	} {
		if err := s.DB.Exec(sql).Error; err == nil {
			t.Errorf("%s: allowed", sql)
		}
	}
	logEvents(t, s)
}

// Approvals at once, from many goroutines, make one log: every approval once, numbered without
// gaps, and hashing to the stored tree.
func TestPublicLogConcurrentApprovals(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	const n = 40
	var ids []int64
	for range n {
		ids = append(ids, dbtest.AddSignatory(t, s, models.StatusPending, nil).ID)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, 2*n)
	for i := range 2 * n { // each signatory approved twice at once: one wins
		wg.Go(func() {
			<-start
			_, errs[i] = s.ApproveSignatory(ctx, models.Decision{SignatoryID: ids[i%n], AdminID: 1})
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if models.KindOf(err) != models.KindConflict {
			t.Fatal(err)
		}
	}
	entries := logEvents(t, s)
	if won != n || len(entries) != n {
		t.Fatalf("%d approvals won, %d entries; want %d", won, len(entries), n)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Slug] {
			t.Errorf("%s logged twice", e.Slug)
		}
		seen[e.Slug] = true
	}
}

// Inclusion and consistency proofs verify with tlog for every size of the log from 1 to 300.
func TestPublicLogProofs(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	const n = 300
	roots := make([]tlog.Hash, n+1)
	var texts [][]byte
	for size := int64(1); size <= n; size++ {
		approve(t, s, dbtest.AddSignatory(t, s, models.StatusPending, nil).ID)
		got, root, err := s.LogHead(ctx)
		if err != nil || got != size {
			t.Fatalf("size %d, want %d: %v", got, size, err)
		}
		roots[size] = root
		text, err := s.LogEntries(ctx, size-1, size)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, text[0])
	}
	for size := int64(1); size <= n; size++ {
		for i := int64(0); i < size; i++ {
			p, err := s.LogInclusionProof(ctx, i, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.CheckRecord(p, size, roots[size], i, tlog.RecordHash(texts[i])); err != nil {
				t.Fatalf("entry %d in size %d: %v", i, size, err)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := s.LogConsistencyProof(ctx, old, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.CheckTree(p, size, roots[size], old, roots[old]); err != nil {
				t.Fatalf("size %d from %d: %v", size, old, err)
			}
		}
	}
	for _, bad := range [][2]int64{{-1, 5}, {5, 5}, {0, n + 1}, {3, 0}} {
		if _, err := s.LogInclusionProof(ctx, bad[0], bad[1]); models.KindOf(err) != models.KindInvalid {
			t.Errorf("inclusion %v: %v", bad, err)
		}
	}
	for _, bad := range [][2]int64{{0, 5}, {6, 5}, {1, n + 1}} {
		if _, err := s.LogConsistencyProof(ctx, bad[0], bad[1]); models.KindOf(err) != models.KindInvalid {
			t.Errorf("consistency %v: %v", bad, err)
		}
	}
	for _, bad := range [][2]int64{{-1, 2}, {2, 2}, {0, models.LogPageSize + 1}, {n - 1, n + 1}} {
		if _, err := s.LogEntries(ctx, bad[0], bad[1]); models.KindOf(err) != models.KindInvalid {
			t.Errorf("entries %v: %v", bad, err)
		}
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

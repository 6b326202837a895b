package models_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"charter/models"
	"charter/models/dbtest"
)

// A contact withdrawing while a reviewer approves: the outcome is that of one order or the other,
// never a mix. Withdrawn first, the application is cancelled and the approval is refused; approved
// first, the contact's withdrawal then ends the approved signature.
func TestWithdrawAndApproveRace(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	for round := range 10 {
		sig := dbtest.AddSignatory(t, s, models.StatusPending, func(sig *models.Signatory) {
			sig.ContactEmail = fmt.Sprintf("contact%d@example.org", round)
		})
		if err := s.RequestManageLink(ctx, sig.ContactEmail, letters{}); err != nil {
			t.Fatal(err)
		}
		var body string
		s.DB.Table("outbox").Where("signatory_id = ? AND subject = 'manage'", sig.ID).Pluck("body", &body)
		token := body[len("/manage/"):]

		var wg sync.WaitGroup
		start := make(chan struct{})
		var withdrawErr, approveErr error
		wg.Go(func() { <-start; _, withdrawErr = s.Withdraw(ctx, token, letters{}) })
		wg.Go(func() {
			<-start
			_, approveErr = s.ApproveSignatory(ctx, models.Decision{SignatoryID: sig.ID, AdminID: 1})
		})
		close(start)
		wg.Wait()

		var got models.Signatory
		s.DB.Take(&got, sig.ID)
		var changes []models.Action
		s.DB.Model(&models.AuditEvent{}).Where("signatory_id = ? AND from_status <> to_status", sig.ID).
			Order("id").Pluck("action", &changes)
		var want []models.Action
		var wantStatus models.Status
		if approveErr != nil {
			if models.KindOf(approveErr) != models.KindConflict {
				t.Errorf("round %d: the refused approval got %v, want a conflict", round, approveErr)
			}
			want, wantStatus = []models.Action{models.ActionWithdrawn}, models.StatusCancelled
		} else {
			want, wantStatus = []models.Action{models.ActionApproved, models.ActionWithdrawn}, models.StatusWithdrawn
		}
		if withdrawErr != nil || got.Status != wantStatus || !slices.Equal(changes, want) {
			t.Errorf("round %d: withdraw %v, approve %v; status %s, events %v", round, withdrawErr, approveErr, got.Status, changes)
		}
	}
}

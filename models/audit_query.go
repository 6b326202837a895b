package models

import (
	"context"
)

// AuditPageSize is how many events one page of the audit log shows.
const AuditPageSize = 50

// AuditFilter selects events of the audit log. Zero values select everything.
type AuditFilter struct {
	SignatoryID int64
	AdminID     int64
	Action      Action
	Before      int64 // id of the last event of the previous page; 0 for the newest
}

// AuditEvents returns one page of the audit log, newest first. next is the Before of the
// following page, 0 on the last. The log is read here and appended to by recordAudit; nothing
// updates or deletes it.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) (events []AuditEvent, next int64, err error) {
	q := s.DB.WithContext(ctx).Model(&AuditEvent{})
	if f.SignatoryID > 0 {
		q = q.Where("signatory_id = ?", f.SignatoryID)
	}
	if f.AdminID > 0 {
		q = q.Where("admin_id = ?", f.AdminID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if err := q.Order("id DESC").Limit(AuditPageSize + 1).Find(&events).Error; err != nil {
		return nil, 0, err
	}
	if len(events) > AuditPageSize {
		events = events[:AuditPageSize]
		next = events[len(events)-1].ID
	}
	return events, next, nil
}

// AuditActions lists the actions that occur in the log, for the filter.
func (s *Store) AuditActions(ctx context.Context) ([]Action, error) {
	var actions []Action
	err := s.DB.WithContext(ctx).Model(&AuditEvent{}).Distinct("action").Order("action").Pluck("action", &actions).Error
	return actions, err
}

// EachSignatory calls fn for every signatory, in id order, reading them one at a time so that a
// full export does not hold the whole table in memory.
func (s *Store) EachSignatory(ctx context.Context, fn func(*Signatory) error) error {
	rows, err := s.DB.WithContext(ctx).Model(&Signatory{}).Order("id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sig Signatory
		if err := s.DB.ScanRows(rows, &sig); err != nil {
			return err
		}
		if err := fn(&sig); err != nil {
			return err
		}
	}
	return rows.Err()
}

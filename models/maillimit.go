package models

import (
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MailRate is a limit of Count mails per Period, allowed all at once (a burst of Count) and then
// one every Period/Count.
type MailRate struct {
	Count  int
	Period time.Duration
}

// MailLimits bound the mail that anyone can cause by filling in a public form (a confirmation
// link, a reminder that an application waits for review, a manage link), so that the site cannot
// be used to flood a stranger's inbox. A zero field takes its default from DefaultMailLimits.
type MailLimits struct {
	// Mailbox is per recipient mailbox: the address in lower case without its +tag (and, for
	// Gmail, without dots), so that victim+1@ and victim+2@ count together.
	Mailbox MailRate
	// Domain is per recipient domain (the part after the @).
	Domain MailRate
	// Overall is for the whole site, every recipient together.
	Overall MailRate
}

// DefaultMailLimits: 3 a day to one mailbox (a real contact needs one or two), 30 an hour to one
// domain, 300 an hour in all (far above the charter's sign-up rate).
var DefaultMailLimits = MailLimits{
	Mailbox: MailRate{Count: 3, Period: 24 * time.Hour},
	Domain:  MailRate{Count: 30, Period: time.Hour},
	Overall: MailRate{Count: 300, Period: time.Hour},
}

func (l MailLimits) orDefaults() MailLimits {
	if l.Mailbox.Count == 0 {
		l.Mailbox = DefaultMailLimits.Mailbox
	}
	if l.Domain.Count == 0 {
		l.Domain = DefaultMailLimits.Domain
	}
	if l.Overall.Count == 0 {
		l.Overall = DefaultMailLimits.Overall
	}
	return l
}

// errMailLimited is returned inside takeMailAllowance's savepoint to undo the counts already
// taken when a later limit refuses.
var errMailLimited = errors.New("mail limit reached")

// Mailbox returns the mailbox an address delivers to, as the limits count it: lower case, the
// +tag of the local part removed, and for gmail.com and googlemail.com the dots too (Gmail
// ignores them). Other providers' aliasing rules are not guessed at; the per-domain limit
// bounds what they allow.
func Mailbox(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return addr
	}
	local, _, _ = strings.Cut(local, "+")
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}

// takeMailAllowance takes one mail to addr from each limit (mailbox, domain, overall) inside tx,
// and reports whether all three allowed it. Either all three are counted or none: the takes run
// in a savepoint that is rolled back when one refuses. Each take is one statement, so concurrent
// requests (and instances sharing the database) cannot all pass a check before any counts.
func takeMailAllowance(tx *gorm.DB, now time.Time, limits MailLimits, addr string) (bool, error) {
	limits = limits.orDefaults()
	mailbox := Mailbox(addr)
	_, domain, _ := strings.Cut(mailbox, "@")
	err := tx.Transaction(func(tx *gorm.DB) error {
		for _, l := range []struct {
			key  string
			rate MailRate
		}{
			{"mailbox:" + mailbox, limits.Mailbox},
			{"domain:" + domain, limits.Domain},
			{"overall", limits.Overall},
		} {
			ok, err := gcraTake(tx, now, l.key, l.rate)
			if err != nil {
				return err
			}
			if !ok {
				return errMailLimited
			}
		}
		return nil
	})
	if errors.Is(err, errMailLimited) {
		return false, nil
	}
	return err == nil, err
}

// gcraTake is one step of the generic cell rate algorithm, in one upsert that works on SQLite and
// PostgreSQL alike: the limiter's theoretical arrival time moves on by one interval if that keeps
// it within the period ahead of now; if not, the row is left as it was and nothing is returned.
func gcraTake(tx *gorm.DB, now time.Time, key string, r MailRate) (bool, error) {
	period := r.Period.Milliseconds()
	interval := period / int64(max(r.Count, 1))
	ms := now.UnixMilli()
	var tat []int64
	err := tx.Raw(`INSERT INTO mail_limits (key, tat) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE
SET tat = CASE WHEN mail_limits.tat > ? THEN mail_limits.tat ELSE ? END + ?
WHERE CASE WHEN mail_limits.tat > ? THEN mail_limits.tat ELSE ? END + ? - ? <= ?
RETURNING tat`,
		key, ms+interval,
		ms, ms, interval,
		ms, ms, interval, period, ms).Scan(&tat).Error
	return len(tat) == 1, err
}

// purgeMailLimits deletes the limiters that are back to full (their arrival time is past): such
// a row limits nothing, and the table then holds only the mailboxes and domains mailed recently.
func purgeMailLimits(db *gorm.DB, now time.Time) error {
	return db.Exec("DELETE FROM mail_limits WHERE tat < ?", now.UnixMilli()).Error
}

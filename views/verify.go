package views

import (
	"context"
	"time"

	"golang.org/x/net/idna"

	"charter/models"
)

// DomainName is how a registrable domain (stored in ASCII, "xn--e1afmkfd.xn--p1ai") reads to a
// person: in its own script ("пример.рф") when it converts cleanly, as stored otherwise.
func DomainName(domain string) string {
	u, err := idna.Display.ToUnicode(domain)
	if err != nil || u == "" {
		return domain
	}
	return u
}

// DomainVerification is what a contact's manage page shows about its website's domain: verified,
// or how to verify it with a file, and the outcome of the last check.
type DomainVerification struct {
	Domain     string              // the website's registrable domain, in ASCII
	Verified   bool                // Domain is verified
	By         models.DomainMethod // how, when Verified
	At         *time.Time          // when, when Verified
	Token      string              // the line the file must hold, when not Verified
	FileURL    string              // where the file goes
	Problem    Message             // why the last check failed; empty Key when it did not
	JustDone   bool                // the check just succeeded
	CheckLimit int                 // how many checks an hour a signatory gets
}

// dateOf is the date of t as the language writes it, or "" for none.
func dateOf(ctx context.Context, t *time.Time) string {
	if t == nil {
		return ""
	}
	return Date(ctx, *t)
}

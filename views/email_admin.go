package views

import (
	"fmt"
	"strings"

	"charter/models"
)

// Approved is the message to a signatory's contact when a reviewer approves the signature: the
// link to its public page and the badge snippet to put on its website.
func (e Emails) Approved(sig *models.Signatory) (subject, body string) {
	page := e.link(SignatoryURL(sig.Slug))
	subject = "Your signature of the " + SiteName + " is approved"
	body = fmt.Sprintf(`Dear %s,

%s has been approved as a signatory of the %s. It is now on the public list:

%s

To show your commitment on your website, you can add this badge, which links to that page:

%s

Thank you for your commitment to protecting children in the digital environment.

The %s team
`, sig.ContactName, sig.Name, SiteName, page, BadgeSnippet(e.BaseURL, sig.Slug), SiteName)
	return subject, body
}

// Rejected is the message to a contact whose application a reviewer declined, with the reason.
func (e Emails) Rejected(sig *models.Signatory, reason string) (subject, body string) {
	subject = "Your application to sign the " + SiteName
	body = fmt.Sprintf(`Dear %s,

Thank you for applying to sign the %s on behalf of %s. We are sorry that we cannot add it to the
list of signatories, for this reason:

%s

If you think this is a mistake, or the situation changes, you are welcome to reply to this email
or to apply again.

The %s team
`, sig.ContactName, SiteName, sig.Name, reason, SiteName)
	return subject, body
}

// Revoked is the message to a contact whose approved signature a reviewer removed from the public
// list, with the reason.
func (e Emails) Revoked(sig *models.Signatory, reason string) (subject, body string) {
	subject = oneLine(sig.Name) + " is no longer listed as a signatory of the " + SiteName
	body = fmt.Sprintf(`Dear %s,

%s has been removed from the public list of signatories of the %s, and its badge no longer
shows it as a signatory, for this reason:

%s

If you think this is a mistake, please reply to this email.

The %s team
`, sig.ContactName, sig.Name, SiteName, reason, SiteName)
	return subject, body
}

// oneLine keeps a value put in a subject line on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Messages of the console's failed-mail page.
const (
	MsgMailResent    = "The message will be sent again within a minute. If the server refuses it again, it comes back to this list."
	MsgMailNotFailed = "That message is no longer on the list: it was already sent again."
)

package views

import (
	"html"
	"strconv"

	"charter/models"
)

// Approved is the message to a signatory's contact when a reviewer approves the signature: the
// link to its public page and the badge snippet to put on its website, in the contact's language.
func (e Emails) Approved(sig *models.Signatory) (subject, body string) {
	l := contactLang(sig)
	return Tr(l, "email.approved.subject"),
		Tr(l, "email.approved.body", "Contact", sig.ContactName, "Name", sig.Name,
			"Page", e.link(l, SignatoryURL(sig.Slug)), "Badge", badgeSnippetIn(l, e.BaseURL, sig.Slug))
}

// badgeSnippetIn is the HTML a signatory puts on its website: its badge in the language l
// (badge.svg?lang=ru), linking to its page in that language.
func badgeSnippetIn(l Lang, baseURL, slug string) string {
	if l == English {
		return BadgeSnippet(baseURL, slug)
	}
	return `<a href="` + baseURL + HrefIn(l, SignatoryURL(slug)) + `"><img src="` + baseURL + BadgeURL(slug) +
		`?lang=` + string(l) + `" alt="` + html.EscapeString(Tr(l, "email.approved.badge_alt")) +
		`" width="` + strconv.Itoa(BadgeWidth) + `" height="` + strconv.Itoa(BadgeHeight) + `"></a>`
}

// Rejected is the message to a contact whose application a reviewer declined, with the reason.
func (e Emails) Rejected(sig *models.Signatory, reason string) (subject, body string) {
	l := contactLang(sig)
	return Tr(l, "email.rejected.subject"),
		Tr(l, "email.rejected.body", "Contact", sig.ContactName, "Name", sig.Name, "Reason", reason)
}

// Revoked is the message to a contact whose approved signature a reviewer removed from the public
// list, with the reason.
func (e Emails) Revoked(sig *models.Signatory, reason string) (subject, body string) {
	l := contactLang(sig)
	return Tr(l, "email.revoked.subject", "Name", oneLine(sig.Name)),
		Tr(l, "email.revoked.body", "Contact", sig.ContactName, "Name", sig.Name, "Reason", reason)
}

// Messages of the console's failed-mail page.
const (
	MsgMailResent    = "The message will be sent again within a minute. If the server refuses it again, it comes back to this list."
	MsgMailNotFailed = "That message is no longer on the list: it was already sent again."
)

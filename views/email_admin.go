package views

import (
	"charter/models"
)

// Approved is the message to a signatory's contact when a reviewer approves the signature: the
// link to its public page, the badge snippet to put on its website and the link to its memorandum
// of accession, in the contact's language.
func (e Emails) Approved(sig *models.Signatory) (subject, body string) {
	l := contactLang(sig)
	return Tr(l, "email.approved.subject"),
		Tr(l, "email.approved.body", "Contact", sig.ContactName, "Name", sig.Name,
			"Page", e.link(l, SignatoryURL(sig.Slug)), "Badge", BadgeSnippetIn(l, e.BaseURL, sig.Slug),
			"Memorandum", e.link(l, MemorandumURL(sig.Slug)))
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

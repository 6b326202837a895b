package views

import (
	"fmt"
	"regexp"
	"strings"

	"charter/models"
)

// Emails writes the plain-text emails of the site (it implements models.Letters), each in the
// language of the one it is written to: a contact's (Signatory.Lang), an administrator's (given).
// Links are BaseURL + the path in that language.
type Emails struct {
	BaseURL string
}

var _ models.Letters = Emails{}

// link is the absolute address of a page of the site in the language l.
func (e Emails) link(l Lang, path string) string { return e.BaseURL + HrefIn(l, path) }

// contactLang is the language a signatory's contact reads: the one stored, or English.
func contactLang(sig *models.Signatory) Lang { return langOrEnglish(sig.Lang) }

func langOrEnglish(code string) Lang {
	if l, ok := ParseLang(code); ok {
		return l
	}
	return English
}

// The mails a stranger can cause by typing someone's address into a public form (ConfirmLink,
// AlreadyPending, ManageLink) quote nothing the signer typed except the organisation's name,
// and that only as plain text on its own line, in quotes, after fixed words — never the contact's
// name or role, so that the site's mail cannot carry an attacker's message. A name that a mail
// client would turn into a link or a number to call (quotableName) is not quoted at all.

// ConfirmLink asks the contact to confirm the application.
func (e Emails) ConfirmLink(sig *models.Signatory, path string) (string, string) {
	l := contactLang(sig)
	return Tr(l, "email.confirm.subject"),
		Tr(l, "email.confirm.body", "Name", quotedName(l, sig.Name), "Link", e.link(l, path))
}

// AlreadyPending answers a repeated application that is already waiting for review.
func (e Emails) AlreadyPending(sig *models.Signatory) (string, string) {
	l := contactLang(sig)
	return Tr(l, "email.pending.subject"),
		Tr(l, "email.pending.body", "Name", quotedName(l, sig.Name), "Link", e.link(l, "/manage"))
}

// NewApplication tells an administrator, in the language code lang, that an application is
// waiting for review.
func (e Emails) NewApplication(sig *models.Signatory, lang string) (string, string) {
	l := langOrEnglish(lang)
	return Tr(l, "email.new_application.subject", "Name", oneLine(sig.Name)),
		Tr(l, "email.new_application.body", "Name", sig.Name, "Category", Tr(l, categoryLongKey[sig.Category]),
			"Country", CountryNameIn(l, sig.Country), "Website", sig.Website,
			"Link", e.link(l, fmt.Sprintf("/admin/signatories/%d", sig.ID)))
}

// ManageLink gives the contact the link to withdraw.
func (e Emails) ManageLink(sig *models.Signatory, path string) (string, string) {
	l := contactLang(sig)
	return Tr(l, "email.manage.subject"),
		Tr(l, "email.manage.body", "Name", quotedName(l, sig.Name), "Link", e.link(l, path))
}

// Withdrawn confirms a withdrawal.
func (e Emails) Withdrawn(sig *models.Signatory) (string, string) {
	l := contactLang(sig)
	what := Tr(l, "email.withdrawn.cancelled", "Name", sig.Name)
	if sig.Status == models.StatusWithdrawn && sig.WithdrawnAt != nil {
		what = Tr(l, "email.withdrawn.withdrawn", "Name", sig.Name, "Date", FormatDateIn(l, *sig.WithdrawnAt))
	}
	return Tr(l, "email.withdrawn.subject"),
		Tr(l, "email.withdrawn.body", "Contact", sig.ContactName, "What", what, "Link", e.link(l, "/sign"))
}

// quotedName is the organisation's name as the first mails show it: in quotes on its own line, or,
// if a mail client would make something of it, a fixed sentence in its place.
func quotedName(l Lang, name string) string {
	if !quotableName(name) {
		return "  " + Tr(l, "email.name_not_quoted")
	}
	return "  " + Tr(l, "email.quoted_name", "Name", oneLine(name))
}

// linkLike finds what mail clients turn into links or "call" buttons: a URL scheme, www., an
// address, a domain name (a letter or digit, a dot, two letters or more), seven digits or more
// (a phone number, with or without separators).
var linkLike = regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://|\b(mailto|tel|sms|callto):|www\.|@|[\p{L}\p{N}]\.\p{L}{2,}|(\d[\s().+/-]*){7,}`)

// quotableName reports whether the name can be quoted in a mail to an address the signer typed:
// no link, address or phone number in it, which is true of almost every organisation's name
// (a name such as "Booking.com" is left out: the confirmation page shows it).
func quotableName(name string) bool {
	return !linkLike.MatchString(name)
}

// oneLine keeps a value put in a subject line on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

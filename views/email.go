package views

import (
	"fmt"
	"regexp"
	"strings"

	"charter/models"
)

// Emails writes the plain-text emails of the signing journey (it implements models.Letters).
// Links are BaseURL + path.
type Emails struct {
	BaseURL string
}

var _ models.Letters = Emails{}

func (e Emails) link(path string) string { return e.BaseURL + path }

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

const emailSignature = "— " + SiteName

// The mails a stranger can cause by typing someone's address into a public form (ConfirmLink,
// AlreadyPending, ManageLink) quote nothing the signer typed except the organisation's name,
// and that only as plain text on its own line, in quotes, after fixed words — never the contact's
// name or role, so that the site's mail cannot carry an attacker's message. A name that a mail
// client would turn into a link or a number to call (quotableName) is not quoted at all.

// ConfirmLink asks the contact to confirm the application.
func (e Emails) ConfirmLink(sig *models.Signatory, path string) (string, string) {
	return "Confirm your organisation's signature of the charter",
		lines(
			"Hello,",
			"",
			"Someone, probably you, asked to sign the "+SiteName+" with this email address on behalf of",
			"the organisation named",
			"",
			quotedName(sig.Name),
			"",
			"To confirm, open this link and press the Confirm button on the page:",
			"",
			e.link(path),
			"",
			"The link works once and expires in 7 days. An administrator then reviews the application before",
			"your organisation appears on the public list.",
			"",
			"If you did not ask for this, ignore this email: the application is deleted after 7 days.",
			"",
			emailSignature,
		)
}

// AlreadyPending answers a repeated application that is already waiting for review.
func (e Emails) AlreadyPending(sig *models.Signatory) (string, string) {
	return "Your application to sign the charter is awaiting review",
		lines(
			"Hello,",
			"",
			"We received another application from this email address. The application of the organisation",
			"named",
			"",
			quotedName(sig.Name),
			"",
			"is already confirmed and waiting for an administrator's review, so there is nothing more to do.",
			"",
			"To withdraw it, ask for a link at "+e.link("/manage"),
			"",
			emailSignature,
		)
}

// NewApplication tells an administrator that an application is waiting for review.
func (e Emails) NewApplication(sig *models.Signatory) (string, string) {
	return "New application to review: " + sig.Name,
		lines(
			"A confirmed application is waiting for review:",
			"",
			"  "+sig.Name,
			"  "+CategoryLabel(sig.Category)+", "+CountryNameIn(English, sig.Country),
			"  "+sig.Website,
			"",
			"Review it: "+e.link(fmt.Sprintf("/admin/signatories/%d", sig.ID)),
			"",
			emailSignature,
		)
}

// ManageLink gives the contact the link to withdraw.
func (e Emails) ManageLink(sig *models.Signatory, path string) (string, string) {
	return "Manage your organisation's signature of the charter",
		lines(
			"Hello,",
			"",
			"Someone, probably you, asked to manage the signature of the charter by the organisation named",
			"",
			quotedName(sig.Name),
			"",
			"To withdraw it, open this link and press the button on the page:",
			"",
			e.link(path),
			"",
			"The link works once and expires in 7 days. If you did not ask for it, ignore this email:",
			"nothing changes unless the button is pressed.",
			"",
			emailSignature,
		)
}

// Withdrawn confirms a withdrawal.
func (e Emails) Withdrawn(sig *models.Signatory) (string, string) {
	what := "The application of " + sig.Name + " to sign the charter has been cancelled."
	if sig.Status == models.StatusWithdrawn {
		what = fmt.Sprintf("The signature of %s has been withdrawn on %s. It no longer appears on the public list.",
			sig.Name, sig.WithdrawnAt.Format("2 January 2006"))
	}
	return "Your signature of the charter has been withdrawn",
		lines(
			"Hello "+sig.ContactName+",",
			"",
			what,
			"",
			"To sign again later, fill in the form at "+e.link("/sign"),
			"",
			emailSignature,
		)
}

// quotedName is the organisation's name as the first mails show it: in quotes on its own line, or,
// if a mail client would make something of it, a fixed sentence in its place.
func quotedName(name string) string {
	if !quotableName(name) {
		return "  (the name is shown on the page the link opens)"
	}
	return "  “" + oneLine(name) + "”"
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

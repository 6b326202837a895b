package views

import (
	"fmt"
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

// ConfirmLink asks the contact to confirm the application.
func (e Emails) ConfirmLink(sig *models.Signatory, path string) (string, string) {
	return "Confirm your organisation's signature of the charter",
		lines(
			"Hello "+sig.ContactName+",",
			"",
			"You asked to sign the "+SiteName+" on behalf of "+sig.Name+".",
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
			"Hello "+sig.ContactName+",",
			"",
			"We received another application from this email address. The application of "+sig.Name,
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
			"  "+CategoryLabel(sig.Category)+", "+CountryName(sig.Country),
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
			"Hello "+sig.ContactName+",",
			"",
			"Someone, probably you, asked to manage the signature of "+sig.Name+".",
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

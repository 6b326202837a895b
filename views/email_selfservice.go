package views

import (
	"strings"

	"charter/models"
)

var _ models.ProposalLetters = Emails{}

// changeLines lists what a proposal changes, one "field: old → new" line each, in l.
func changeLines(l Lang, p *models.Proposal) string {
	var lines []string
	for _, c := range p.Changes() {
		old, new := c.Old, c.New
		if c.Field == models.FieldCountry {
			old, new = CountryNameIn(l, old), CountryNameIn(l, new)
		}
		lines = append(lines, "  "+Tr(l, "selfservice.email.change_line", "Field", Tr(l, changeFieldKey[c.Field]), "Old", old, "New", new))
	}
	return strings.Join(lines, "\n")
}

// changeFieldKey names each field a proposal can change, as the manage page and mails call it.
var changeFieldKey = map[models.Field]string{
	models.FieldName:    "selfservice.field.name",
	models.FieldCountry: "selfservice.field.country",
	models.FieldWebsite: "selfservice.field.website",
}

// ProposalApproved tells the contact that the proposed change is now public.
func (e Emails) ProposalApproved(sig *models.Signatory, p *models.Proposal) (string, string) {
	l := contactLang(sig)
	return Tr(l, "selfservice.email.approved.subject"),
		Tr(l, "selfservice.email.approved.body", "Contact", sig.ContactName, "Name", sig.Name,
			"Changes", changeLines(l, p), "Page", e.link(l, SignatoryURL(sig.Slug)))
}

// ProposalRejected tells the contact that the proposed change was declined, and why.
func (e Emails) ProposalRejected(sig *models.Signatory, p *models.Proposal, reason string) (string, string) {
	l := contactLang(sig)
	return Tr(l, "selfservice.email.rejected.subject"),
		Tr(l, "selfservice.email.rejected.body", "Contact", sig.ContactName, "Name", sig.Name,
			"Changes", changeLines(l, p), "Reason", reason, "Link", e.link(l, "/manage"))
}

// HandoverLink asks a new contact person to confirm. Someone who holds a manage link chose the
// address, so, as for the other links, the mail quotes nothing typed but the organisation's name
// (never the name or role given for the new contact).
func (e Emails) HandoverLink(sig *models.Signatory, _ *models.Handover, lang, path string) (string, string) {
	l := langOrEnglish(lang)
	return Tr(l, "selfservice.email.handover.subject"),
		Tr(l, "selfservice.email.handover.body", "Name", quotedName(l, sig.Name), "Link", e.link(l, path))
}

// HandedOver tells the old contact that the new one has taken over.
func (e Emails) HandedOver(old, sig *models.Signatory) (string, string) {
	l := contactLang(old)
	return Tr(l, "selfservice.email.handed_over.subject"),
		Tr(l, "selfservice.email.handed_over.body", "Contact", old.ContactName, "Name", sig.Name,
			"NewContact", sig.ContactName)
}

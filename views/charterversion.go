package views

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"charter/models"
)

var _ models.ReaffirmLetters = Emails{}

// Reaffirm asks a contact to re-affirm the signature for the version v, at path: what changed (the
// summary), where to read the text, and the link whose page shows the differences.
func (e Emails) Reaffirm(sig *models.Signatory, v *models.CharterVersion, path string, reminder bool) (string, string) {
	l := contactLang(sig)
	subject, body := "email.reaffirm.subject", "email.reaffirm.body"
	if reminder {
		subject, body = "email.reaffirm_reminder.subject", "email.reaffirm_reminder.body"
	}
	return Tr(l, subject, "Version", v.Label),
		Tr(l, body, "Contact", sig.ContactName, "Name", sig.Name, "Version", v.Label,
			"Date", FormatDateIn(l, v.PublishedAt), "Summary", v.Summary,
			"Text", e.link(l, VersionURL(v.Label)), "Link", e.link(l, path))
}

// VersionURL is the path of a version's page (in English; Href makes it the reader's language).
func VersionURL(label string) string { return "/charter/versions/" + label }

// VersionLabel is how a signature's version reads: its label, or, for a text never published
// (a test's, or a database's from before versions), its hash.
func VersionLabel(vs models.CharterVersions, hash string) string {
	if v := vs.ByHash(hash); v != nil {
		return v.Label
	}
	return hash
}

// DiffKind is what a line of a LineDiff is.
type DiffKind int

// The kinds of line of a diff.
const (
	DiffSame    DiffKind = iota // in both texts (context around a change)
	DiffRemoved                 // only in the old text
	DiffAdded                   // only in the new text
	DiffGap                     // unchanged lines left out
)

// DiffLine is one line of a LineDiff.
type DiffLine struct {
	Kind DiffKind
	Text string
}

// diffContext is the number of unchanged lines shown around each change.
const diffContext = 2

// LineDiff compares two texts line by line (github.com/sergi/go-diff, the diff-match-patch
// algorithm in line mode) and returns the changed lines with a little unchanged context around
// each change; longer unchanged stretches become one DiffGap. Blank lines are left out: in
// Markdown they only separate paragraphs.
func LineDiff(old, new string) []DiffLine {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var all []DiffLine
	for _, d := range diffs {
		kind := DiffSame
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = DiffRemoved
		case diffmatchpatch.DiffInsert:
			kind = DiffAdded
		}
		for line := range strings.SplitSeq(d.Text, "\n") {
			if strings.TrimSpace(line) != "" {
				all = append(all, DiffLine{Kind: kind, Text: line})
			}
		}
	}
	keep := make([]bool, len(all))
	for i, l := range all {
		if l.Kind != DiffSame {
			for j := max(0, i-diffContext); j <= min(len(all)-1, i+diffContext); j++ {
				keep[j] = true
			}
		}
	}
	var out []DiffLine
	for i, l := range all {
		switch {
		case keep[i]:
			out = append(out, l)
		case len(out) == 0 || out[len(out)-1].Kind != DiffGap:
			out = append(out, DiffLine{Kind: DiffGap})
		}
	}
	return out
}

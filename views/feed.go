package views

import (
	"encoding/xml"
	"io"
	"time"

	"charter/models"
)

// FeedTitle is the title of the Atom feed of new signatories.
const FeedTitle = "New signatories of the " + SiteName

// atomFeed and atomEntry are the parts of RFC 4287 the feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// WriteFeed writes the Atom feed of the latest approvals, newest first. baseURL makes the links
// absolute; updated is the feed's date when there is no entry yet.
func WriteFeed(w io.Writer, baseURL string, latest []models.PublicSignatory, updated time.Time) error {
	f := atomFeed{
		ID:     baseURL + "/feed.atom",
		Title:  FeedTitle,
		Author: atomPerson{Name: SiteName},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: baseURL + "/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: baseURL + "/signatories"},
		},
	}
	if len(latest) > 0 {
		updated = latest[0].ApprovedAt
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	for _, s := range latest {
		summary := CategoryLabel(s.Category) + ", " + CountryNameIn(English, s.Country) + ". Signed on " + FormatDate(s.ApprovedAt) + "."
		if s.Statement != "" {
			summary += " " + s.Statement
		}
		f.Entries = append(f.Entries, atomEntry{
			ID:      baseURL + SignatoryURL(s.Slug),
			Title:   s.Name,
			Updated: s.ApprovedAt.UTC().Format(time.RFC3339),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: baseURL + SignatoryURL(s.Slug)},
			Summary: summary,
		})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

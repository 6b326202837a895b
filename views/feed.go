package views

import (
	"context"
	"encoding/xml"
	"io"
	"time"

	"charter/models"
)

// atomFeed and atomEntry are the parts of RFC 4287 the feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
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

// WriteFeed writes the Atom feed of the latest approvals, newest first, in the language of ctx.
// baseURL makes the links absolute; updated is the feed's date when there is no entry yet.
func WriteFeed(ctx context.Context, w io.Writer, baseURL string, latest []models.PublicSignatory, updated time.Time) error {
	f := atomFeed{
		Lang:   string(LangOf(ctx)),
		ID:     baseURL + Href(ctx, "/feed.atom"),
		Title:  T(ctx, "feed.title"),
		Author: atomPerson{Name: T(ctx, "site.name")},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: baseURL + Href(ctx, "/feed.atom")},
			{Rel: "alternate", Type: "text/html", Href: baseURL + Href(ctx, "/signatories")},
		},
	}
	if len(latest) > 0 {
		updated = latest[0].ApprovedAt
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	for _, s := range latest {
		summary := T(ctx, "feed.summary", "Category", CategoryName(ctx, s.Category), "Country", CountryName(ctx, s.Country),
			"Date", Date(ctx, s.ApprovedAt))
		if s.Statement != "" {
			summary += " " + s.Statement
		}
		f.Entries = append(f.Entries, atomEntry{
			ID:      baseURL + SignatoryURL(s.Slug), // one signatory, whatever the language
			Title:   s.Name,
			Updated: s.ApprovedAt.UTC().Format(time.RFC3339),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: baseURL + Href(ctx, SignatoryURL(s.Slug))},
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

package views

import "context"

// Share is what a page tells social networks and chat apps to show when its address is shared
// (OpenGraph and Twitter's card): the page's canonical address, a title, a summary and a picture,
// every address absolute.
type Share struct {
	URL         string // the page's canonical address
	Title       string
	Description string
	Image       string // a CardWidth × CardHeight PNG
	ImageAlt    string
}

// CharterCardURL is the path of the charter's share card; under /ru/ it is in Russian.
const CharterCardURL = "/share/charter.png"

// SignatoryCardURL is the path of a signatory's share card.
func SignatoryCardURL(slug string) string { return SignatoryURL(slug) + "/card.png" }

// charterShare is the share card of a page about the charter or the list: the charter's picture.
func charterShare(ctx context.Context, baseURL, path, title, description string) *Share {
	return &Share{
		URL:         baseURL + Href(ctx, path),
		Title:       title,
		Description: description,
		Image:       baseURL + Href(ctx, CharterCardURL),
		ImageAlt:    T(ctx, "share.charter_alt"),
	}
}

// ogLocale is the page's language as OpenGraph names it.
func ogLocale(l Lang) string {
	switch l {
	case Russian:
		return "ru_RU"
	}
	return "en_GB"
}

// signatoryDescription is the summary of a signatory's page.
func signatoryDescription(ctx context.Context, p SignatoryProps) string {
	if !p.Signatory.Public() {
		return endedNotice(ctx, p.Signatory)
	}
	return T(ctx, "share.signatory_description", "Name", p.Signatory.Name)
}

// signatoryShare is the link preview of a signatory's page: its own card while it stands and
// the fonts can draw its name (CardDrawable), else the charter's.
func signatoryShare(ctx context.Context, p SignatoryProps) *Share {
	s := charterShare(ctx, p.BaseURL, SignatoryURL(p.Signatory.Slug), p.Signatory.Name, signatoryDescription(ctx, p))
	if p.Signatory.Public() && CardDrawable(p.Signatory.Name) {
		s.Image = p.BaseURL + Href(ctx, SignatoryCardURL(p.Signatory.Slug))
		s.ImageAlt = T(ctx, "share.signatory_alt", "Name", p.Signatory.Name)
	}
	return s
}

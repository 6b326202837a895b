package models

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The bounds of the public directory. They keep every query behind a public page bounded however
// many signatories there are.
const (
	// DirectoryPageSize is the number of signatories on one page of the list.
	DirectoryPageSize = 20
	// DirectoryMaxPage is the deepest page of the list. Deeper than that, a reader narrows the
	// search or downloads the open data; the offset stays below 10,000 rows.
	DirectoryMaxPage = 500
	// DirectoryCountLimit is where counting search results stops: beyond it the list says "more
	// than 10,000".
	DirectoryCountLimit = 10000
	// MaxSearchWords is the number of words of a search that are used; the rest are ignored.
	MaxSearchWords = 6
)

// Sort orders of the public list.
const (
	SortNewest = "newest" // most recently approved first (the default)
	SortName   = "name"   // by name, folded, A to Z
)

// DirectoryQuery is one view of the public list: a search, filters, an order and a page. Build it
// with the fields already checked (see handlers); Words comes from SearchWords(Q).
type DirectoryQuery struct {
	Q        string   // the search as typed
	Words    []string // the folded words of Q that must each start a word of the name
	Category Category // "" for every category
	Country  string   // ISO 3166-1 alpha-2, upper case; "" for every country
	Sort     string   // SortNewest or SortName
	Page     int      // 1-based, at most DirectoryMaxPage
}

// SearchWords turns what a reader typed into the folded words to look for: the same folding as
// names get (case, accents, punctuation), at most MaxSearchWords of them.
func SearchWords(q string) []string {
	w := Words(q)
	if len(w) > MaxSearchWords {
		w = w[:MaxSearchWords]
	}
	return w
}

// PublicSignatory is what the public may know of a signatory. It has no contact field, so no
// query that fills it can leak one.
type PublicSignatory struct {
	ID             int64
	Slug           string
	Name           string
	Category       Category
	Country        string
	Website        string
	Statement      string
	Status         Status
	CharterVersion string
	ApprovedAt     time.Time
	WithdrawnAt    *time.Time
	RevokedAt      *time.Time
	// ReaffirmedVersion is the hash of the latest version re-affirmed ("" for none), at ReaffirmedAt.
	ReaffirmedVersion string
	ReaffirmedAt      *time.Time
	// CharterLabel and ReaffirmedLabel are the labels of CharterVersion and ReaffirmedVersion
	// ("" for a text never published). Only EachPublicSignatory fills them; pages look the
	// labels up in the list of versions.
	CharterLabel    string
	ReaffirmedLabel string
	// VerifiedDomain is the website's domain when it is verified (domain.go), else "".
	VerifiedDomain string
}

// Public reports whether the signature currently stands (approved, not withdrawn or revoked).
func (p *PublicSignatory) Public() bool { return p.Status == StatusApproved }

// EndedAt is when a withdrawn or revoked signature ended; nil while it stands.
func (p *PublicSignatory) EndedAt() *time.Time {
	switch p.Status {
	case StatusWithdrawn:
		return p.WithdrawnAt
	case StatusRevoked:
		return p.RevokedAt
	}
	return nil
}

// publicColumns are the columns PublicSignatory is read from; never a contact column.
const publicColumns = "s.id, s.slug, s.name, s.category, s.country, s.website, s.statement, s.status, " +
	"s.charter_version, s.approved_at, s.withdrawn_at, s.revoked_at, s.reaffirmed_version, s.reaffirmed_at, s.verified_domain"

// DirectoryPage is one page of the public list with its counts.
type DirectoryPage struct {
	Items   []PublicSignatory
	HasNext bool
	// Total is the number of signatories that match; when TotalCapped, there are more than Total.
	Total       int64
	TotalCapped bool
	// ByCategory counts the matches of the search and country filter in each category (ignoring
	// the category filter, so the links show what choosing a category would give). Nil when
	// the search matches too many to count.
	ByCategory []CategoryCount
}

// A search is answered from one of two sides, whichever is smaller:
//
//   - driven: start from the search index, look up each match and keep those that pass the
//     filters, then sort them. Chosen when the search matches fewer signatories (of any status)
//     than the filters let through (approved_counts tells that exactly);
//   - otherwise: walk the filters' index (in the list's order when it can) and keep the rows the
//     search matched. With more matches than filtered rows, this reads at most the filtered rows,
//     and a dense search fills a page after a short walk.
//
// Counting stops at DirectoryCountLimit either way, so no query reads more than the smaller side.

// directoryFrom is the FROM and WHERE of the list for q. driven starts from the search index;
// otherwise the query starts from signatories, for the planner to walk an index in the list's
// order. The category filter is left out when withCategory is false.
func (s *Store) directoryFrom(q DirectoryQuery, driven, withCategory bool) (string, []any) {
	var b strings.Builder
	var args []any
	if len(q.Words) > 0 {
		from, a := s.dialect.searchFrom(q.Words, driven, q.Country != "" && (q.Category == "" || !withCategory))
		b.WriteString(from)
		args = a
	} else {
		b.WriteString("signatories s WHERE s.status = ?")
		args = append(args, StatusApproved)
	}
	if withCategory && q.Category != "" {
		b.WriteString(" AND s.category = ?")
		args = append(args, string(q.Category))
	}
	if q.Country != "" {
		b.WriteString(" AND s.country = ?")
		args = append(args, q.Country)
	}
	return b.String(), args
}

// ListDirectory returns one page of approved signatories for q, with its counts. Every query is
// bounded: the page by its offset (at most DirectoryMaxPage pages), the counts by approved_counts
// or, for a search, by DirectoryCountLimit.
func (s *Store) ListDirectory(ctx context.Context, q DirectoryQuery) (DirectoryPage, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	var page DirectoryPage
	inCountry, err := s.countApproved(ctx, q.Country)
	if err != nil {
		return page, err
	}
	var matches int64
	if len(q.Words) == 0 {
		page.ByCategory = inCountry
	} else {
		if matches, err = s.countMatches(ctx, q.Words); err != nil {
			return page, err
		}
		page.ByCategory, page.TotalCapped, err = s.countSearch(ctx, q, matches <= sumCounts(inCountry, ""))
		if err != nil {
			return page, err
		}
	}
	page.Total = sumCounts(page.ByCategory, q.Category)
	filtered := sumCounts(inCountry, q.Category) // the rows the filters alone let through
	if page.TotalCapped {
		page.Total = DirectoryCountLimit
		if q.Category != "" { // the search matches too many to count, but within the category?
			page.Total, page.TotalCapped, err = s.countSearchInCategory(ctx, q, matches <= filtered)
			if err != nil {
				return page, err
			}
		}
	}

	var order string
	switch {
	case q.Sort != SortName:
		order = "s.approved_at DESC, s.id DESC"
	case q.Country != "":
		// A country's signatories are few enough to sort, while walking the name index for
		// them could cross most of the table (Greek names sort after all Latin ones).
		order = s.dialect.nameOrderSorted()
	default:
		order = "s.name_key, s.id"
	}
	from, args := s.directoryFrom(q, len(q.Words) > 0 && !page.TotalCapped && matches <= filtered, true)
	err = s.DB.WithContext(ctx).Raw("SELECT "+publicColumns+" FROM "+from+" ORDER BY "+order+" LIMIT ? OFFSET ?",
		append(args, DirectoryPageSize+1, (q.Page-1)*DirectoryPageSize)...).Scan(&page.Items).Error
	if err != nil {
		return page, err
	}
	if len(page.Items) > DirectoryPageSize {
		page.Items, page.HasNext = page.Items[:DirectoryPageSize], true
	}
	return page, nil
}

// countApproved counts approved signatories per category, in one country or all, from the
// approved_counts table the triggers keep.
func (s *Store) countApproved(ctx context.Context, country string) ([]CategoryCount, error) {
	var rows []CategoryCount
	db := s.DB.WithContext(ctx).Table("approved_counts").Select("category, SUM(n) AS count").Group("category")
	if country != "" {
		db = db.Where("country = ?", country)
	}
	if err := db.Scan(&rows).Error; err != nil {
		return nil, err
	}
	return inCategoryOrder(rows), nil
}

// sumCounts adds up the counts of one category, or of all when category is "".
func sumCounts(counts []CategoryCount, category Category) int64 {
	var n int64
	for _, c := range counts {
		if category == "" || category == c.Category {
			n += c.Count
		}
	}
	return n
}

// countMatches counts the signatories, in any status, whose name matches the search words: the
// size of the search index's answer, read from the index alone.
func (s *Store) countMatches(ctx context.Context, words []string) (int64, error) {
	var n int64
	query, args := s.dialect.countMatches(words)
	err := s.DB.WithContext(ctx).Raw(query, args...).Scan(&n).Error
	return n, err
}

// countSearch counts the matches of a search (and its country filter) per category, stopping at
// DirectoryCountLimit. Capped means there are more: the counts are then nil.
func (s *Store) countSearch(ctx context.Context, q DirectoryQuery, driven bool) (counts []CategoryCount, capped bool, err error) {
	from, args := s.directoryFrom(q, driven, false)
	var rows []CategoryCount
	err = s.DB.WithContext(ctx).Raw("SELECT category, COUNT(*) AS count FROM (SELECT s.category FROM "+from+
		" LIMIT ?) m GROUP BY category", append(args, DirectoryCountLimit+1)...).Scan(&rows).Error
	if err != nil {
		return nil, false, err
	}
	var n int64
	for _, r := range rows {
		n += r.Count
	}
	if n > DirectoryCountLimit {
		return nil, true, nil
	}
	return inCategoryOrder(rows), false, nil
}

// countSearchInCategory counts the matches of a search with all its filters, stopping at
// DirectoryCountLimit.
func (s *Store) countSearchInCategory(ctx context.Context, q DirectoryQuery, driven bool) (n int64, capped bool, err error) {
	from, args := s.directoryFrom(q, driven, true)
	err = s.DB.WithContext(ctx).Raw("SELECT COUNT(*) FROM (SELECT 1 FROM "+from+" LIMIT ?) m",
		append(args, DirectoryCountLimit+1)...).Scan(&n).Error
	if n > DirectoryCountLimit {
		return DirectoryCountLimit, true, err
	}
	return n, false, err
}

func inCategoryOrder(rows []CategoryCount) []CategoryCount {
	byCat := make(map[Category]int64, len(rows))
	for _, r := range rows {
		byCat[r.Category] += r.Count
	}
	out := make([]CategoryCount, len(Categories))
	for i, c := range Categories {
		out[i] = CategoryCount{Category: c, Count: byCat[c]}
	}
	return out
}

// CountryCount is the number of approved signatories in one country.
type CountryCount struct {
	Country string
	Count   int64
}

// DirectoryFigures are the totals the home page and the list's filters show.
type DirectoryFigures struct {
	ByCategory []CategoryCount // every category, zero included, in display order
	Countries  []CountryCount  // countries with at least one approved signatory, by code
}

// Total is the number of approved signatories.
func (f DirectoryFigures) Total() int64 {
	var n int64
	for _, c := range f.ByCategory {
		n += c.Count
	}
	return n
}

// Figures returns the number of approved signatories per category and per country. It reads the
// approved_counts table (a few hundred rows at most), never the signatories.
func (s *Store) Figures(ctx context.Context) (DirectoryFigures, error) {
	var f DirectoryFigures
	var err error
	if f.ByCategory, err = s.countApproved(ctx, ""); err != nil {
		return f, err
	}
	err = s.DB.WithContext(ctx).Table("approved_counts").Select("country, SUM(n) AS count").
		Group("country").Having("SUM(n) > 0").Order("country").Scan(&f.Countries).Error
	return f, err
}

// PublicSignatoryBySlug returns the signatory whose public page is /signatories/slug: an approved
// one, or a withdrawn or revoked one (whose page says so). Any other is ErrNotFound.
func (s *Store) PublicSignatoryBySlug(ctx context.Context, slug string) (*PublicSignatory, error) {
	if !storableText(slug) {
		return nil, ErrNotFound
	}
	var p PublicSignatory
	err := s.DB.WithContext(ctx).Raw("SELECT "+publicColumns+" FROM signatories s WHERE s.slug = ? "+
		"AND s.status IN ? AND s.approved_at IS NOT NULL", slug, PublicPageStatuses).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// LatestApprovals returns the n most recently approved signatories that still stand, newest first.
func (s *Store) LatestApprovals(ctx context.Context, n int) ([]PublicSignatory, error) {
	var out []PublicSignatory
	err := s.DB.WithContext(ctx).Raw("SELECT "+publicColumns+" FROM signatories s WHERE s.status = ? "+
		"ORDER BY s.approved_at DESC, s.id DESC LIMIT ?", StatusApproved, n).Scan(&out).Error
	return out, err
}

// EachPublicSignatory calls fn for every approved signatory, oldest approval first (a stable
// order: new signatories are added at the end), reading one row at a time so that memory stays
// flat however long the list. fn's error stops the walk and is returned.
func (s *Store) EachPublicSignatory(ctx context.Context, fn func(*PublicSignatory) error) error {
	return eachPublicSignatory(s.DB.WithContext(ctx), fn)
}

func eachPublicSignatory(db *gorm.DB, fn func(*PublicSignatory) error) error {
	rows, err := db.Raw("SELECT "+publicColumns+", "+
		"COALESCE((SELECT v.label FROM charter_versions v WHERE v.hash = s.charter_version), ''), "+
		"COALESCE((SELECT v.label FROM charter_versions v WHERE v.hash = s.reaffirmed_version), '') FROM signatories s "+
		"WHERE s.status = ? ORDER BY s.approved_at, s.id", StatusApproved).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var p PublicSignatory
	var approved sql.NullTime
	for rows.Next() {
		p = PublicSignatory{}
		if err := rows.Scan(&p.ID, &p.Slug, &p.Name, &p.Category, &p.Country, &p.Website, &p.Statement,
			&p.Status, &p.CharterVersion, &approved, &p.WithdrawnAt, &p.RevokedAt, &p.ReaffirmedVersion, &p.ReaffirmedAt, &p.VerifiedDomain, &p.CharterLabel, &p.ReaffirmedLabel); err != nil {
			return err
		}
		p.ApprovedAt = approved.Time
		if err := fn(&p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PublicState identifies the state of everything the public can see. Version grows with every
// change (triggers on signatories keep it), Epoch tells databases apart.
type PublicState struct {
	Version int64
	Epoch   string
}

// PublicState reads the current public state: one row, cheap enough to ask on every request.
func (s *Store) PublicState(ctx context.Context) (PublicState, error) {
	var st PublicState
	err := s.DB.WithContext(ctx).Raw("SELECT version, epoch FROM public_state WHERE id = 1").Scan(&st).Error
	return st, err
}

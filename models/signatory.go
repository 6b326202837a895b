package models

import (
	"time"
)

// Category is the stakeholder group an organisation belongs to.
type Category string

// The stakeholder categories, in the order they are shown.
const (
	CategoryGovernment    Category = "government"
	CategoryBusiness      Category = "business"
	CategoryCivilSociety  Category = "civil_society"
	CategoryEducation     Category = "education" // schools, kindergartens, colleges, children's centres
	CategoryAcademia      Category = "academia"
	CategoryInternational Category = "international"
)

// Categories lists every category in display order.
var Categories = []Category{
	CategoryGovernment, CategoryBusiness, CategoryCivilSociety, CategoryEducation, CategoryAcademia,
	CategoryInternational,
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// Signatory is an organisation that has applied to sign the charter, in whatever state it is.
// The Contact* fields are private: they never reach a page, export or feed the public can see.
type Signatory struct {
	ID             int64
	Slug           string
	Name           string
	NameKey        string // NameKey(Name), for search and sorting
	NameSkeleton   string // NameSkeleton(Name), for the same-name flag
	Category       Category
	Country        string // ISO 3166-1 alpha-2, upper case
	Website        string
	WebsiteDomain  string
	Statement      string
	ContactName    string
	ContactRole    string
	ContactEmail   string
	Status         Status
	StatusReason   string
	CharterVersion string
	// ReaffirmedVersion is the hash of the latest version the contact re-affirmed ("" for none),
	// at ReaffirmedAt (charterversion.go).
	ReaffirmedVersion string
	ReaffirmedAt      *time.Time
	// Lang is the language the contact reads (a code such as "en"; views.Languages): the page it
	// signed on, changeable on its manage page. Its emails are written in it.
	Lang        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ConfirmedAt *time.Time
	ApprovedAt  *time.Time
	RejectedAt  *time.Time
	WithdrawnAt *time.Time
	RevokedAt   *time.Time

	// VerifiedDomain is "" or the WebsiteDomain that was verified (domain.go): when, and how.
	VerifiedDomain   string
	DomainVerifiedAt *time.Time
	DomainVerifiedBy DomainMethod
}

// CategoryCount is the number of approved signatories in one category.
type CategoryCount struct {
	Category Category
	Count    int64
}

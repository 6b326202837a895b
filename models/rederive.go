package models

import (
	"strings"
	"unicode"

	"gorm.io/gorm"
)

// rederiveBatch is how many signatories rederivePublicFields reads at a time.
const rederiveBatch = 1000

// rederivePublicFields is the Go step of migration 0008. It recomputes, with the functions
// sign-up uses, the columns derived from each signatory's name and website: name_key,
// name_skeleton and website_domain. Admin edits before 0008 stored the website's host instead of
// its registrable domain, and names and statements with control characters: those characters
// become spaces (line breaks stay in a statement) and invisible formatting characters go. A
// website the normaliser refuses (an edit accepted localhost and IP addresses) keeps its domain,
// for a reviewer to correct. Running it again changes nothing.
func rederivePublicFields(tx *gorm.DB) error {
	type row struct {
		ID            int64
		Name          string
		NameKey       string
		NameSkeleton  string
		Website       string
		WebsiteDomain string
		Statement     string
	}
	// Names recur in a demo database (the seed makes a few thousand distinct ones): derive each once.
	type derived struct{ key, skeleton string }
	memo := map[string]derived{}
	var after int64
	for {
		var rows []row
		err := tx.Raw("SELECT id, name, name_key, name_skeleton, website, website_domain, statement FROM signatories WHERE id > ? ORDER BY id LIMIT ?",
			after, rederiveBatch).Scan(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		for _, r := range rows {
			after = r.ID
			name := tidyStored(r.Name, false)
			statement := tidyStored(r.Statement, true)
			domain := r.WebsiteDomain
			if _, d, err := NormalizeWebsite(r.Website); err == nil {
				domain = d
			}
			d, ok := memo[name]
			if !ok {
				if len(memo) >= 10000 {
					clear(memo)
				}
				d = derived{NameKey(name), NameSkeleton(name)}
				memo[name] = d
			}
			set := map[string]any{}
			if d.skeleton != r.NameSkeleton {
				set["name_skeleton"] = d.skeleton
			}
			if name != r.Name {
				set["name"] = name
			}
			if d.key != r.NameKey {
				set["name_key"] = d.key // only when it changed: the search index is rebuilt on each write
			}
			if domain != r.WebsiteDomain {
				set["website_domain"] = domain
			}
			if statement != r.Statement {
				set["statement"] = statement
			}
			if len(set) == 0 {
				continue // unchanged rows are not written, which would bump the public state
			}
			if err := tx.Table("signatories").Where("id = ?", r.ID).Updates(set).Error; err != nil {
				return err
			}
		}
	}
}

// tidyStored returns stored text without the characters cleanText refuses: control characters
// become spaces (a line break stays in multiline text), invisible formatting characters go, and
// spaces are collapsed as cleanText does. Text with nothing left is returned as it was.
func tidyStored(s string, multiline bool) string {
	if !hasInvisible(strings.ReplaceAll(s, "\r\n", "\n"), multiline) {
		return s
	}
	rs := []rune(strings.ReplaceAll(s, "\r\n", "\n"))
	var b strings.Builder
	for i, r := range rs {
		switch {
		case !invisibleAt(rs, i, multiline):
			b.WriteRune(r)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		}
	}
	var errs FieldErrors
	out := cleanText(&errs, "", b.String(), 1, 1<<30, multiline)
	if out == "" || len(errs) > 0 {
		return s
	}
	return out
}

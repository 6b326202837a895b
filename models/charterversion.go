package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// CharterVersion is one published text of the charter (the table charter_versions). Signatures
// record the Hash of the text signed; people read the Label.
type CharterVersion struct {
	ID          int64
	Hash        string
	Label       string
	PublishedAt time.Time
	// Material is set when the change alters what signatories commit to: every approved
	// signatory is then asked to re-affirm (charterversion_reaffirm.go).
	Material bool
	Summary  string
	// TextEN is the English Markdown, "" when unknown (a version found only in old signatures);
	// TextRU the Russian translation of this very version, "" when none is stored. Lists leave
	// both out and say only whether they are there (HasText, HasTranslation).
	TextEN         string `gorm:"column:text_en"`
	TextRU         string `gorm:"column:text_ru"`
	HasText        bool   `gorm:"->"`
	HasTranslation bool   `gorm:"->"`
	// MailedThrough is the highest signatory id asked to re-affirm this (material) version so far.
	MailedThrough int64
}

// TableName is the table of published versions.
func (CharterVersion) TableName() string { return "charter_versions" }

// Text is the version's Markdown in the language lang ("en", "ru"), and whether it is in that
// language: a version without a stored translation is read in English.
func (v *CharterVersion) Text(lang string) (text string, translated bool) {
	if lang == "ru" && v.TextRU != "" {
		return v.TextRU, true
	}
	return v.TextEN, lang == "en"
}

// CharterVersions are the published versions, oldest first.
type CharterVersions []CharterVersion

// ByHash returns the version whose text has the hash, or nil.
func (vs CharterVersions) ByHash(hash string) *CharterVersion {
	for i := range vs {
		if vs[i].Hash == hash {
			return &vs[i]
		}
	}
	return nil
}

// Current is the latest version published, or nil when none is.
func (vs CharterVersions) Current() *CharterVersion {
	if len(vs) == 0 {
		return nil
	}
	return &vs[len(vs)-1]
}

// upToDate returns the hashes of the versions a signatory may have signed or re-affirmed and
// have nothing to re-affirm: the latest material version and those published after it. It is
// nil when no version is material (then nobody has anything to re-affirm).
func (vs CharterVersions) upToDate() []string {
	last := -1
	for i := range vs {
		if vs[i].Material {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	hashes := make([]string, 0, len(vs)-last)
	for _, v := range vs[last:] {
		hashes = append(hashes, v.Hash)
	}
	return hashes
}

// Due reports whether a signatory that signed the version signed and last re-affirmed reaffirmed
// ("" for never) has a material change to re-affirm.
func (vs CharterVersions) Due(signed, reaffirmed string) bool {
	ok := vs.upToDate()
	if ok == nil {
		return false
	}
	for _, h := range ok {
		if h == signed || h == reaffirmed {
			return false
		}
	}
	return true
}

// CharterVersions returns every published version, oldest first, without their texts.
func (s *Store) CharterVersions(ctx context.Context) (CharterVersions, error) {
	return charterVersions(s.DB.WithContext(ctx))
}

func charterVersions(db *gorm.DB) (CharterVersions, error) {
	var vs CharterVersions
	err := db.Raw(`SELECT id, hash, label, published_at, material, summary, mailed_through,
text_en <> '' AS has_text, text_ru <> '' AS has_translation FROM charter_versions ORDER BY id`).Scan(&vs).Error
	return vs, err
}

// CharterVersionByLabel returns one version with its texts, or ErrNotFound.
func (s *Store) CharterVersionByLabel(ctx context.Context, label string) (*CharterVersion, error) {
	if !validLabel.MatchString(label) {
		return nil, ErrNotFound
	}
	return charterVersionWhere(s.DB.WithContext(ctx), "label = ?", label)
}

func charterVersionWhere(db *gorm.DB, query string, args ...any) (*CharterVersion, error) {
	var v CharterVersion
	err := db.Where(query, args...).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	v.HasText, v.HasTranslation = v.TextEN != "", v.TextRU != ""
	return &v, nil
}

// ErrCharterUnpublished is the refusal to serve a charter.md whose version was never published.
// Its message names the command to run.
func ErrCharterUnpublished(version string) error {
	return Errorf(KindConflict, "error.charter_unpublished", "Version", version)
}

// FirstLabel is the label of the version recorded when a database has none yet.
const FirstLabel = "1"

// EnsureCharterVersion checks, when the server starts, that the charter it serves is a published
// version, and keeps the stored texts of that version current (its translation may have been
// added or corrected since). A database with no version at all (a new one, or one from before
// versions existed) records the charter as the first version, labelled FirstLabel, and the texts
// its older signatures name as earlier versions, text unknown: so `charter` on a new machine
// needs no step first. Otherwise an unpublished charter is ErrCharterUnpublished. created
// reports whether the first version was recorded now.
func (s *Store) EnsureCharterVersion(ctx context.Context, c *Charter) (created bool, err error) {
	now := s.Now()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&CharterVersion{}).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			created = true
			if err := recordEarlierVersions(tx, c.Version); err != nil {
				return err
			}
			return publishVersion(tx, now, c, PublishOptions{Label: FirstLabel})
		}
		v, err := charterVersionWhere(tx, "hash = ?", c.Version)
		if errors.Is(err, ErrNotFound) {
			return ErrCharterUnpublished(c.Version)
		}
		if err != nil {
			return err
		}
		return keepTexts(tx, v, c)
	})
	return created, err
}

// keepTexts stores the charter's texts in its version's row where they differ: the English text
// when it was unknown, the translation when it translates this version.
func keepTexts(tx *gorm.DB, v *CharterVersion, c *Charter) error {
	set := map[string]any{}
	if v.TextEN == "" {
		set["text_en"] = c.Source
	}
	if ru := c.In("ru"); ru.Lang == "ru" && ru.Source != v.TextRU {
		set["text_ru"] = ru.Source
	}
	if len(set) == 0 {
		return nil
	}
	return tx.Model(&CharterVersion{}).Where("id = ?", v.ID).Updates(set).Error
}

// recordEarlierVersions adds a version, text unknown, for each text that signatures name other
// than current's, oldest first, labelled 0.1, 0.2 …: the signatures of a database older than
// versions then show a version too.
func recordEarlierVersions(tx *gorm.DB, current string) error {
	var old []struct {
		CharterVersion string
		First          string // MIN of a DATETIME comes back as text from SQLite
	}
	if err := tx.Raw(`SELECT charter_version, MIN(created_at) AS first FROM signatories
WHERE charter_version <> ? GROUP BY charter_version ORDER BY first, charter_version`, current).Scan(&old).Error; err != nil {
		return err
	}
	for i, o := range old {
		at, err := parseDBTime(o.First)
		if err != nil {
			return err
		}
		if err := tx.Create(&CharterVersion{
			Hash: o.CharterVersion, Label: fmt.Sprintf("0.%d", i+1), PublishedAt: at,
		}).Error; err != nil {
			return err
		}
	}
	return nil
}

// parseDBTime reads a time SQLite returned as text (an aggregate loses the column's type).
func parseDBTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("read time %q", s)
}

// PublishOptions is what the operator says of a new version.
type PublishOptions struct {
	Label    string
	Material bool
	Summary  string
}

// validLabel is what a label may be: it is part of the version's address.
var validLabel = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$`)

// MaxSummaryLength bounds a version's summary of what changed.
const MaxSummaryLength = 2000

// Validate checks the label and the summary.
func (o PublishOptions) Validate() error {
	if !validLabel.MatchString(o.Label) {
		return Errorf(KindInvalid, "error.version_label")
	}
	if utf8.RuneCountInString(o.Summary) > MaxSummaryLength || !utf8.ValidString(o.Summary) {
		return Errorf(KindInvalid, "error.version_summary_long", "Max", MaxSummaryLength)
	}
	return nil
}

// PublishVersion records the charter c (the charter.md about to be served) as a published
// version, and returns it. When the version is material, every approved signatory whose
// signature predates it is asked by email to re-affirm (RequestReaffirmations), in batches after
// the version is recorded. Publishing the same text again under the same label publishes
// nothing and finishes an interrupted mailing; under another label it is a conflict.
func (s *Store) PublishVersion(ctx context.Context, c *Charter, o PublishOptions, letters ReaffirmLetters) (v *CharterVersion, mailed int, err error) {
	o.Summary = strings.TrimSpace(o.Summary)
	if err := o.Validate(); err != nil {
		return nil, 0, err
	}
	now := s.Now()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if old, err := charterVersionWhere(tx, "hash = ?", c.Version); err == nil {
			if old.Label != o.Label {
				return Errorf(KindConflict, "error.version_published", "Label", old.Label)
			}
			return nil // published already: go on with its mailing
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		var n int64
		if err := tx.Model(&CharterVersion{}).Where("label = ?", o.Label).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return Errorf(KindConflict, "error.version_label_taken", "Label", o.Label)
		}
		if err := tx.Model(&CharterVersion{}).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			if err := recordEarlierVersions(tx, c.Version); err != nil {
				return err
			}
		}
		return publishVersion(tx, now, c, o)
	})
	if err != nil {
		return nil, 0, err
	}
	v, err = charterVersionWhere(s.DB.WithContext(ctx), "hash = ?", c.Version)
	if err != nil || !v.Material {
		return v, 0, err
	}
	mailed, err = s.RequestReaffirmations(ctx, v, letters)
	return v, mailed, err
}

// publishVersion inserts the version of c with its texts, and records it in the audit log.
func publishVersion(tx *gorm.DB, now time.Time, c *Charter, o PublishOptions) error {
	v := &CharterVersion{Hash: c.Version, Label: o.Label, PublishedAt: now, Material: o.Material,
		Summary: o.Summary, TextEN: c.Source}
	if ru := c.In("ru"); ru.Lang == "ru" {
		v.TextRU = ru.Source
	}
	if err := tx.Create(v).Error; err != nil {
		return err
	}
	detail, err := json.Marshal(map[string]any{"label": v.Label, "hash": v.Hash, "material": v.Material})
	if err != nil {
		return err
	}
	return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorSystem, Action: ActionVersionPublished,
		Reason: v.Summary, Detail: string(detail)})
}

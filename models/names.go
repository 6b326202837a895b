package models

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold lower-cases s and strips its accents (é → e, ё → е, й → и), so that comparisons and search
// are case- and accent-insensitive in every script.
func fold(s string) string {
	return strings.ToLower(unmark(s))
}

// Words splits s into folded words: runs of letters and digits, everything else a separator.
func Words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// NameKey is the form of an organisation's name used to compare and sort names: folded, with
// punctuation and quotes dropped and spaces collapsed. «Фонд "Дети онлайн"» and
// "фонд дети-онлайн" have the same key.
func NameKey(name string) string {
	return strings.Join(Words(name), " ")
}

// NameSkeleton is the form of an organisation's name used to find names that look the same:
// the confusable skeleton of Unicode TS #39, so that a Cyrillic "а" or a Greek "ο" in a Latin name,
// "rn" for "m", "1" or "I" for "l", compatibility forms (full-width, mathematical letters) and
// invisible characters do not make a name look new. Accents, case, punctuation and spacing are
// ignored as by NameKey. It is compared, never shown: the same-name flag uses it, search uses
// NameKey.
func NameSkeleton(name string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) {
			return -1
		}
		return r
	}, name)
	// The skeleton maps capitals and small letters apart (Latin "I" looks like "l", "i" does not),
	// so it is taken before lower-casing, and again after.
	s = unmark(confusables.Skeleton(unmark(s)))
	s = unmark(confusables.Skeleton(strings.ToLower(s)))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// unmark decomposes s (compatibility forms too: "ﬁ" is "fi", "Ｏ" is "O") and drops its accents.
func unmark(s string) string {
	// Invalid bytes would stop the transform half-way; as U+FFFD they are one more separator.
	s = strings.ToValidUTF8(s, "\uFFFD")
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// cyrillicLatin transliterates Russian and other Cyrillic letters for readable slugs.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia", 'і': "i", 'ї': "i", 'є': "ie",
	'ґ': "g", 'ў': "u",
}

// maxSlugLen bounds the readable part of a slug.
const maxSlugLen = 60

// Slugify makes the readable, URL-safe base of a signatory's slug from its name: lower-case ASCII
// letters and digits separated by single hyphens. Cyrillic is transliterated and accents dropped;
// a name with nothing left (e.g. only Chinese characters) gives "", and the caller falls back to
// another base.
func Slugify(name string) string {
	var b strings.Builder
	for _, w := range Words(name) {
		var part strings.Builder
		for _, r := range w {
			switch {
			case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
				part.WriteRune(r)
			case cyrillicLatin[r] != "":
				part.WriteString(cyrillicLatin[r])
			}
		}
		if part.Len() == 0 {
			continue
		}
		if b.Len()+1+part.Len() > maxSlugLen {
			if b.Len() == 0 {
				b.WriteString(part.String()[:maxSlugLen])
			}
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(part.String())
	}
	return b.String()
}

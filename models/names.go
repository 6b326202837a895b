package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold lower-cases s and strips its accents (é → e, ё → е, й → и), so that comparisons and search
// are case- and accent-insensitive in every script.
func fold(s string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
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

package views

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charter/models"
)

// Cards are 1200×630 PNGs in either language; a name the fonts cannot draw is refused rather
// than drawn as boxes, and a long name still fits.
func TestShareCards(t *testing.T) {
	ru := WithLang(context.Background(), Russian)
	sig := func(name string) models.PublicSignatory {
		return models.PublicSignatory{Name: name, Category: models.CategoryCivilSociety, Country: "FR"}
	}
	cards := map[string]func() ([]byte, error){
		"charter":    func() ([]byte, error) { return CharterCard(context.Background(), 1234) },
		"charter-ru": func() ([]byte, error) { return CharterCard(ru, 1234) },
		"latin": func() ([]byte, error) {
			return SignatoryCard(context.Background(), sig("Fondation Œuvre d’Enfance — Société Générale"))
		},
		"cyrillic": func() ([]byte, error) {
			return SignatoryCard(ru, sig("Государственное бюджетное общеобразовательное учреждение «Школа № 1234»"))
		},
		"greek": func() ([]byte, error) {
			return SignatoryCard(context.Background(), sig("Ίδρυμα Παιδικής Προστασίας"))
		},
		"long": func() ([]byte, error) {
			return SignatoryCard(context.Background(), sig(strings.Repeat("Association for the Protection of Children Online ", 5)))
		},
		"oneword": func() ([]byte, error) {
			return SignatoryCard(context.Background(), sig(strings.Repeat("Kinderschutzbund", 6)))
		},
	}
	dump := os.Getenv("CHARTER_CARD_DIR") // to look at them
	for name, draw := range cards {
		b, err := draw()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r := img.Bounds(); r.Dx() != CardWidth || r.Dy() != CardHeight {
			t.Errorf("%s: %v", name, r)
		}
		if dump != "" {
			os.WriteFile(filepath.Join(dump, name+".png"), b, 0o644)
		}
	}
	for _, name := range []string{"日本こども財団", "Фонд 子ども", "جمعية حماية الطفل", "עמותת ילדים", "बाल संरक्षण", "Kids 🙂 Club"} {
		if _, err := SignatoryCard(context.Background(), sig(name)); !errors.Is(err, ErrNotDrawable) {
			t.Errorf("%q: %v, want ErrNotDrawable", name, err)
		}
	}
}

package views

import (
	"context"
	"testing"

	"charter/models"
)

// BenchmarkSignatoryCard draws one signatory's share card, as a card's first request does.
func BenchmarkSignatoryCard(b *testing.B) {
	s := models.PublicSignatory{Name: "Государственное бюджетное общеобразовательное учреждение «Школа № 1234»",
		Category: models.CategoryAcademia, Country: "RU"}
	ctx := WithLang(context.Background(), Russian)
	for b.Loop() {
		if _, err := SignatoryCard(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

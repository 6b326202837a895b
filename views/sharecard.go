package views

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"charter/models"
)

// The share cards are the pictures a link to the site shows on social networks and in chats:
// PNG (platforms do not take SVG), 1200 by 630 as OpenGraph and Twitter's large card expect.
// Text is shaped with go-text (HarfBuzz's rules, in Go) in Noto Sans, embedded with its licence
// (fonts/OFL.txt): Latin, Greek and Cyrillic. A name in any other script cannot be drawn; its
// page then shows the charter's card, never boxes of missing glyphs.
const (
	CardWidth  = 1200
	CardHeight = 630
)

var (
	//go:embed fonts/NotoSans-Regular.ttf
	notoRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	notoBold []byte
)

// ErrNotDrawable is returned for a card whose text has a character the embedded fonts lack.
var ErrNotDrawable = errors.New("views: the card's text has characters the embedded fonts lack")

// cardFonts are the parsed faces and the shaper. A face and a shaper keep caches that are not
// safe for concurrent use, so cards are drawn one at a time (they are drawn once per public
// state and cached).
var cardFonts struct {
	sync.Mutex
	once          sync.Once
	regular, bold *font.Face
	shaper        shaping.HarfbuzzShaper
	wrapper       shaping.LineWrapper
	segmenter     shaping.Segmenter
}

func loadCardFonts() {
	parse := func(b []byte) *font.Face {
		f, err := font.ParseTTF(bytes.NewReader(b))
		if err != nil {
			panic("views: embedded font: " + err.Error())
		}
		return f
	}
	cardFonts.regular, cardFonts.bold = parse(notoRegular), parse(notoBold)
}

// The card's colours: the site's header blue, white and pale blue text, the focus yellow.
var (
	cardBackground = color.RGBA{0x1d, 0x4f, 0x91, 0xff}
	cardBand       = color.RGBA{0x14, 0x3a, 0x6b, 0xff}
	cardWhite      = color.RGBA{0xff, 0xff, 0xff, 0xff}
	cardPale       = color.RGBA{0xdc, 0xe6, 0xf3, 0xff}
	cardYellow     = color.RGBA{0xff, 0xbf, 0x47, 0xff}
)

// cardMargin is the space around the text.
const cardMargin = 80

// cardText is one block of text on a card: drawn from top, wrapped to the card's width, at the
// largest of sizes whose lines fit in maxLines and maxHeight.
type cardText struct {
	text      string
	bold      bool
	color     color.RGBA
	sizes     []float32
	maxLines  int
	maxHeight float32
}

// CharterCard draws the charter's card in the language of ctx: its name, what it is and how many
// have signed it.
func CharterCard(ctx context.Context, total int64) ([]byte, error) {
	return drawCard(
		cardText{text: T(ctx, "site.name"), bold: true, color: cardWhite, sizes: []float32{84, 76, 68, 60}, maxLines: 3, maxHeight: 300},
		cardText{text: T(ctx, "share.card_tagline"), color: cardPale, sizes: []float32{38, 34, 30}, maxLines: 2, maxHeight: 110},
		cardText{text: TN(ctx, "share.card_count", total), bold: true, color: cardYellow, sizes: []float32{40, 34}, maxLines: 1, maxHeight: 60},
	)
}

// SignatoryCard draws a signatory's card in the language of ctx: its name, as large as fits, and
// its category and country. It returns ErrNotDrawable when the name has a character the fonts
// lack: show the charter's card instead.
func SignatoryCard(ctx context.Context, s models.PublicSignatory) ([]byte, error) {
	return drawCard(
		cardText{text: T(ctx, "share.card_signed"), color: cardPale, sizes: []float32{34, 30}, maxLines: 2, maxHeight: 100},
		cardText{text: s.Name, bold: true, color: cardWhite, sizes: []float32{96, 88, 80, 72, 64, 56, 50, 44, 40, 36}, maxLines: 5, maxHeight: 300},
		cardText{text: CategoryName(ctx, s.Category) + " · " + CountryName(ctx, s.Country), color: cardYellow, sizes: []float32{36, 32, 28}, maxLines: 1, maxHeight: 60},
	)
}

// drawCard lays the blocks out from the top, one under the other, the last at the bottom, and
// encodes the PNG.
func drawCard(blocks ...cardText) ([]byte, error) {
	cardFonts.Lock()
	defer cardFonts.Unlock()
	cardFonts.once.Do(loadCardFonts)

	img := image.NewRGBA(image.Rect(0, 0, CardWidth, CardHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(cardBackground), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, CardHeight-24, CardWidth, CardHeight), image.NewUniform(cardBand), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(cardMargin, cardMargin-24, cardMargin+96, cardMargin-16), image.NewUniform(cardYellow), image.Point{}, draw.Src)

	laid := make([]laidText, len(blocks))
	for i, b := range blocks {
		l, err := layOut(b)
		if err != nil {
			return nil, err
		}
		laid[i] = l
	}
	y := float32(cardMargin)
	for i, l := range laid {
		if i == len(laid)-1 && len(laid) > 1 {
			y = CardHeight - cardMargin - l.height // the last block sits at the bottom
		}
		l.draw(img, cardMargin, y)
		y += l.height + 28
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// laidText is a block of text shaped and wrapped into lines.
type laidText struct {
	lines      []shaping.Line
	size       float32
	lineHeight float32
	ascent     float32
	height     float32
	color      color.RGBA
}

// layOut shapes and wraps b at the largest size that fits; at the smallest, it keeps maxLines
// lines and ends the last with an ellipsis.
func layOut(b cardText) (laidText, error) {
	face := cardFonts.regular
	if b.bold {
		face = cardFonts.bold
	}
	runes := []rune(b.text)
	if !hasGlyphs(face, runes) {
		return laidText{}, ErrNotDrawable
	}
	width := fixed.I(CardWidth - 2*cardMargin)
	for i, size := range b.sizes {
		last := i == len(b.sizes)-1
		runs := shapeRuns(runes, face, size)
		for _, run := range runs {
			for _, g := range run.Glyphs {
				if g.GlyphID == 0 {
					return laidText{}, ErrNotDrawable
				}
			}
		}
		cfg := shaping.WrapConfig{BreakPolicy: shaping.WhenNecessary}
		if last {
			cfg.TruncateAfterLines = b.maxLines
			cfg.Truncator = cardFonts.shaper.Shape(shaping.Input{Text: []rune("…"), RunEnd: 1, Direction: di.DirectionLTR,
				Face: face, Size: fixed.Int26_6(size * 64), Script: language.Latin, Language: language.NewLanguage("en")})
		}
		wrapped, _ := cardFonts.wrapper.WrapParagraph(cfg, width.Round(), runes, shaping.NewSliceIterator(runs))
		lines := make([]shaping.Line, len(wrapped)) // the wrapper reuses its memory on the next call
		for i, line := range wrapped {
			lines[i] = make(shaping.Line, len(line))
			for j, run := range line {
				run.Glyphs = append([]shaping.Glyph(nil), run.Glyphs...)
				lines[i][j] = run
			}
		}
		l := laidText{lines: lines, size: size, lineHeight: size * 1.22, ascent: size * 1.0, color: b.color}
		l.height = l.lineHeight * float32(len(lines))
		if last || len(lines) <= b.maxLines && l.height <= b.maxHeight {
			return l, nil
		}
	}
	panic("unreachable")
}

// CardDrawable reports whether a signatory's name can be drawn on its card: whether the font
// has a glyph for each of its characters.
func CardDrawable(name string) bool {
	cardFonts.Lock()
	defer cardFonts.Unlock()
	cardFonts.once.Do(loadCardFonts)
	return hasGlyphs(cardFonts.bold, []rune(name))
}

// hasGlyphs reports whether face has a glyph for every character of text that is drawn.
func hasGlyphs(face *font.Face, text []rune) bool {
	for _, r := range text {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Variation_Selector, r) || r == '\u200d' || r == '\u200c' {
			continue
		}
		if _, ok := face.NominalGlyph(r); !ok {
			return false
		}
	}
	return true
}

// shapeRuns splits text into runs of one script and direction and shapes each.
func shapeRuns(text []rune, face *font.Face, size float32) []shaping.Output {
	in := shaping.Input{Text: text, RunEnd: len(text), Direction: di.DirectionLTR, Face: face,
		Size: fixed.Int26_6(size * 64), Language: language.NewLanguage("en")}
	inputs := cardFonts.segmenter.Split(in, oneFace{face})
	out := make([]shaping.Output, len(inputs))
	for i, input := range inputs {
		out[i] = cardFonts.shaper.Shape(input)
	}
	return out
}

// oneFace is a shaping.Fontmap with a single face.
type oneFace struct{ face *font.Face }

func (f oneFace) ResolveFace(rune) *font.Face { return f.face }

// draw fills the glyphs of l on img, the top of its first line at (x, top).
func (l laidText) draw(img *image.RGBA, x, top float32) {
	r := vector.NewRasterizer(CardWidth, CardHeight)
	baseline := top + l.ascent
	for _, line := range l.lines {
		dot := x
		for _, run := range visualOrder(line) {
			scale := l.size / float32(run.Face.Upem())
			for _, g := range run.Glyphs {
				gx := dot + fromFixed(g.XOffset)
				gy := baseline - fromFixed(g.YOffset)
				if outline, ok := run.Face.GlyphData(g.GlyphID).(font.GlyphOutline); ok {
					addOutline(r, outline, gx, gy, scale)
				}
				dot += fromFixed(g.Advance)
			}
		}
		baseline += l.lineHeight
	}
	r.Draw(img, img.Bounds(), image.NewUniform(l.color), image.Point{})
}

// visualOrder returns the runs of a line from left to right.
func visualOrder(line shaping.Line) []shaping.Output {
	out := make([]shaping.Output, len(line))
	for _, run := range line {
		if i := int(run.VisualIndex); i >= 0 && i < len(out) {
			out[i] = run
		}
	}
	return out
}

// addOutline adds a glyph's outline, in font units with y up, to the rasterizer at (x, y) in
// pixels with y down.
func addOutline(r *vector.Rasterizer, o font.GlyphOutline, x, y, scale float32) {
	pt := func(p ot.SegmentPoint) (float32, float32) { return x + p.X*scale, y - p.Y*scale }
	open := false
	for _, s := range o.Segments {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if open {
				r.ClosePath()
			}
			r.MoveTo(pt(s.Args[0]))
			open = true
		case ot.SegmentOpLineTo:
			r.LineTo(pt(s.Args[0]))
		case ot.SegmentOpQuadTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			r.QuadTo(x1, y1, x2, y2)
		case ot.SegmentOpCubeTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			x3, y3 := pt(s.Args[2])
			r.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	if open {
		r.ClosePath()
	}
}

func fromFixed(v fixed.Int26_6) float32 { return float32(v) / 64 }

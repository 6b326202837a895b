package views

import (
	"context"
	_ "embed"
	"encoding/json"
	"sort"
	"strconv"
	"sync"

	"charter/models"
)

// worldmapJSON is the geometry of the signatories map: Natural Earth's countries (public domain)
// projected to SVG paths keyed by ISO 3166-1 alpha-2 code, made once by tools/worldmap/convert.mjs.
//
//go:embed worldmap.json
var worldmapJSON []byte

// worldGeometry is worldmapJSON read.
type worldGeometry struct {
	Source string
	Width  int
	Height int
	// Shapes are the countries drawn as shapes; a shape without an ID is a land with no ISO code
	// (Kosovo, Northern Cyprus, Somaliland), drawn but never linked.
	Shapes []struct{ ID, D string }
	// Dots are the centres of the countries too small for the map's scale (Singapore, Malta).
	Dots []struct {
		ID   string
		X, Y float64
	}
}

var worldmap = sync.OnceValue(func() worldGeometry {
	var g worldGeometry
	if err := json.Unmarshal(worldmapJSON, &g); err != nil {
		panic("views: worldmap.json: " + err.Error())
	}
	return g
})

// MapLevels are the lower bounds of the map's shades, on a scale of powers of ten: one
// signatory, a few, tens, hundreds, thousands. A country's shade is the last bound it reaches.
var MapLevels = []int64{1, 2, 10, 100, 1000}

// MapLevel is the shade of a country with n signatories: 0 for none, else 1 to len(MapLevels).
func MapLevel(n int64) int {
	level := 0
	for i, min := range MapLevels {
		if n >= min {
			level = i + 1
		}
	}
	return level
}

// mapCountry is one country of the map and of its table.
type mapCountry struct {
	Code, Name string
	Count      int64
	Level      int
}

// mapCountries names the countries with signatories, most signatories first, then by name in
// the language of ctx.
func mapCountries(ctx context.Context, counts []models.CountryCount) []mapCountry {
	opts := DirectoryCountries(ctx, counts) // by name
	out := make([]mapCountry, 0, len(opts))
	for _, c := range opts {
		if c.Count > 0 {
			out = append(out, mapCountry{Code: c.Code, Name: c.Name, Count: c.Count, Level: MapLevel(c.Count)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// mapView is what the map's template draws: each shape with its country, if it has signatories.
type mapView struct {
	Width, Height int
	Shapes        []mapShape
	Dots          []mapDot
	Countries     []mapCountry // the table
}

type mapShape struct {
	D       string
	Country *mapCountry // nil: no signatory there
}

type mapDot struct {
	X, Y    string
	Country mapCountry
}

func newMapView(ctx context.Context, counts []models.CountryCount) mapView {
	g := worldmap()
	v := mapView{Width: g.Width, Height: g.Height, Countries: mapCountries(ctx, counts)}
	byCode := make(map[string]*mapCountry, len(v.Countries))
	for i := range v.Countries {
		byCode[v.Countries[i].Code] = &v.Countries[i]
	}
	v.Shapes = make([]mapShape, len(g.Shapes))
	for i, s := range g.Shapes {
		v.Shapes[i] = mapShape{D: s.D, Country: byCode[s.ID]}
	}
	for _, d := range g.Dots {
		if c, ok := byCode[d.ID]; ok {
			v.Dots = append(v.Dots, mapDot{X: fmtCoord(d.X), Y: fmtCoord(d.Y), Country: *c})
		}
	}
	return v
}

func fmtCoord(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// mapLegend is the label of each shade: "1", "2–9", …, "1,000 or more".
func mapLegend(ctx context.Context) []string {
	out := make([]string, len(MapLevels))
	for i, min := range MapLevels {
		switch {
		case i == len(MapLevels)-1:
			out[i] = T(ctx, "map.legend_more", "Min", Number(ctx, min))
		case MapLevels[i+1]-1 == min:
			out[i] = Number(ctx, min)
		default:
			out[i] = T(ctx, "map.legend_range", "Min", Number(ctx, min), "Max", Number(ctx, MapLevels[i+1]-1))
		}
	}
	return out
}

func mapCountryURL(ctx context.Context, code string) string {
	return Href(ctx, ListURL(models.DirectoryQuery{Country: code}))
}

func mapTitle(ctx context.Context, c mapCountry) string {
	return TN(ctx, "map.country_count", c.Count, "Name", c.Name)
}

func mapClass(level int) string { return "map-l" + strconv.Itoa(level) }

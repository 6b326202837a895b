package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charter/models"
)

// The growth chart's drawing area, in SVG units: the viewBox is chartWidth by chartHeight, the
// plot sits inside the margins, where the axes' labels go.
const (
	chartWidth  = 720
	chartHeight = 300
	chartLeft   = 64
	chartRight  = 16
	chartTop    = 16
	chartBottom = 56
)

// chartColors are the lines of the categories, in the order of models.Categories (repeating if
// there are more); each has at least 3:1 contrast with the white page. The total is drawn in ink.
var chartColors = []string{"#1d5fa8", "#b3481e", "#1e6b3a", "#7a3b9a", "#8a6400", "#a0306a", "#2f6f7a"}

// growthChart is what the chart's template draws.
type growthChart struct {
	Months []models.GrowthMonth
	Lines  []chartLine
	YTicks []chartTick
	XTicks []chartTick
	// Plot bounds, for the axes.
	X0, X1, Y0, Y1 int
}

type chartLine struct {
	Name, Color, D string
	Total          bool
	Last           int64
}

type chartTick struct {
	Pos   string // x or y in the viewBox
	Label string
}

// niceStep is the smallest of 1, 2, 5 × a power of ten that is at least n and at least 1: the
// distance between the lines of the chart's grid.
func niceStep(n int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if m*p >= n {
				return m * p
			}
		}
	}
}

func newGrowthChart(ctx context.Context, months []models.GrowthMonth) growthChart {
	c := growthChart{Months: months, X0: chartLeft, X1: chartWidth - chartRight, Y0: chartHeight - chartBottom, Y1: chartTop}
	if len(months) == 0 {
		return c
	}
	total := months[len(months)-1].Total
	step := niceStep((total + 3) / 4) // four or five lines
	top := max((total+step-1)/step*step, step)
	band := float64(c.X1-c.X0) / float64(len(months))
	x := func(i int) float64 { return float64(c.X0) + band*float64(i) }
	y := func(v int64) float64 { return float64(c.Y0) - float64(c.Y0-c.Y1)*float64(v)/float64(top) }
	for v := int64(0); v <= top; v += step {
		c.YTicks = append(c.YTicks, chartTick{Pos: coord(y(v)), Label: Number(ctx, v)})
	}
	every := (len(months) + 5) / 6 // at most six labels on the axis
	for i, m := range months {
		if i%every == 0 {
			c.XTicks = append(c.XTicks, chartTick{Pos: coord(x(i) + band/2), Label: shortMonth(ctx, m.Month)})
		}
	}
	// A step line: each month holds its count across its band.
	step_ := func(value func(models.GrowthMonth) int64) string {
		var b strings.Builder
		for i, m := range months {
			v := coord(y(value(m)))
			if i == 0 {
				fmt.Fprintf(&b, "M%s,%s", coord(x(0)), v)
			} else {
				fmt.Fprintf(&b, "V%s", v)
			}
			fmt.Fprintf(&b, "H%s", coord(x(i+1)))
		}
		return b.String()
	}
	last := months[len(months)-1]
	c.Lines = append(c.Lines, chartLine{Name: T(ctx, "chart.total"), Color: "#1b1f24", Total: true, Last: last.Total,
		D: step_(func(m models.GrowthMonth) int64 { return m.Total })})
	for i, cat := range models.Categories {
		c.Lines = append(c.Lines, chartLine{Name: CategoryName(ctx, cat), Color: chartColors[i%len(chartColors)], Last: last.ByCategory[i],
			D: step_(func(m models.GrowthMonth) int64 { return m.ByCategory[i] })})
	}
	return c
}

func coord(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// shortMonth is a month on the chart's axis: "Jan 2026", "янв. 2026".
func shortMonth(ctx context.Context, t time.Time) string {
	return T(ctx, "chart.month_year", "Month", T(ctx, fmt.Sprintf("chart.mon.%d", int(t.Month()))), "Year", strconv.Itoa(t.Year()))
}

// longMonth is a month in the chart's table: "January 2026", "январь 2026".
func longMonth(ctx context.Context, t time.Time) string {
	return T(ctx, "chart.month_year", "Month", T(ctx, fmt.Sprintf("chart.month.%d", int(t.Month()))), "Year", strconv.Itoa(t.Year()))
}

func chartViewBox() string {
	return "0 0 " + strconv.Itoa(chartWidth) + " " + strconv.Itoa(chartHeight)
}

func chartN(n int) string { return strconv.Itoa(n) }

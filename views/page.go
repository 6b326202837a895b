package views

import "context"

// pageKey is the context key of the page being written: its language and its address, in one
// value since every request sets both.
type pageKey struct{}

type page struct {
	lang Lang
	path string
}

func pageOf(ctx context.Context) page {
	p, _ := ctx.Value(pageKey{}).(page)
	return p
}

// WithPage returns ctx carrying the language the page is written in and its address, without
// its language prefix and with its query (/signatories?q=x for /ru/signatories?q=x): the layout
// links to the page in the other languages from it.
func WithPage(ctx context.Context, l Lang, path string) context.Context {
	return context.WithValue(ctx, pageKey{}, page{lang: l, path: path})
}

// PathOf is the address WithPage put in ctx, if any.
func PathOf(ctx context.Context) (string, bool) {
	p := pageOf(ctx).path
	return p, p != ""
}

package views

import "context"

type pathKey struct{}

// WithPath returns ctx carrying the address of the page being written, without its language
// prefix and with its query (/signatories?q=x for /ru/signatories?q=x): the layout links to the
// page in the other languages from it.
func WithPath(ctx context.Context, path string) context.Context {
	return context.WithValue(ctx, pathKey{}, path)
}

// PathOf is the address WithPath put in ctx, if any.
func PathOf(ctx context.Context) (string, bool) {
	p, ok := ctx.Value(pathKey{}).(string)
	return p, ok && p != ""
}

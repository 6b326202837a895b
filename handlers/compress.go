package handlers

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Responses are compressed once, when first asked for in an encoding, and the compressed bytes
// are kept beside the identity bytes: a cached page or an asset is never compressed per request.

// minCompressSize is the smallest body worth compressing: below it the saving is a few hundred
// bytes at most, less than the headers cost.
const minCompressSize = 1024

// encoding is a content coding the site sends.
type encoding int

const (
	identity encoding = iota
	encGzip
	encBrotli
)

// token is the encoding's name in Content-Encoding, and the suffix of the ETag of a response in it.
func (e encoding) token() string {
	switch e {
	case encGzip:
		return "gzip"
	case encBrotli:
		return "br"
	}
	return ""
}

// negotiate picks the encoding of a response from the request's Accept-Encoding (RFC 9110
// 12.5.3): brotli when the client takes it at least as gladly as gzip, else gzip, else identity,
// which is also the answer when the header is absent or names neither. It is on every cached
// response, so it allocates nothing.
func negotiate(accept string) encoding {
	if accept == "" {
		return identity
	}
	br, gz := encodingWeights(accept)
	switch {
	case br > 0 && br >= gz:
		return encBrotli
	case gz > 0:
		return encGzip
	}
	return identity
}

// encodedBody is a response kept in memory: its body in each encoding, each made on first use
// together with the header values it is sent with, so that sending it costs a map assignment per
// header and no allocation.
type encodedBody struct {
	identity []byte
	// compressible: the body is large enough and of a kind (text) that compresses.
	compressible bool
	// tag, contentType and cacheControl are the ETag (of the identity form), Content-Type and
	// Cache-Control of every response that sends it.
	tag, contentType, cacheControl string

	once [3]sync.Once
	reps [3]*representation // by encoding
}

// representation is a body in one encoding with the values of the headers it is sent with. The
// values are shared by every response that sends it: a header's value is never changed in place,
// only replaced, and each has capacity 1, so that an Add copies rather than writes into it.
type representation struct {
	body []byte
	tag  string // its entity tag, which names the encoding
	// Header values; contentEncoding is nil for identity.
	etag, contentType, contentLength, contentEncoding, cacheControl []string
}

func newEncodedBody(body []byte, compressible bool, tag, contentType, cacheControl string) *encodedBody {
	return &encodedBody{identity: body, compressible: compressible && len(body) >= minCompressSize,
		tag: tag, contentType: contentType, cacheControl: cacheControl}
}

// in returns the body in the encoding e, or in identity when it is not worth compressing.
func (b *encodedBody) in(e encoding) *representation {
	if !b.compressible {
		e = identity
	}
	b.once[e].Do(func() {
		body := b.identity
		if e != identity {
			if body = compress(b.identity, e); body == nil {
				b.reps[e] = b.in(identity)
				return
			}
		}
		r := &representation{body: body, tag: withSuffix(b.tag, e.token())}
		r.etag = headerValue(r.tag)
		r.contentType = headerValue(b.contentType)
		r.contentLength = headerValue(strconv.Itoa(len(body)))
		r.cacheControl = headerValue(b.cacheControl)
		if e != identity {
			r.contentEncoding = headerValue(e.token())
		}
		b.reps[e] = r
	})
	return b.reps[e]
}

// headerValue is a header's value to be shared by many responses: capacity 1, so that an Add
// copies it rather than writing into it.
func headerValue(v string) []string { return []string{v}[:1:1] }

// compress returns body in encoding e, or nil if that saves nothing.
func compress(body []byte, e encoding) []byte {
	var buf bytes.Buffer
	switch e {
	case encGzip:
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(body)
		w.Close()
	case encBrotli:
		w := brotli.NewWriterLevel(&buf, 9) // 10 and 11 are several times slower for a few % more
		w.Write(body)
		w.Close()
	}
	if buf.Len() >= len(body) {
		return nil
	}
	return bytes.Clone(buf.Bytes())
}

// acceptedEncodings returns the stored encodings that an Accept-Encoding header accepts, the
// highest weight first, brotli before gzip on a tie. Identity is always acceptable after them.
func acceptedEncodings(accept string) []string {
	br, gz := encodingWeights(accept)
	var out []string
	if br > 0 {
		out = append(out, "br")
	}
	if gz > 0 {
		out = append(out, "gzip")
	}
	if len(out) == 2 && gz > br {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

// encodingWeights returns the weights (q) an Accept-Encoding header gives brotli and gzip: the
// one given by name (x-gzip is gzip), else the one of "*", else 0.
func encodingWeights(accept string) (br, gz float64) {
	star, brSet, gzSet := 0.0, false, false
	for part := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if q, ok = parseQ(v); !ok {
					q = 0
				}
			}
		}
		switch {
		case name == "*":
			star = q
		case strings.EqualFold(name, "br"):
			br, brSet = q, true
		case strings.EqualFold(name, "gzip"):
			gz, gzSet = q, true
		case strings.EqualFold(name, "x-gzip"):
			gz, gzSet = max(gz, q), true
		}
	}
	if !brSet {
		br = star
	}
	if !gzSet {
		gz = star
	}
	return br, gz
}

func parseQ(v string) (float64, bool) {
	q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return q, err == nil && q >= 0 && q <= 1
}

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
// which is also the answer when the header is absent or names neither.
func negotiate(accept string) encoding {
	if accept == "" {
		return identity
	}
	qBr, qGzip, qAny := -1.0, -1.0, -1.0
	for part := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		q := 1.0
		if p := strings.TrimSpace(params); p != "" {
			k, v, _ := strings.Cut(p, "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					continue
				}
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			qBr = q
		case "gzip", "x-gzip":
			qGzip = q
		case "*":
			qAny = q
		}
	}
	if qBr < 0 {
		qBr = qAny
	}
	if qGzip < 0 {
		qGzip = qAny
	}
	switch {
	case qBr > 0 && qBr >= qGzip:
		return encBrotli
	case qGzip > 0:
		return encGzip
	}
	return identity
}

// encodedBody is a response body and its compressed forms, each made on first use.
type encodedBody struct {
	identity []byte
	// compressible: the body is large enough and of a kind (text) that compresses.
	compressible bool
	once         [3]sync.Once
	encoded      [3][]byte
}

func newEncodedBody(body []byte, compressible bool) *encodedBody {
	return &encodedBody{identity: body, compressible: compressible && len(body) >= minCompressSize}
}

// in returns the body in the encoding e, or in identity (and identity) when it is not worth
// compressing.
func (b *encodedBody) in(e encoding) ([]byte, encoding) {
	if e == identity || !b.compressible {
		return b.identity, identity
	}
	b.once[e].Do(func() { b.encoded[e] = compress(b.identity, e) })
	if b.encoded[e] == nil {
		return b.identity, identity
	}
	return b.encoded[e], e
}

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

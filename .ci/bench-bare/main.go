// Command bench-bare is the yardstick of .ci/bench-directory.sh: a bare net/http server, with no
// router and no middleware, that answers every GET with the bytes of a page fetched once from the
// real server (and its gzip form to clients that take gzip). The real server's throughput is
// reported as a fraction of this one's, measured in the same run. At /same-headers it also sends
// the response headers the real server sends with the page (-headers, as `curl -D` writes
// them), so that the two differ only in the work of making the response, not in its size.
//
//	go run ./.ci/bench-bare -addr 127.0.0.1:18090 -body page.html -gzip page.html.gz -headers page.headers
package main

import (
	"bufio"
	"bytes"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "address to listen on")
	bodyFile := flag.String("body", "", "file holding the page's bytes")
	gzipFile := flag.String("gzip", "", "file holding the page's gzip bytes (optional)")
	headerFile := flag.String("headers", "", "file holding the real server's response headers (optional)")
	flag.Parse()
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		log.Fatal(err)
	}
	var gz []byte
	if *gzipFile != "" {
		if gz, err = os.ReadFile(*gzipFile); err != nil {
			log.Fatal(err)
		}
	}
	same := http.Header{}
	if *headerFile != "" {
		raw, err := os.ReadFile(*headerFile)
		if err != nil {
			log.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for sc.Scan() {
			name, value, ok := strings.Cut(sc.Text(), ":")
			switch http.CanonicalHeaderKey(strings.TrimSpace(name)) {
			case "", "Content-Length", "Content-Encoding", "Date", "Transfer-Encoding":
				continue // set per response, as the real server does
			}
			if ok {
				same.Add(strings.TrimSpace(name), strings.TrimSpace(value))
			}
		}
	}
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := body
		h := w.Header()
		if r.URL.Path == "/same-headers" {
			for k, v := range same {
				h[k] = v
			}
		}
		h.Set("Content-Type", "text/html; charset=UTF-8")
		if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			b = gz
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})))
}

package publiclog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// PageSize is how many entries Verify asks for at a time: the most the server gives.
const PageSize = 1000

// maxResponse bounds what Verify reads of one answer (a page of entries is well under it).
const maxResponse = 16 << 20

// VerifyOptions are the inputs of Verify besides the site's address.
type VerifyOptions struct {
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Key is the verifier key to trust; empty fetches the site's /log/key.
	Key string
	// Last is the signed checkpoint the previous check accepted (the state file); empty on the
	// first check.
	Last []byte
}

// Verified is what a successful Verify saw.
type Verified struct {
	Checkpoint Checkpoint
	Signed     []byte // the signed checkpoint, to keep for the next check
	Key        string // the verifier key used
	Last       *Checkpoint
}

// Verify checks the public log of the site at baseURL, as `charter verify-log` does: the signed
// checkpoint verifies with the key; it extends the checkpoint of the last check, if any (same
// origin, not smaller, the same tree at the same size, and a consistency proof from the old to
// the new); and every entry, downloaded and hashed again here, gives the checkpoint's tree (and,
// on the way, the last check's tree at its size). Any mismatch is an error saying what.
func Verify(ctx context.Context, baseURL string, opt VerifyOptions) (*Verified, error) {
	baseURL = strings.TrimRight(baseURL, "/")
	origin, err := Origin(baseURL)
	if err != nil {
		return nil, err
	}
	c := &client{http: opt.Client, base: baseURL}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	key := strings.TrimSpace(opt.Key)
	if key == "" {
		b, err := c.get(ctx, "/log/key")
		if err != nil {
			return nil, err
		}
		key = strings.TrimSpace(string(b))
	}
	signed, err := c.get(ctx, "/log/checkpoint")
	if err != nil {
		return nil, err
	}
	cp, err := OpenCheckpoint(signed, key)
	if err != nil {
		return nil, err
	}
	if cp.Origin != origin {
		return nil, fmt.Errorf("the checkpoint is of the log %q, not %q", cp.Origin, origin)
	}
	v := &Verified{Checkpoint: cp, Signed: signed, Key: key}

	if len(bytes.TrimSpace(opt.Last)) > 0 {
		last, err := OpenCheckpoint(opt.Last, key)
		if err != nil {
			return nil, fmt.Errorf("the last checkpoint (state file): %w", err)
		}
		v.Last = &last
		if last.Origin != cp.Origin {
			return nil, fmt.Errorf("the last checkpoint was of the log %q, this one is of %q", last.Origin, cp.Origin)
		}
		switch {
		case cp.Size < last.Size:
			return nil, fmt.Errorf("ROLLED BACK: the log now has %d entries, but it had %d when last checked", cp.Size, last.Size)
		case cp.Size == last.Size && cp.Hash != last.Hash:
			return nil, fmt.Errorf("FORKED: the log has %d entries, as when last checked, but a different tree (%v, was %v): the site signed two different logs", cp.Size, cp.Hash, last.Hash)
		case cp.Size > last.Size && last.Size > 0:
			body, err := c.get(ctx, "/log/proof/consistency?old="+strconv.FormatInt(last.Size, 10)+"&new="+strconv.FormatInt(cp.Size, 10))
			if err != nil {
				return nil, err
			}
			proof, err := ParseProof(body)
			if err != nil {
				return nil, fmt.Errorf("the consistency proof: %w", err)
			}
			if err := tlog.CheckTree(proof, cp.Size, cp.Hash, last.Size, last.Hash); err != nil {
				return nil, fmt.Errorf("FORKED: the log of %d entries does not extend the one of %d checked last time: %v", cp.Size, last.Size, err)
			}
		}
	}

	var tree TreeBuilder
	for start := int64(0); start < cp.Size; start += PageSize {
		end := min(cp.Size, start+PageSize)
		body, err := c.get(ctx, "/log/entries?start="+strconv.FormatInt(start, 10)+"&end="+strconv.FormatInt(end, 10))
		if err != nil {
			return nil, err
		}
		texts := SplitEntries(body)
		if int64(len(texts)) != end-start {
			return nil, fmt.Errorf("asked for entries %d to %d, got %d", start, end-1, len(texts))
		}
		for _, text := range texts {
			n := tree.Size()
			e, err := ParseEntry(text)
			if err != nil {
				return nil, fmt.Errorf("entry %d: %w", n, err)
			}
			if e.Index != n {
				return nil, fmt.Errorf("entry %d says it is entry %d", n, e.Index)
			}
			tree.Add(text)
			if v.Last != nil && tree.Size() == v.Last.Size && tree.Hash() != v.Last.Hash {
				return nil, fmt.Errorf("TAMPERED: the first %d entries no longer hash to the tree checked last time", v.Last.Size)
			}
		}
	}
	if tree.Hash() != cp.Hash {
		return nil, fmt.Errorf("TAMPERED: the %d entries served hash to %v, but the signed checkpoint says %v: an entry or the stored tree was altered", cp.Size, tree.Hash(), cp.Hash)
	}
	return v, nil
}

// client fetches the log's plain-text answers.
type client struct {
	http *http.Client
	base string
}

func (c *client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if len(body) > maxResponse {
		return nil, fmt.Errorf("GET %s: the answer is larger than %d bytes", path, maxResponse)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, firstLine(body))
	}
	return body, nil
}

func firstLine(b []byte) string {
	line, _, _ := strings.Cut(string(b), "\n")
	if len(line) > 200 {
		line = line[:200]
	}
	return line
}

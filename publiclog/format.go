// Package publiclog holds the formats of the charter's public log (docs/log.md) and the client
// that verifies a log over HTTP (Verify, run by `charter verify-log`). The server side, which
// appends entries and stores the tree, is in models; both speak the formats defined here.
//
// The log is a Merkle tree in the RFC 6962 style of Go's checksum database
// (golang.org/x/mod/sumdb/tlog); its checkpoints are signed notes (golang.org/x/mod/sumdb/note)
// in the C2SP tlog-checkpoint format.
package publiclog

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Event is what an entry of the log records. The values are written into entries, which are
// forever, so they never change.
type Event string

// The events of the public log.
const (
	EventApproved   Event = "approve"  // a reviewer approved: the organisation is on the public list
	EventCorrected  Event = "correct"  // a reviewer corrected a public field
	EventWithdrawn  Event = "withdraw" // the organisation withdrew its signature
	EventRevoked    Event = "revoke"   // a reviewer revoked the signature
	EventReaffirmed Event = "reaffirm" // the organisation re-affirmed a new version of the charter
)

// AllEvents lists every event.
var AllEvents = []Event{EventApproved, EventCorrected, EventWithdrawn, EventRevoked, EventReaffirmed}

// Entry is one entry of the log: public facts only, never contact data.
type Entry struct {
	Index          int64
	Time           time.Time
	Event          Event
	Slug           string
	Name           string
	Country        string
	CharterVersion string
}

// entryKeys are the keys of an entry's lines, in their order.
var entryKeys = []string{"index", "time", "event", "slug", "name", "country", "charter-version"}

// ErrBadValue is returned by Text for a value that would make the text ambiguous.
var ErrBadValue = errors.New("a value of a log entry is not one line of UTF-8 text")

// Text returns the canonical text of e, the bytes hashed into the tree: one line per field,
// "key value\n", in a fixed order; the time in UTC, RFC 3339, to the second.
func (e Entry) Text() ([]byte, error) {
	values := []string{
		strconv.FormatInt(e.Index, 10), e.Time.UTC().Format(time.RFC3339), string(e.Event),
		e.Slug, e.Name, e.Country, e.CharterVersion,
	}
	var b bytes.Buffer
	for i, v := range values {
		if !oneLine(v) {
			return nil, fmt.Errorf("%w: %s %q", ErrBadValue, entryKeys[i], v)
		}
		b.WriteString(entryKeys[i])
		b.WriteByte(' ')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// oneLine reports whether s is valid UTF-8 without control characters.
func oneLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	return true
}

// ParseEntry reads the canonical text of an entry. It accepts only text that Text would write,
// so that parsing and writing again gives the same bytes.
func ParseEntry(text []byte) (Entry, error) {
	var e Entry
	s := string(text)
	if !strings.HasSuffix(s, "\n") {
		return e, errors.New("an entry ends with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) != len(entryKeys) {
		return e, fmt.Errorf("an entry has %d lines, not %d", len(entryKeys), len(lines))
	}
	values := make([]string, len(lines))
	for i, line := range lines {
		k, v, ok := strings.Cut(line, " ")
		if !ok || k != entryKeys[i] {
			return e, fmt.Errorf("line %d of an entry is not %q", i+1, entryKeys[i])
		}
		values[i] = v
	}
	var err error
	if e.Index, err = strconv.ParseInt(values[0], 10, 64); err != nil || e.Index < 0 {
		return e, fmt.Errorf("bad index %q", values[0])
	}
	if e.Time, err = time.Parse(time.RFC3339, values[1]); err != nil {
		return e, fmt.Errorf("bad time %q", values[1])
	}
	e.Event, e.Slug, e.Name, e.Country, e.CharterVersion = Event(values[2]), values[3], values[4], values[5], values[6]
	again, err := e.Text()
	if err != nil {
		return e, err
	}
	if !bytes.Equal(again, text) {
		return e, errors.New("an entry is not in its canonical form")
	}
	return e, nil
}

// SplitEntries splits the body of /log/entries into the texts of its entries: each entry's text
// ends with a newline, and an empty line separates one from the next.
func SplitEntries(body []byte) [][]byte {
	if len(body) == 0 {
		return nil
	}
	parts := bytes.Split(body, []byte("\n\n"))
	for i := range len(parts) - 1 {
		parts[i] = append(parts[i][:len(parts[i]):len(parts[i])], '\n')
	}
	return parts
}

// JoinEntries is the inverse of SplitEntries.
func JoinEntries(texts [][]byte) []byte {
	return bytes.Join(texts, []byte("\n"))
}

// Origin returns the origin line of the log of a site at baseURL: its host (with the port, if
// any) and path, without the scheme or a trailing slash: https://charter.example.org/ has the
// origin "charter.example.org". It is also the name of the log's key.
func Origin(baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute URL such as https://charter.example.org", baseURL)
	}
	origin := strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/")
	if strings.ContainsAny(origin, " +\t\n") {
		return "", fmt.Errorf("the URL %q cannot name a log", baseURL)
	}
	return origin, nil
}

// Checkpoint is the state of the log at a size: its origin, its number of entries and the hash
// of its tree.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
}

// Text returns the body of the checkpoint, before its signature (C2SP tlog-checkpoint).
func (c Checkpoint) Text() string {
	return c.Origin + "\n" + strconv.FormatInt(c.Size, 10) + "\n" + base64.StdEncoding.EncodeToString(c.Hash[:]) + "\n"
}

// Sign returns the signed checkpoint: its text, a blank line, and the signature line.
func (c Checkpoint) Sign(signer note.Signer) ([]byte, error) {
	return note.Sign(&note.Note{Text: c.Text()}, signer)
}

// OpenCheckpoint verifies a signed checkpoint with the verifier key vkey and parses it.
func OpenCheckpoint(msg []byte, vkey string) (Checkpoint, error) {
	var c Checkpoint
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return c, fmt.Errorf("the log's key: %w", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return c, fmt.Errorf("the checkpoint's signature does not verify with the log's key: %w", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return c, errors.New("the checkpoint has fewer than three lines")
	}
	c.Origin = lines[0]
	if c.Size, err = strconv.ParseInt(lines[1], 10, 64); err != nil || c.Size < 0 || strconv.FormatInt(c.Size, 10) != lines[1] {
		return c, fmt.Errorf("the checkpoint's size %q is not a number", lines[1])
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return c, fmt.Errorf("the checkpoint's hash %q is not a base64 SHA-256", lines[2])
	}
	copy(c.Hash[:], raw)
	return c, nil
}

// FormatProof writes a proof as its hashes in base64, one a line.
func FormatProof(hashes []tlog.Hash) []byte {
	var b bytes.Buffer
	for _, h := range hashes {
		b.WriteString(base64.StdEncoding.EncodeToString(h[:]))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ParseProof reads what FormatProof writes.
func ParseProof(body []byte) ([]tlog.Hash, error) {
	var hashes []tlog.Hash
	s := string(body)
	if s == "" {
		return nil, nil
	}
	if !strings.HasSuffix(s, "\n") {
		return nil, errors.New("a proof ends with a newline")
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		raw, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(raw) != tlog.HashSize {
			return nil, fmt.Errorf("%q is not a base64 SHA-256", line)
		}
		var h tlog.Hash
		copy(h[:], raw)
		hashes = append(hashes, h)
	}
	return hashes, nil
}

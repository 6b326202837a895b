package publiclog_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"charter/publiclog"
)

// Keys are made, written 0600, read back the same, and their verifier checks their signatures;
// many keys, so that some have a '+' in their base64.
func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		path := filepath.Join(dir, "k"+string(rune('a'+i%26))+string(rune('a'+i/26)))
		key, created, err := publiclog.LoadOrCreateKey(path, "charter.example.org")
		if err != nil || !created {
			t.Fatalf("create: %v %v", created, err)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v", fi.Mode().Perm())
		}
		again, created, err := publiclog.LoadOrCreateKey(path, "other.example.org")
		if err != nil || created || again.Verifier != key.Verifier {
			t.Fatalf("read again: %v %v %q %q", created, err, again.Verifier, key.Verifier)
		}
		signed, err := publiclog.Checkpoint{Origin: "charter.example.org", Size: 3, Hash: tlog.RecordHash([]byte("x"))}.Sign(key.Signer)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := publiclog.OpenCheckpoint(signed, key.Verifier); err != nil || c.Size != 3 {
			t.Fatalf("open: %+v %v", c, err)
		}
	}
	path := filepath.Join(dir, "open")
	os.WriteFile(path, []byte("PRIVATE+KEY+x"), 0o644)
	if _, _, err := publiclog.LoadOrCreateKey(path, "x"); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key others may read: %v", err)
	}
}

// The text of an entry is canonical: parsing gives it back byte for byte, and anything else is
// refused, including values that would make two entries read as one.
func TestEntryText(t *testing.T) {
	e := publiclog.Entry{Index: 7, Time: time.Date(2025, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600)),
		Event: publiclog.EventApproved, Slug: "a-b", Name: "Ёлочка «Тест»", Country: "RU", CharterVersion: "abc"}
	text, err := e.Text()
	if err != nil {
		t.Fatal(err)
	}
	want := "index 7\ntime 2025-03-04T04:06:07Z\nevent approve\nslug a-b\nname Ёлочка «Тест»\ncountry RU\ncharter-version abc\n"
	if string(text) != want {
		t.Fatalf("got %q", text)
	}
	if back, err := publiclog.ParseEntry(text); err != nil || back.Name != e.Name || back.Index != 7 {
		t.Fatalf("parse: %+v %v", back, err)
	}
	for _, bad := range []string{"x\ny", "x\r", "\x00", "a\u2028b"} {
		e.Name = bad
		if _, err := e.Text(); err == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
	for _, bad := range []string{strings.Replace(want, "index 7", "index 07", 1), strings.TrimSuffix(want, "\n"),
		strings.Replace(want, "time 2025-03-04T04:06:07Z", "time 2025-03-04T05:06:07+01:00", 1), want + "extra x\n"} {
		if _, err := publiclog.ParseEntry([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	texts := [][]byte{text, text, text}
	if got := publiclog.SplitEntries(publiclog.JoinEntries(texts)); len(got) != 3 || !bytes.Equal(got[2], text) || !bytes.Equal(got[0], text) {
		t.Errorf("split: %q", got)
	}
}

// TreeBuilder gives the hash tlog gives, at every size.
func TestTreeBuilder(t *testing.T) {
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	var b publiclog.TreeBuilder
	for n := int64(0); n <= 300; n++ {
		want, err := tlog.TreeHash(n, r)
		if err != nil {
			t.Fatal(err)
		}
		if b.Hash() != want {
			t.Fatalf("size %d: %v, want %v", n, b.Hash(), want)
		}
		data := []byte{byte(n), byte(n >> 8)}
		hashes, err := tlog.StoredHashes(n, data, r)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hashes...)
		b.Add(data)
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://charter.example.org":  "charter.example.org",
		"https://Charter.Example.org/": "charter.example.org",
		"http://127.0.0.1:8080":        "127.0.0.1:8080",
		"https://example.org/charter/": "example.org/charter",
		"https://example.org/a%20b":    "example.org/a%20b",
	} {
		if got, err := publiclog.Origin(in); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", in, got, err, want)
		}
	}
}

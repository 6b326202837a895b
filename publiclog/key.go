package publiclog

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// Key is the log's signing key and the verifier key that checks its signatures.
type Key struct {
	Signer note.Signer
	// Verifier is the public verifier key in note's format ("name+hash+base64"), which the site
	// publishes at /log/key.
	Verifier string
}

// NewKey returns a new random key named name (the log's origin).
func NewKey(name string) (*Key, error) {
	skey, _, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return nil, err
	}
	return ParseKey(skey)
}

// ParseKey reads a signer key in note's format ("PRIVATE+KEY+name+hash+base64", an Ed25519 seed).
func ParseKey(skey string) (*Key, error) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("not a signer key of golang.org/x/mod/sumdb/note: %w", err)
	}
	// The seed is the fifth field (base64, which may itself hold a '+'); the verifier key is its
	// public half under the same name.
	fields := strings.SplitN(skey, "+", 5)
	if len(fields) != 5 {
		return nil, errors.New("not an Ed25519 signer key")
	}
	raw, err := base64.StdEncoding.DecodeString(fields[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize {
		return nil, errors.New("not an Ed25519 signer key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(signer.Name(), pub)
	if err != nil {
		return nil, err
	}
	return &Key{Signer: signer, Verifier: vkey}, nil
}

// LoadOrCreateKey reads the signing key from the file at path, or, if there is no such file,
// creates a new key named name and writes it there, readable by its owner only (0600). created
// says which. A key file that others may read is refused: whoever holds the key can sign a
// forged checkpoint.
func LoadOrCreateKey(path, name string) (key *Key, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		skey, _, err := note.GenerateKey(rand.Reader, name)
		if err != nil {
			return nil, false, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("create the log's key: %w", err)
		}
		if _, err := f.WriteString(skey + "\n"); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("write the log's key %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("write the log's key %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return nil, false, fmt.Errorf("write the log's key %s: %w", path, err)
		}
		key, err := ParseKey(skey)
		return key, true, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("read the log's key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, false, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("the log's key %s may be read by others (mode %v): chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	key, err = ParseKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, false, fmt.Errorf("the log's key %s: %w", path, err)
	}
	return key, false, nil
}

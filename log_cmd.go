package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"charter/config"
	"charter/publiclog"
)

// loadLogKey reads the public log's signing key, creating it on first start, named after the
// log's origin (the base URL's host and path).
func loadLogKey(cfg config.Config, log *slog.Logger) (*publiclog.Key, error) {
	origin, err := publiclog.Origin(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	key, created, err := publiclog.LoadOrCreateKey(cfg.LogKeyPath, origin)
	if err != nil {
		return nil, err
	}
	if created {
		log.Info("created the public log's signing key; back it up with the database", "file", cfg.LogKeyPath,
			"verifier_key", key.Verifier)
	} else if key.Signer.Name() != origin {
		log.Warn("the public log's key is named after another address than the base URL; checkpoints name the base URL",
			"key_name", key.Signer.Name(), "origin", origin)
	}
	return key, nil
}

// verifyLog is `charter verify-log URL [--state FILE] [--key KEY]`: it checks the public log of
// the site at URL (publiclog.Verify) and, if it holds, keeps its checkpoint in the state file for
// the next check.
func verifyLog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("verify-log", flag.ContinueOnError)
	flags.SetOutput(stderr)
	state := flags.String("state", "", "file keeping the checkpoint of the last check; the log must extend it")
	key := flags.String("key", "", "the log's verifier key, or a file holding it (default: fetched from URL/log/key)")
	var urls []string
	for {
		if err := flags.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return fmt.Errorf("%w: %v", errVerifyLogUsage, err)
		}
		if flags.NArg() == 0 {
			break
		}
		urls = append(urls, flags.Arg(0))
		args = flags.Args()[1:]
	}
	if len(urls) != 1 {
		return errVerifyLogUsage
	}
	opt := publiclog.VerifyOptions{Key: *key, Client: &http.Client{Timeout: time.Minute}}
	if b, err := os.ReadFile(*key); *key != "" && err == nil {
		opt.Key = string(b)
	}
	if *state != "" {
		b, err := os.ReadFile(*state)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		opt.Last = b
	}
	v, err := publiclog.Verify(ctx, urls[0], opt)
	if err != nil {
		return fmt.Errorf("the log of %s does not verify: %w", urls[0], err)
	}
	fmt.Fprintf(stdout, "verified the log %s: %d entries, tree %v, signed by %s\n", v.Checkpoint.Origin, v.Checkpoint.Size, v.Checkpoint.Hash, v.Key)
	if v.Last != nil {
		fmt.Fprintf(stdout, "it extends the checkpoint of the last check (%d entries)\n", v.Last.Size)
	}
	if *state != "" {
		if err := writeFileAtomic(*state, v.Signed); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "kept the checkpoint in %s\n", *state)
	}
	return nil
}

var errVerifyLogUsage = fmt.Errorf("%w: charter verify-log URL [--state FILE] [--key KEY]", config.ErrUsage)

// writeFileAtomic replaces the file at path with b: written beside it, then renamed over it, so
// that a crash leaves the old state or the new, never half of one.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

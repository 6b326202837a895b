package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"charter/config"
	"charter/models"
	"charter/views"
)

var errPublishUsage = fmt.Errorf(`%w: charter publish-version --label LABEL [--material] --summary "what changed" [flags]`, config.ErrUsage)

// ensureCharterVersion is serve's check that the charter it is about to serve is a published
// version (models.Store.EnsureCharterVersion): a database without versions records it as the
// first; otherwise an unpublished charter.md stops the start with the command to run.
func ensureCharterVersion(ctx context.Context, store *models.Store, charter *models.Charter, log *slog.Logger) error {
	created, err := store.EnsureCharterVersion(ctx, charter)
	if err != nil {
		return err
	}
	if created {
		log.Info("recorded the charter as its first published version", "label", models.FirstLabel,
			"charter_version", charter.Version)
	}
	return nil
}

// publishVersion records the charter.md built into this binary as a published version; a
// material one queues to every approved signatory's contact a link to re-affirm, which the
// server's mail worker sends. Run again with the same label, it finishes an interrupted mailing.
func publishVersion(ctx context.Context, cfg config.Config, args []string, log *slog.Logger, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("publish-version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	label := fs.String("label", "", "the version's label, such as 2.0")
	summary := fs.String("summary", "", "what changed, in a few sentences")
	material := fs.Bool("material", false, "the change alters what signatories commit to: ask them to re-affirm")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errPublishUsage, err)
	}
	if *label == "" || fs.NArg() > 0 {
		return errPublishUsage
	}
	charter, err := newCharter(log)
	if err != nil {
		return err
	}
	store, err := openMigrated(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer store.Close()
	v, mailed, err := store.PublishVersion(ctx, charter, models.PublishOptions{
		Label: *label, Material: *material, Summary: *summary,
	}, views.Emails{BaseURL: cfg.BaseURL})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published charter version %s (%s) in %s\n", v.Label, v.Hash, cfg.DBPath)
	if v.Material {
		fmt.Fprintf(stdout, "queued %d emails asking approved signatories to re-affirm; the server sends them\n", mailed)
	}
	return nil
}

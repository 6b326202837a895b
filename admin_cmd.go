package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"charter/config"
	"charter/models"
	"charter/views"
)

// languageList names the site's languages for a usage message: "en, ru".
func languageList() string {
	codes := make([]string, len(views.Languages))
	for i, l := range views.Languages {
		codes[i] = string(l)
	}
	return strings.Join(codes, ", ")
}

var errAdminUsage = fmt.Errorf("%w: charter admin create|list|disable|reset-password [--email E] [--lang en|ru] [flags]", config.ErrUsage)

// adminArgs is an admin subcommand: what to do and to whom.
type adminArgs struct {
	sub   string
	email string
	lang  string // the language a new administrator works in; English by default
}

// parseAdminArgs takes the subcommand, its --email and --lang out of the arguments of `charter
// admin`, leaving the common flags (-db …) for config.Parse.
func parseAdminArgs(args []string) (adminArgs, []string, error) {
	var a adminArgs
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return a, nil, errAdminUsage
	}
	a.sub = args[0]
	var rest []string
	for i := 1; i < len(args); i++ {
		arg := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		var into *string
		switch {
		case !strings.HasPrefix(arg, "-"):
		case name == "email":
			into = &a.email
		case name == "lang":
			into = &a.lang
		}
		if into == nil {
			rest = append(rest, arg)
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return a, nil, fmt.Errorf("%w: --%s needs a value", config.ErrUsage, name)
			}
			value = args[i+1]
			i++
		}
		*into = value
	}
	if a.lang != "" && a.sub != "create" {
		return a, nil, fmt.Errorf("%w: --lang is for charter admin create", config.ErrUsage)
	}
	if a.lang == "" {
		a.lang = string(views.English)
	}
	if _, ok := views.ParseLang(a.lang); !ok {
		return a, nil, fmt.Errorf("%w: --lang %q: the console speaks %s", config.ErrUsage, a.lang, languageList())
	}
	switch a.sub {
	case "create", "disable", "reset-password":
		if a.email == "" {
			return a, nil, fmt.Errorf("%w: charter admin %s --email ADDRESS", config.ErrUsage, a.sub)
		}
	case "list":
	default:
		return a, nil, fmt.Errorf("%w: unknown admin command %q", errAdminUsage, a.sub)
	}
	return a, rest, nil
}

// adminCommand manages administrators in the database of cfg.
func adminCommand(ctx context.Context, cfg config.Config, a adminArgs, getenv func(string) string, stdout io.Writer) error {
	store, err := openMigrated(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer store.Close()
	switch a.sub {
	case "create":
		pw, err := newPassword(getenv, stdout)
		if err != nil {
			return err
		}
		admin, err := store.CreateAdmin(ctx, a.email, pw)
		if err != nil {
			return err
		}
		if err := store.SetAdminLang(ctx, admin.ID, a.lang); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created administrator %s (language %s); sign in at /admin/login\n", a.email, a.lang)
	case "reset-password":
		pw, err := newPassword(getenv, stdout)
		if err != nil {
			return err
		}
		if err := store.ResetAdminPassword(ctx, a.email, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "set a new password for %s and signed them out everywhere\n", a.email)
	case "disable":
		if err := store.DisableAdmin(ctx, a.email); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "disabled administrator %s and signed them out everywhere\n", a.email)
	case "list":
		return listAdmins(ctx, store, stdout)
	}
	return nil
}

func listAdmins(ctx context.Context, store *models.Store, stdout io.Writer) error {
	admins, err := store.Admins(ctx)
	if err != nil {
		return err
	}
	if len(admins) == 0 {
		fmt.Fprintln(stdout, "no administrators; create one with: charter admin create --email ADDRESS")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "EMAIL\tLANG\tSTATE\tCREATED\tLAST SIGN-IN")
	for _, a := range admins {
		paused, err := store.AccountPausedUntil(ctx, a.ID)
		if err != nil {
			return err
		}
		state := "active"
		switch {
		case a.DisabledAt != nil:
			state = "disabled"
		case !paused.IsZero():
			state = "new devices paused until " + paused.Format(time.RFC3339)
		}
		last := "never"
		if a.LastLoginAt != nil {
			last = a.LastLoginAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Email, a.Lang, state, a.CreatedAt.Format(time.RFC3339), last)
	}
	return w.Flush()
}

// newPassword reads a new administrator password from CHARTER_ADMIN_PASSWORD, for scripts, or
// else from the terminal, typed twice without echo.
func newPassword(getenv func(string) string, out io.Writer) (string, error) {
	if pw := getenv("CHARTER_ADMIN_PASSWORD"); pw != "" {
		return pw, models.ValidatePassword(pw)
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("no terminal to type the password in: set CHARTER_ADMIN_PASSWORD")
	}
	for {
		fmt.Fprintf(out, "New password (at least %d characters): ", models.MinPasswordLen)
		pw, err := term.ReadPassword(fd)
		fmt.Fprintln(out)
		if err != nil {
			return "", err
		}
		if err := models.ValidatePassword(string(pw)); err != nil {
			fmt.Fprintln(out, err)
			continue
		}
		fmt.Fprint(out, "The same password again: ")
		again, err := term.ReadPassword(fd)
		fmt.Fprintln(out)
		if err != nil {
			return "", err
		}
		if string(again) != string(pw) {
			fmt.Fprintln(out, "The two passwords differ; try again.")
			continue
		}
		return string(pw), nil
	}
}

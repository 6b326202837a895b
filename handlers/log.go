package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/publiclog"
	"charter/views"
)

// The public log's endpoints (docs/log.md): plain text, cookie-less, served from the public
// pages' cache like every public GET (a new entry bumps the public state), with ETags.

const mimeTextPlain = "text/plain; charset=utf-8"

// errNoLogKey answers a request for what needs the log's key when the handler was given none.
var errNoLogKey = errors.New("the public log has no signing key")

// logPage explains the log in plain words, with its key and how to check it.
func (h *Handler) logPage(c echo.Context) error {
	return h.servePublic(c, "/log", echo.MIMETextHTMLCharsetUTF8, func(ctx context.Context, buf *bytes.Buffer) error {
		size, _, err := h.Store.LogHead(ctx)
		if err != nil {
			return err
		}
		p := views.LogProps{Size: size, BaseURL: h.BaseURL}
		if h.LogKey != nil {
			p.VerifierKey = h.LogKey.Verifier
		}
		return views.LogPage(p).Render(ctx, buf)
	})
}

// logCheckpoint serves the signed checkpoint of the log as it is now.
func (h *Handler) logCheckpoint(c echo.Context) error {
	if h.LogKey == nil {
		return errNoLogKey
	}
	return h.servePublic(c, "/log/checkpoint", mimeTextPlain, func(ctx context.Context, buf *bytes.Buffer) error {
		size, hash, err := h.Store.LogHead(ctx)
		if err != nil {
			return err
		}
		msg, err := publiclog.Checkpoint{Origin: h.logOrigin, Size: size, Hash: hash}.Sign(h.LogKey.Signer)
		if err != nil {
			return err
		}
		buf.Write(msg)
		return nil
	})
}

// logKey serves the verifier key of the log.
func (h *Handler) logKey(c echo.Context) error {
	if h.LogKey == nil {
		return errNoLogKey
	}
	return h.servePublic(c, "/log/key", mimeTextPlain, func(ctx context.Context, buf *bytes.Buffer) error {
		buf.WriteString(h.LogKey.Verifier + "\n")
		return nil
	})
}

// logEntries serves entries start to end-1 (at most models.LogPageSize), each its canonical text,
// an empty line between two.
func (h *Handler) logEntries(c echo.Context) error {
	start, end, err := logRange(c, "start", "end")
	if err != nil {
		return err
	}
	if end <= start || end-start > models.LogPageSize {
		return models.Errorf(models.KindInvalid, "log.bad_entries", "Max", views.Number(c.Request().Context(), models.LogPageSize))
	}
	url := "/log/entries?start=" + strconv.FormatInt(start, 10) + "&end=" + strconv.FormatInt(end, 10)
	return h.servePublic(c, url, mimeTextPlain, func(ctx context.Context, buf *bytes.Buffer) error {
		texts, err := h.Store.LogEntries(ctx, start, end)
		if err != nil {
			return err
		}
		buf.Write(publiclog.JoinEntries(texts))
		return nil
	})
}

// logInclusion serves the proof that entry index is in the tree of size entries.
func (h *Handler) logInclusion(c echo.Context) error {
	index, size, err := logRange(c, "index", "size")
	if err != nil {
		return err
	}
	url := "/log/proof/inclusion?index=" + strconv.FormatInt(index, 10) + "&size=" + strconv.FormatInt(size, 10)
	return h.servePublic(c, url, mimeTextPlain, func(ctx context.Context, buf *bytes.Buffer) error {
		p, err := h.Store.LogInclusionProof(ctx, index, size)
		if err != nil {
			return err
		}
		buf.Write(publiclog.FormatProof(p))
		return nil
	})
}

// logConsistency serves the proof that the tree of old entries is a prefix of that of new.
func (h *Handler) logConsistency(c echo.Context) error {
	old, new, err := logRange(c, "old", "new")
	if err != nil {
		return err
	}
	url := "/log/proof/consistency?old=" + strconv.FormatInt(old, 10) + "&new=" + strconv.FormatInt(new, 10)
	return h.servePublic(c, url, mimeTextPlain, func(ctx context.Context, buf *bytes.Buffer) error {
		p, err := h.Store.LogConsistencyProof(ctx, old, new)
		if err != nil {
			return err
		}
		buf.Write(publiclog.FormatProof(p))
		return nil
	})
}

// logRange reads two whole numbers of the query, both required.
func logRange(c echo.Context, a, b string) (int64, int64, error) {
	x, errA := strconv.ParseInt(c.QueryParam(a), 10, 64)
	y, errB := strconv.ParseInt(c.QueryParam(b), 10, 64)
	if errA != nil || errB != nil || x < 0 || y < 0 {
		return 0, 0, models.Errorf(models.KindInvalid, "log.bad_numbers", "A", a, "B", b)
	}
	return x, y, nil
}

// plainErrors answers the invalid requests of next, for the programs that read the log, with
// 400 and the message in plain text rather than an HTML page.
func plainErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		var me *models.Error
		if err == nil || !errors.As(err, &me) || me.Kind != models.KindInvalid || c.Response().Committed {
			return err
		}
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return c.Blob(http.StatusBadRequest, mimeTextPlain, []byte(views.T(c.Request().Context(), me.Key, me.Args...)+"\n"))
	}
}

package handlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// openRecord is one signatory in the open data, the same fields in the same order in CSV and
// JSON. It is built from models.PublicSignatory, which holds no contact data. docs/open-data.md documents
// the fields; add new ones at the end only.
type openRecord struct {
	Slug           string `json:"slug"`
	Name           string `json:"name"`
	Category       string `json:"category"`
	Country        string `json:"country"`
	Website        string `json:"website"`
	Statement      string `json:"statement"`
	SignedAt       string `json:"signed_at"`
	CharterVersion string `json:"charter_version"`
	URL            string `json:"url"`
}

var openHeader = []string{"slug", "name", "category", "country", "website", "statement", "signed_at", "charter_version", "url"}

func (h *Handler) openRecord(s *models.PublicSignatory) openRecord {
	return openRecord{
		Slug: s.Slug, Name: s.Name, Category: string(s.Category), Country: s.Country, Website: s.Website,
		Statement: s.Statement, SignedAt: s.ApprovedAt.UTC().Format(time.RFC3339), CharterVersion: s.CharterVersion,
		URL: h.BaseURL + views.SignatoryURL(s.Slug),
	}
}

// The free-text cells (name, statement) are defused for spreadsheets, which would run a cell
// starting with "=" as a formula; the JSON export keeps them as they are.
func (r openRecord) fields() []string {
	return []string{r.Slug, cell(r.Name), r.Category, r.Country, r.Website, cell(r.Statement), r.SignedAt, r.CharterVersion, r.URL}
}

// streamOpenData answers an export: 304 when the client's copy is current, else the rows written
// one at a time through a small buffer, flushed as it fills, so memory stays flat however many
// signatories there are.
func (h *Handler) streamOpenData(c echo.Context, contentType string, write func(ctx context.Context, w io.Writer) error) error {
	ctx := c.Request().Context()
	_, tag, err := h.publicState(ctx)
	if err != nil {
		return err
	}
	if notModified(c, tag) {
		return nil
	}
	return h.stream(c, contentType, func(w io.Writer) error { return write(ctx, w) })
}

// stream answers 200 with a body written a piece at a time through a small buffer, flushed as
// it fills, so memory stays flat however long the body is. Once the status is sent an error can
// only stop the body, so it is logged.
func (h *Handler) stream(c echo.Context, contentType string, write func(w io.Writer) error) error {
	c.Response().Header().Set(echo.HeaderContentType, contentType)
	c.Response().WriteHeader(http.StatusOK)
	w := bufio.NewWriterSize(c.Response(), 32<<10)
	if err := write(w); err != nil {
		h.Log.Error("download interrupted", "path", c.Request().URL.Path, "err", err)
		return nil
	}
	return w.Flush()
}

// writeCSV writes a header row and the rows that each emits as CSV (RFC 4180: UTF-8, CRLF).
func writeCSV(w io.Writer, header []string, each func(emit func(row []string) error) error) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := each(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// signatoriesCSV streams every approved signatory as CSV (RFC 4180, UTF-8, a header row).
func (h *Handler) signatoriesCSV(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="signatories.csv"`)
	return h.streamOpenData(c, "text/csv; charset=utf-8; header=present", func(ctx context.Context, w io.Writer) error {
		return writeCSV(w, openHeader, func(emit func([]string) error) error {
			return h.Store.EachPublicSignatory(ctx, func(s *models.PublicSignatory) error {
				return emit(h.openRecord(s).fields())
			})
		})
	})
}

// signatoriesJSON streams every approved signatory as one JSON array of objects, one per line.
func (h *Handler) signatoriesJSON(c echo.Context) error {
	return h.streamOpenData(c, echo.MIMEApplicationJSONCharsetUTF8, func(ctx context.Context, w io.Writer) error {
		sep := "[\n"
		err := h.Store.EachPublicSignatory(ctx, func(s *models.PublicSignatory) error {
			line, err := json.Marshal(h.openRecord(s))
			if err != nil {
				return err
			}
			if _, err := io.WriteString(w, sep); err != nil {
				return err
			}
			sep = ",\n"
			_, err = w.Write(line)
			return err
		})
		if err != nil {
			return err
		}
		if sep == "[\n" {
			_, err = io.WriteString(w, "[]\n")
		} else {
			_, err = io.WriteString(w, "\n]\n")
		}
		return err
	})
}

// feedSize is the number of latest approvals in the Atom feed.
const feedSize = 50

// feed serves the Atom feed of the latest approvals.
func (h *Handler) feed(c echo.Context) error {
	return h.servePublic(c, "/feed.atom", "application/atom+xml; charset=utf-8", func(ctx context.Context, buf *bytes.Buffer) error {
		latest, err := h.Store.LatestApprovals(ctx, feedSize)
		if err != nil {
			return err
		}
		return views.WriteFeed(ctx, buf, h.BaseURL, latest, h.now())
	})
}

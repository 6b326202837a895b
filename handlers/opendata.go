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
	// Added with charter versions (issue 14): the label of the version signed, the label of the
	// version last re-affirmed and when ("" for none).
	CharterVersionLabel string `json:"charter_version_label"`
	ReaffirmedVersion   string `json:"reaffirmed_version"`
	ReaffirmedAt        string `json:"reaffirmed_at"`
	// Added with verified domains (issue 14): the website's domain when it is verified, else "".
	VerifiedDomain string `json:"verified_domain"`
}

var openHeader = []string{"slug", "name", "category", "country", "website", "statement", "signed_at", "charter_version", "url",
	"charter_version_label", "reaffirmed_version", "reaffirmed_at", "verified_domain"}

func (h *Handler) openRecord(s *models.PublicSignatory) openRecord {
	r := openRecord{
		Slug: s.Slug, Name: s.Name, Category: string(s.Category), Country: s.Country, Website: s.Website,
		Statement: s.Statement, SignedAt: s.ApprovedAt.UTC().Format(time.RFC3339), CharterVersion: s.CharterVersion,
		URL:                 h.BaseURL + views.SignatoryURL(s.Slug),
		CharterVersionLabel: s.CharterLabel, ReaffirmedVersion: s.ReaffirmedLabel,
		VerifiedDomain: s.VerifiedDomain,
	}
	if s.ReaffirmedAt != nil && s.ReaffirmedLabel != "" {
		r.ReaffirmedAt = s.ReaffirmedAt.UTC().Format(time.RFC3339)
	}
	return r
}

// The free-text cells (name, statement) are defused for spreadsheets, which would run a cell
// starting with "=" as a formula; the JSON export keeps them as they are.
func (r openRecord) fields() []string {
	return []string{r.Slug, cell(r.Name), r.Category, r.Country, r.Website, cell(r.Statement), r.SignedAt, r.CharterVersion, r.URL,
		r.CharterVersionLabel, r.ReaffirmedVersion, r.ReaffirmedAt, r.VerifiedDomain}
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
	if h.notModified(c, tag) {
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

// The open data formats. Each writes the whole export through an openWriter, once from the
// database (streaming) and once into a snapshot file (snapshot.go), so both give the same bytes.
const (
	formatCSV  = "csv"
	formatJSON = "json"
)

// openFormats are the open data formats with their content types.
var openFormats = map[string]string{
	formatCSV:  "text/csv; charset=utf-8; header=present",
	formatJSON: echo.MIMEApplicationJSONCharsetUTF8,
}

// openWriter writes one export: a row per signatory, then end.
type openWriter interface {
	row(r openRecord) error
	end() error
}

func newOpenWriter(format string, w io.Writer) (openWriter, error) {
	if format == formatJSON {
		return &jsonExport{w: w, sep: "[\n"}, nil
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return csvExport{cw}, cw.Write(openHeader)
}

// csvExport writes RFC 4180 CSV (UTF-8, CRLF) with a header row.
type csvExport struct{ cw *csv.Writer }

func (e csvExport) row(r openRecord) error { return e.cw.Write(r.fields()) }

func (e csvExport) end() error {
	e.cw.Flush()
	return e.cw.Error()
}

// jsonExport writes one JSON array of objects, one per line.
type jsonExport struct {
	w   io.Writer
	sep string
}

func (e *jsonExport) row(r openRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(e.w, e.sep); err != nil {
		return err
	}
	e.sep = ",\n"
	_, err = e.w.Write(line)
	return err
}

func (e *jsonExport) end() error {
	end := "\n]\n"
	if e.sep == "[\n" {
		end = "[]\n"
	}
	_, err := io.WriteString(e.w, end)
	return err
}

// signatoriesCSV answers every approved signatory as CSV (RFC 4180, UTF-8, a header row).
func (h *Handler) signatoriesCSV(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="signatories.csv"`)
	return h.openData(c, formatCSV)
}

// signatoriesJSON answers every approved signatory as one JSON array of objects, one per line.
func (h *Handler) signatoriesJSON(c echo.Context) error {
	return h.openData(c, formatJSON)
}

// openData answers an export from the current snapshot file when there is one (snapshot.go),
// else by streaming it from the database.
func (h *Handler) openData(c echo.Context, format string) error {
	if served, err := h.serveSnapshot(c, format); served || err != nil {
		return err
	}
	return h.streamOpenData(c, openFormats[format], func(ctx context.Context, w io.Writer) error {
		ow, err := newOpenWriter(format, w)
		if err != nil {
			return err
		}
		err = h.Store.EachPublicSignatory(ctx, func(s *models.PublicSignatory) error {
			return ow.row(h.openRecord(s))
		})
		if err != nil {
			return err
		}
		return ow.end()
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

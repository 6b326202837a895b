package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
	"charter/webcheck"
)

// WebFetcher fetches a small file from an organisation's website. *webcheck.Fetcher is the one
// the site uses; Handler.Web may hold another in tests.
type WebFetcher interface {
	Get(ctx context.Context, url string) ([]byte, error)
}

// web is the fetcher of verification files: Handler.Web, or the site's own.
func (h *Handler) web() WebFetcher {
	if h.Web != nil {
		return h.Web
	}
	return webcheck.New(models.RegistrableDomain)
}

// domainVerification is what the manage page of sig shows about its website's domain.
func (h *Handler) domainVerification(ctx context.Context, sig *models.Signatory) (views.DomainVerification, error) {
	d := views.DomainVerification{
		Domain: sig.WebsiteDomain, Verified: sig.DomainVerified(), By: sig.DomainVerifiedBy, At: sig.DomainVerifiedAt,
		FileURL: models.VerificationURL(sig.WebsiteDomain), CheckLimit: models.DomainCheckPerSignatory.Count,
	}
	if d.Verified || d.Domain == "" {
		return d, nil
	}
	var err error
	d.Token, err = h.Store.DomainToken(ctx, sig)
	return d, err
}

// verifyDomain is the manage page's "Check the file" button: the site fetches the verification
// file from the signatory's domain, within the limits of checks, and verifies the domain if the
// file lists the signatory's token. A failed check shows the manage page again, saying why.
func (h *Handler) verifyDomain(c echo.Context) error {
	noStore(c)
	ctx := c.Request().Context()
	token := c.Param("token")
	sig, err := h.Store.SignatoryForToken(ctx, token, models.PurposeManage)
	if err != nil {
		return linkProblem(c, err, true)
	}
	if sig.DomainVerified() {
		return redirect(c, "/manage/"+token)
	}
	status, problem, err := h.checkDomainFile(ctx, sig)
	if err != nil {
		return err
	}
	if problem.Key == "" {
		return redirect(c, "/manage/"+token+"?verified=1")
	}
	return h.renderManage(c, status, token, sig, func(d *views.DomainVerification) { d.Problem = problem })
}

// checkDomainFile fetches sig's verification file and verifies its domain if the file lists the
// token. It returns the status and message of a check that failed, or an empty message.
func (h *Handler) checkDomainFile(ctx context.Context, sig *models.Signatory) (int, views.Message, error) {
	domain := sig.WebsiteDomain
	ok, err := h.Store.TakeDomainCheck(ctx, sig.ID, domain)
	if err != nil {
		return 0, views.Message{}, err
	}
	if !ok {
		return http.StatusTooManyRequests, views.Msg("verify.error.limited"), nil
	}
	want, err := h.Store.DomainToken(ctx, sig)
	if err != nil {
		return 0, views.Message{}, err
	}
	url := models.VerificationURL(domain)
	body, err := h.web().Get(ctx, url)
	if err != nil {
		h.Log.Info("domain check failed", "signatory", sig.ID, "domain", domain, "err", err)
		return http.StatusUnprocessableEntity, fetchProblem(err, domain, url), nil
	}
	if !models.TokenListed(body, want) {
		return http.StatusUnprocessableEntity, views.Msg("verify.error.wrong_content"), nil
	}
	err = h.Store.VerifyDomainByFile(ctx, sig.ID, domain)
	if errors.Is(err, models.ErrDomainChanged) {
		return http.StatusConflict, views.Msg(models.ErrDomainChanged.Key), nil
	}
	return 0, views.Message{}, err
}

// fetchProblem says why fetching the file of domain from url failed, in words the contact can act on.
func fetchProblem(err error, domain, url string) views.Message {
	name := views.DomainName(domain)
	switch {
	case errors.Is(err, webcheck.ErrNotHTTPS):
		return views.Msg("verify.error.not_https")
	case errors.Is(err, webcheck.ErrAddress):
		return views.Msg("verify.error.address", "Domain", name)
	case errors.Is(err, webcheck.ErrRedirect):
		return views.Msg("verify.error.redirect", "Domain", name)
	case errors.Is(err, webcheck.ErrNotFound):
		return views.Msg("verify.error.not_found", "URL", url)
	case errors.Is(err, webcheck.ErrStatus):
		return views.Msg("verify.error.status")
	case errors.Is(err, webcheck.ErrTooLarge):
		return views.Msg("verify.error.too_large")
	case errors.Is(err, webcheck.ErrTimeout):
		return views.Msg("verify.error.timeout")
	}
	return views.Msg("verify.error.unreachable", "Domain", name)
}

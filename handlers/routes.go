package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"charter/publiclog"
)

// Router builds the Echo router with every route of the application. Reading this function tells
// the whole surface of the site.
func (h *Handler) Router() *echo.Echo {
	h.publicCC = publicCacheControl(h.PublicMaxAge)
	h.security = h.securityHeaders()
	h.logOrigin, _ = publiclog.Origin(h.BaseURL) // the configuration checked the base URL
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.errorHandler
	e.IPExtractor = h.ipExtractor()
	e.Pre(headAsGet, language)
	e.Use(
		h.requestLogger,
		middleware.Recover(),
		h.secureHeaders(),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
			Limit:   maxFormBody,
			Skipper: func(c echo.Context) bool { return c.Request().Body == http.NoBody }, // nothing to limit
		}),
		h.crossOrigin(),
	)

	// Public pages: read-only.
	e.GET("/", h.home)
	e.GET("/healthz", h.healthz)
	e.GET("/charter/versions", h.charterVersions)
	e.GET("/charter/versions/:label", h.charterVersion)
	e.GET("/assets/:name", h.asset)

	// The public directory and its open data.
	e.GET("/signatories", h.listSignatories)
	e.GET("/signatories/:slug", h.showSignatory)
	e.GET("/signatories/:slug/badge.svg", h.badge)
	e.GET("/signatories/:slug/memorandum", h.memorandum)
	e.GET("/signatories/:slug/card.png", h.signatoryCard)
	e.GET("/share/charter.png", h.charterCard)
	e.GET("/signatories.csv", h.signatoriesCSV)
	e.GET("/signatories.json", h.signatoriesJSON)
	e.GET("/feed.atom", h.feed)

	// The public log: what it is, its key, its signed checkpoint, its entries and proofs.
	e.GET("/log", h.logPage)
	e.GET("/log/key", h.logKey)
	e.GET("/log/checkpoint", h.logCheckpoint)
	e.GET("/log/entries", plainErrors(h.logEntries))
	e.GET("/log/proof/inclusion", plainErrors(h.logInclusion))
	e.GET("/log/proof/consistency", plainErrors(h.logConsistency))
	if h.BenchStatic {
		e.GET("/bench/static", h.benchStatic())
	}

	// Signing: the form, the emailed links (a GET shows, only the POST button acts, so mail
	// scanners that open links change nothing) and withdrawal.
	signingLimit := h.limit("signing", 20*time.Second, 10) // per client, shared by the forms that send mail
	e.GET("/sign", h.signForm)
	e.POST("/sign", h.sign, signingLimit)
	e.GET("/sign/sent", h.signSent)
	e.GET("/sign/resend", h.resendForm)
	e.POST("/sign/resend", h.resend, signingLimit)
	e.GET("/confirm/:token", h.confirmPage)
	e.POST("/confirm/:token", h.confirm)
	e.GET("/confirmed", h.confirmed)
	e.GET("/manage", h.manageForm)
	e.POST("/manage", h.manage, signingLimit)
	e.GET("/manage/sent", h.manageSent)
	e.GET("/manage/:token", h.managePage)
	e.POST("/manage/:token", h.withdraw)
	e.POST("/manage/:token/lang", h.setMailLang)
	e.POST("/manage/:token/verify", h.verifyDomain, h.limit("domain-check", 12*time.Second, 5)) // fetches from the outside world
	e.POST("/manage/:token/statement", h.changeStatement)
	e.POST("/manage/:token/change", h.proposeChange)
	e.POST("/manage/:token/handover", h.requestHandover, signingLimit)
	e.GET("/handover/:token", h.handoverPage)
	e.POST("/handover/:token", h.confirmHandover)
	e.GET("/handed-over", h.handedOver)
	e.GET("/withdrawn", h.withdrawn)
	e.GET("/reaffirm/:token", h.reaffirmPage)
	e.POST("/reaffirm/:token", h.reaffirm)
	e.GET("/reaffirmed", h.reaffirmed)

	// Administrators: sign-in is open; everything else under /admin needs a session, and its
	// POSTs the session's CSRF token.
	e.GET("/admin/login", h.loginForm)
	e.POST("/admin/login", h.login, h.limit("sign-in", 2*time.Second, 30))
	admin := e.Group("/admin", h.requireAdmin, h.adminCSRF)
	admin.GET("", h.queue)
	admin.POST("/logout", h.logout)
	admin.POST("/lang", h.setConsoleLang)
	admin.GET("/approve", h.confirmBulkApprove)
	admin.POST("/approve", h.bulkApprove)
	admin.GET("/signatories/:id", h.signatory)
	admin.POST("/signatories/:id/approve", h.approve)
	admin.POST("/signatories/:id/reject", h.reject)
	admin.POST("/signatories/:id/revoke", h.revoke)
	admin.POST("/signatories/:id/edit", h.edit)
	admin.POST("/signatories/:id/notes", h.addNote)
	admin.POST("/proposals/:id/approve", h.approveProposal)
	admin.POST("/proposals/:id/reject", h.rejectProposal)
	admin.GET("/audit", h.audit)
	admin.GET("/mail", h.failedMail)
	admin.POST("/mail/:id/retry", h.retryMail)
	admin.GET("/reaffirm", h.notReaffirmed)
	admin.POST("/signatories/:id/remind", h.remindReaffirm)
	admin.GET("/export.csv", h.exportCSV)

	// Anything else is not found, whatever the method.
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) })
	return e
}

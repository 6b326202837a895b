package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	textlang "golang.org/x/text/language"

	"charter/models"
	"charter/views"
)

// adminKey is the request-context key of the signed-in administrator's session.
type adminKey struct{}

// adminSession is the signed-in administrator and their session, for the handlers behind
// requireAdmin.
type adminSession struct {
	Admin   *models.Admin
	Session *models.Session
}

// signedIn returns the session requireAdmin found. Handlers behind it may rely on it being there.
func signedIn(c echo.Context) *adminSession {
	s, _ := c.Request().Context().Value(adminKey{}).(*adminSession)
	if s == nil {
		panic("signedIn called on a route outside the admin group")
	}
	return s
}

// sessionCookie is the name and path of the administrators' session cookie. On https it is
// __Host-charter_admin: the browser takes a cookie with that prefix only if it is Secure, has no
// Domain and has Path=/, so neither a sibling subdomain nor a plain-http page can plant or
// overwrite it (the prefix is what makes Path=/ necessary; the public pages ignore the cookie).
// On http, where the prefix is not allowed, it is charter_admin, sent to /admin only.
func (h *Handler) sessionCookie() (name, path string) {
	if h.Secure {
		return "__Host-charter_admin", "/"
	}
	return "charter_admin", "/admin"
}

// sessionToken is the token in the browser's session cookie, or "".
func (h *Handler) sessionToken(c echo.Context) string {
	name, _ := h.sessionCookie()
	ck, err := c.Cookie(name)
	if err != nil {
		return ""
	}
	return ck.Value
}

func (h *Handler) setSessionCookie(c echo.Context, token string, maxAge int) {
	name, path := h.sessionCookie()
	c.SetCookie(&http.Cookie{
		Name:     name,
		Value:    token,
		Path:     path,
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   h.Secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// deviceCookie is the name of the device cookie: the mark of a browser that signed in before,
// which keeps its own allowance of failed sign-ins (models.LoginAttempt.Device). It is sent to
// /admin only, and kept for a year; signing out does not end it.
const deviceCookie = "charter_device"

const deviceCookieMaxAge = 365 * 24 * 60 * 60

func (h *Handler) setDeviceCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name:     deviceCookie,
		Value:    token,
		Path:     "/admin",
		MaxAge:   deviceCookieMaxAge,
		HttpOnly: true,
		Secure:   h.Secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// requireAdmin lets a request through only with a live session. Without one, the browser is sent
// to the sign-in page, which brings it back to the page it asked for.
func (h *Handler) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		sess, admin, err := h.Store.SessionByToken(ctx, h.sessionToken(c))
		if models.KindOf(err) == models.KindNotFound {
			c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
			to := "/admin/login"
			if c.Request().Method == http.MethodGet {
				to += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
			}
			return redirect(c, to)
		}
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		ctx = context.WithValue(ctx, adminKey{}, &adminSession{Admin: admin, Session: sess})
		if l, ok := views.ParseLang(admin.Lang); ok {
			ctx = views.WithLang(ctx, l) // the console speaks the administrator's language
		}
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// chrome is what every console page shows around its content; it takes the flash message, so it
// is shown once.
func (h *Handler) chrome(c echo.Context, current string) (views.AdminChrome, error) {
	s := signedIn(c)
	flash, err := h.Store.TakeFlash(c.Request().Context(), s.Session)
	if err != nil {
		return views.AdminChrome{}, err
	}
	here := "/admin" // a form's answer has no address of its own to come back to
	if c.Request().Method == http.MethodGet {
		here = c.Request().URL.RequestURI()
	}
	return views.AdminChrome{Email: s.Admin.Email, CSRF: csrfToken(c), Flash: flash, Current: current, Here: here}, nil
}

// flash keeps a message, by key, for the next page of this session, which shows it in the
// administrator's language then.
func (h *Handler) flash(c echo.Context, f models.Flash) error {
	return h.Store.SetFlash(c.Request().Context(), signedIn(c).Session, f)
}

// setConsoleLang stores the language the administrator works in, and goes back to the page they
// switched on.
func (h *Handler) setConsoleLang(c echo.Context) error {
	l, ok := views.ParseLang(c.FormValue("lang"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if err := h.Store.SetAdminLang(c.Request().Context(), signedIn(c).Admin.ID, string(l)); err != nil {
		return err
	}
	return redirect(c, safeNext(c.FormValue("next")))
}

// safeNext is where to go after sign-in: a path of the console, never another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "/admin/login") ||
		strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") {
		return "/admin"
	}
	return next
}

// loginLanguages match a browser's Accept-Language against the site's languages.
var loginLanguages = func() textlang.Matcher {
	tags := make([]textlang.Tag, len(views.Languages))
	for i, l := range views.Languages {
		tags[i] = l.Tag()
	}
	return textlang.NewMatcher(tags)
}()

// loginInLanguage puts the language of the sign-in page in the request: the page has one
// address and no session to know the administrator by, so it speaks the browser's preferred
// language among the site's (Accept-Language), English when it prefers none of them.
func loginInLanguage(c echo.Context) {
	c.Response().Header().Add(echo.HeaderVary, "Accept-Language")
	_, i := textlang.MatchStrings(loginLanguages, c.Request().Header.Get("Accept-Language"))
	l := views.English // the matcher's default, also when nothing matches
	if i >= 0 && i < len(views.Languages) {
		l = views.Languages[i]
	}
	c.SetRequest(c.Request().WithContext(views.WithLang(c.Request().Context(), l)))
}

// loginForm shows the sign-in form, or sends a signed-in administrator to the console.
func (h *Handler) loginForm(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	loginInLanguage(c)
	if _, _, err := h.Store.SessionByToken(c.Request().Context(), h.sessionToken(c)); err == nil {
		return redirect(c, safeNext(c.QueryParam("next")))
	}
	return render(c, http.StatusOK, views.LoginPage(views.LoginProps{Next: c.QueryParam("next")}))
}

// login checks the email and password and starts a new session, replacing any the browser had.
func (h *Handler) login(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	loginInLanguage(c)
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	props := views.LoginProps{Email: email, Next: c.FormValue("next")}
	if email == "" || password == "" {
		props.Error = "admin.login.missing"
		return render(c, http.StatusUnprocessableEntity, views.LoginPage(props))
	}
	ctx := c.Request().Context()
	var device string
	if ck, err := c.Cookie(deviceCookie); err == nil {
		device = ck.Value
	}
	admin, err := h.Store.SignIn(ctx, models.LoginAttempt{
		Email: email, Password: password, Client: clientKey(c.RealIP()), Device: device,
	})
	var busy *models.BusyError
	switch {
	case errors.As(err, &busy):
		h.Log.Warn("admin sign-in refused: too many password checks at once")
		setRetryAfter(c, busy.RetryAfter)
		props.Error = "admin.login.busy"
		return render(c, http.StatusServiceUnavailable, views.LoginPage(props))
	case errors.Is(err, models.ErrLoginThrottled):
		setRetryAfter(c, models.ClientRefill)
		props.Error = "admin.login.throttled"
		return render(c, http.StatusTooManyRequests, views.LoginPage(props))
	case errors.Is(err, models.ErrLoginFailed):
		h.Log.Info("admin sign-in failed")
		props.Error = "admin.login.failed"
		return render(c, http.StatusUnprocessableEntity, views.LoginPage(props))
	case err != nil:
		return err
	}
	// A fresh device cookie at each sign-in, as OWASP's scheme has it.
	device, err = h.Store.NewDeviceToken(ctx, admin)
	if err != nil {
		return err
	}
	h.setDeviceCookie(c, device)
	token, err := h.Store.StartSession(ctx, admin.ID, h.sessionToken(c))
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token, 0)
	h.Log.Info("admin signed in", "admin_id", admin.ID)
	return redirect(c, safeNext(props.Next))
}

// logout ends the session and forgets the cookie.
func (h *Handler) logout(c echo.Context) error {
	if err := h.Store.EndSession(c.Request().Context(), h.sessionToken(c)); err != nil {
		return err
	}
	h.setSessionCookie(c, "", -1)
	return redirect(c, "/admin/login")
}

package auth

import "net/http"

// Before sign-in there is no session to hold a CSRF token, so the sign-in
// forms use a double-submit cookie: a random value in a SameSite=Strict
// cookie that must come back in the form. A page on another site can
// neither read the cookie nor make the browser send it, so it cannot sign
// someone in to an account of its choosing (login CSRF).

func loginCookieName(secure bool) string {
	if secure {
		return "__Host-internflow_login"
	}
	return "internflow_login"
}

// loginCSRF returns the request's login token, setting a new cookie when
// there is none.
func loginCSRF(w http.ResponseWriter, r *http.Request, secure bool) string {
	if c, err := r.Cookie(loginCookieName(secure)); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookieName(secure), Value: tok, Path: "/", MaxAge: 3600,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	return tok
}

// checkLoginCSRF compares the form's csrf_token with the cookie. Only the
// configured name counts: with TLS, a sibling subdomain could plant the
// plain-named cookie but never the __Host- one.
func checkLoginCSRF(r *http.Request, secure bool) bool {
	c, err := r.Cookie(loginCookieName(secure))
	return err == nil && sameOrigin(r) && tokensEqual(r.PostFormValue("csrf_token"), c.Value)
}

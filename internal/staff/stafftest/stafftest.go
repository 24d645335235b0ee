// Package stafftest signs staff in to a running app (an apptest.Stack)
// the way a person does (ask for a link, open it from the email, press
// Sign in) and gives tests a client that keeps the session cookie and CSRF
// token. It needs only the Server below, not the stack that runs the whole
// app, so the staff pages' test helpers do not depend on that stack.
package stafftest

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Server is the running app a client signs in to (an apptest.Stack).
type Server interface {
	// BaseURL is where the app serves; the links it sends point there.
	BaseURL() string
	// Client is a new HTTP client that keeps cookies.
	Client() *http.Client
	// LastLink is the newest action link texted or emailed to to.
	LastLink(to string) string
}

// Client is a signed-in staff browser session.
type Client struct {
	HTTP *http.Client
	Base string
	// CSRF is the session's token (the same one GET /api/me returns).
	CSRF string
	t    testing.TB
}

// Response is a finished request.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// CSRFField returns the csrf_token hidden field of a page.
func CSRFField(body string) string {
	if m := csrfField.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// SignIn signs email in through the magic link and returns the session.
func SignIn(t testing.TB, s Server, email string) *Client {
	t.Helper()
	return SignInAt(t, s, s.BaseURL(), email)
}

// SignInAt signs in through another server (base) running the same app's
// staff pages, e.g. one with a fake session clock.
func SignInAt(t testing.TB, s Server, base, email string) *Client {
	t.Helper()
	c := &Client{HTTP: s.Client(), Base: base, t: t}
	return c.SignIn(s, email)
}

// SignIn signs email in with this client: the link is asked for from
// another browser (as from a phone), then opened here, where a session
// this client already has is replaced.
func (c *Client) SignIn(s Server, email string) *Client {
	t := c.t
	t.Helper()
	asker := &Client{HTTP: s.Client(), Base: c.Base, t: t}
	link := asker.RequestLink(s, email)
	if link == "" {
		t.Fatalf("no sign-in link was emailed to %s", email)
	}
	page := c.Get(link)
	if page.Status != 200 || !strings.Contains(page.Body, "Sign in") {
		t.Fatalf("sign-in link page: %d\n%s", page.Status, page.Body)
	}
	done := c.PostForm(link, url.Values{"csrf_token": {CSRFField(page.Body)}})
	if done.Status != http.StatusSeeOther {
		t.Fatalf("pressing Sign in: %d\n%s", done.Status, done.Body)
	}
	// Every staff page carries the session's CSRF token (the sign-out form).
	home := c.Get("/staff")
	if c.CSRF = CSRFField(home.Body); home.Status != 200 || c.CSRF == "" {
		t.Fatalf("after sign-in /staff: %d\n%s", home.Status, home.Body)
	}
	return c
}

// RequestLink fills the sign-in form and returns the link emailed to
// email ("" if none came).
func (c *Client) RequestLink(s Server, email string) string {
	c.t.Helper()
	form := c.Get("/staff/login")
	if form.Status != 200 {
		c.t.Fatalf("sign-in form: %d", form.Status)
	}
	// method=link: the emailed link even where the district also has a
	// sign-in provider (ignored where it has none).
	sent := c.PostForm("/staff/login", url.Values{"email": {email}, "method": {"link"}, "csrf_token": {CSRFField(form.Body)}})
	if sent.Status != 200 || !strings.Contains(sent.Body, "Check your email") {
		c.t.Fatalf("asking for a link: %d\n%s", sent.Status, sent.Body)
	}
	link := s.LastLink(email)
	if link == "" {
		return ""
	}
	return c.Base + strings.TrimPrefix(link, s.BaseURL())
}

// Get fetches a URL (absolute, or a path on the stack).
func (c *Client) Get(u string) Response { return c.Do(http.MethodGet, u, "", nil, nil) }

// PostForm posts a form as the browser does.
func (c *Client) PostForm(u string, v url.Values) Response {
	return c.Do(http.MethodPost, u, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), nil)
}

// Action posts a staff form with the session's CSRF token.
func (c *Client) Action(path string, v url.Values) Response {
	if v == nil {
		v = url.Values{}
	}
	v.Set("csrf_token", c.CSRF)
	return c.PostForm(path, v)
}

// JSON sends a JSON API request with the CSRF header.
func (c *Client) JSON(method, path, body string) Response {
	return c.Do(method, path, "application/json", strings.NewReader(body), http.Header{"X-CSRF-Token": {c.CSRF}})
}

// Do sends any request.
func (c *Client) Do(method, u, contentType string, body io.Reader, h http.Header) Response {
	c.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = c.Base + u
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// Anonymous is a client with no session (cookies kept).
func Anonymous(t testing.TB, s Server) *Client {
	return &Client{HTTP: s.Client(), Base: s.BaseURL(), t: t}
}

// Field returns the value of a page's hidden input by name.
func Field(body, name string) string {
	re := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`)
	if m := re.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// Link returns the href of a page's link with the given rel ("" if none).
func Link(body, rel string) string {
	re := regexp.MustCompile(`<a href="([^"]*)" rel="` + regexp.QuoteMeta(rel) + `"`)
	if m := re.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// LinkText returns the href of the first link whose text is text.
func LinkText(body, text string) string {
	re := regexp.MustCompile(`<a href="([^"]*)"[^>]*>` + regexp.QuoteMeta(text) + `</a>`)
	if m := re.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

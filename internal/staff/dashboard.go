package staff

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/store"
)

// listQuery is the student list's filters as they appear in the URL.
type listQuery struct {
	Stage, Waiting, Search, School string
	Overdue                        bool
	After                          *store.ListCursor
	// SearchError is shown next to the search field when the search
	// cannot be a name (a NUL or control byte, broken UTF-8): the page
	// answers 400 rather than letting the database refuse it with a 500.
	SearchError string
}

// maxSearch bounds the search text (in characters, never cutting one).
const maxSearch = 100

// parseListQuery reads the filters; unknown values are dropped, not errors
// (a stale bookmark still opens the dashboard). Only a search that is not
// text at all is refused, in SearchError.
func parseListQuery(r *http.Request, schools []store.SchoolName) listQuery {
	q := r.URL.Query()
	lq := listQuery{Search: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") != ""}
	if !searchable(lq.Search) {
		lq.Search, lq.SearchError = "", "Search for a name using letters, spaces, hyphens and apostrophes."
	}
	if v := q.Get("stage"); v == store.StageFilterAll || slices.ContainsFunc(stages, func(o option) bool { return o.Value == v }) {
		lq.Stage = v
	}
	if v := q.Get("waiting"); slices.ContainsFunc(parties, func(o option) bool { return o.Value == v }) {
		lq.Waiting = v
	}
	if v := q.Get("school"); slices.ContainsFunc(schools, func(s store.SchoolName) bool { return s.ID == v }) {
		lq.School = v
	}
	if c, err := store.ParseListCursor(q.Get("after")); err == nil {
		lq.After = &c
	}
	if r := []rune(lq.Search); len(r) > maxSearch {
		lq.Search = string(r[:maxSearch])
	}
	return lq
}

// searchable reports whether s can be a name: valid UTF-8 without NUL or
// other control characters (PostgreSQL refuses a NUL in text).
func searchable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

func (lq listQuery) filter() store.ListFilter {
	return store.ListFilter{Stage: lq.Stage, WaitingOn: lq.Waiting, Overdue: lq.Overdue, Search: lq.Search, SchoolID: lq.School}
}

// values is the filter as URL parameters (without the page cursor).
func (lq listQuery) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("stage", lq.Stage)
	set("waiting", lq.Waiting)
	set("q", lq.Search)
	set("school", lq.School)
	if lq.Overdue {
		v.Set("overdue", "1")
	}
	return v
}

type dashboardPage struct {
	base
	Query   listQuery
	Schools []store.SchoolName
	Funnel  []funnelStep
	// MicroFunnel counts micro-internships apart (they skip the badge).
	MicroFunnel []funnelStep
	// PlacedPosting and PlacedFound split the placed: through a posting,
	// or an internship the student found.
	PlacedPosting, PlacedFound int
	SchoolName                 string
	Rows                       []store.ListRow
	NextURL                    string
	FirstURL                   string
	ExportURL                  string
	FunnelURL                  string
	Stages                     []option
	Parties                    []option
	// Replies are the newest unread texts from students and guardians
	// in scope; UnreadReplies counts them all.
	Replies       []store.Reply
	UnreadReplies int
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.ViewRoles...) {
		if p.HasAny(auth.MOURoles...) {
			http.Redirect(w, r, "/staff/mous", http.StatusSeeOther)
			return
		}
		h.message(w, r, http.StatusForbidden, "No access yet", "Your account has no role yet. Ask your district administrator to add you to a school.")
		return
	}
	sc := p.ViewScope()
	schools, err := h.Store.SchoolsInScope(r.Context(), sc)
	if err != nil {
		h.failed(w, r, "schools", err)
		return
	}
	d := dashboardPage{base: h.base(r, "Students", "dashboard"), Schools: schools, Stages: stages, Parties: parties}
	d.zones = schoolZones(schools)
	d.Query = parseListQuery(r, schools)
	status := http.StatusOK
	if d.Query.SearchError != "" {
		// The page still shows, unfiltered by name, with the message next to the field.
		status = http.StatusBadRequest
	}
	if err := h.loadDashboard(r, sc, &d); err != nil {
		h.failed(w, r, "dashboard", err)
		return
	}
	if d.SchoolName == "" && len(schools) == 1 {
		// A new coordinator's school has no journeys yet, so no funnel
		// row names it: the page is still theirs.
		d.SchoolName = schools[0].Name
	}
	render(w, r, status, "dashboard", d)
}

// loadDashboard runs the funnel and the list concurrently.
func (h *Handler) loadDashboard(r *http.Request, sc store.Scope, d *dashboardPage) error {
	g, ctx := errgroup.WithContext(r.Context())
	g.Go(func() error {
		rows, err := h.Store.FunnelBySchool(ctx, sc, d.Query.School)
		total := store.FunnelTotal(rows)
		d.Funnel = funnelSteps(total.Funnel)
		d.MicroFunnel = microFunnelSteps(total.Micro)
		if len(rows) == 1 {
			d.SchoolName = rows[0].SchoolName
		}
		return err
	})
	g.Go(func() (err error) {
		d.PlacedPosting, d.PlacedFound, err = h.Store.PlacedBySource(ctx, sc, d.Query.School)
		return err
	})
	g.Go(func() error {
		page, err := h.Store.ListJourneys(ctx, sc, d.Query.filter(), d.Query.After, PageSize)
		d.Rows = page.Rows
		if page.Next != nil {
			v := d.Query.values()
			v.Set("after", page.Next.String())
			d.NextURL = "/staff?" + v.Encode()
		}
		return err
	})
	g.Go(func() (err error) {
		d.Replies, d.UnreadReplies, err = h.Store.UnreadReplies(ctx, sc, repliesOnDashboard)
		return err
	})
	v := d.Query.values()
	d.FirstURL = "/staff?" + v.Encode()
	d.ExportURL = "/staff/export/students.csv?" + v.Encode()
	d.FunnelURL = "/staff/export/funnel.csv?" + url.Values{"school": {d.Query.School}}.Encode()
	return g.Wait()
}

package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/internflow/internflow/internal/store"
)

// homeAddress is a student's home address as a permit prints it.
type homeAddress = store.HomeAddress

var (
	stateRe = regexp.MustCompile(`^[A-Za-z]{2}$`)
	zipRe   = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)
)

// readAddress reads the address fields, adding every problem to errs at
// once, each beside its field.
func readAddress(r *http.Request, c *call, errs formErrors) homeAddress {
	get := func(f string) string { return strings.Join(strings.Fields(r.PostForm.Get(f)), " ") }
	a := homeAddress{Line1: get("address_line1"), City: get("city"), State: strings.ToUpper(get("state")), Zip: get("postal_code")}
	if len(a.Line1) < 3 || len(a.Line1) > 200 {
		errs.Add("address_line1", c.lang.T("address.line1_required"))
	}
	if a.City == "" || len(a.City) > 100 {
		errs.Add("city", c.lang.T("address.city_required"))
	}
	if !stateRe.MatchString(a.State) {
		errs.Add("state", c.lang.T("address.state_required"))
	}
	if !zipRe.MatchString(a.Zip) {
		errs.Add("postal_code", c.lang.T("address.zip_required"))
	}
	return a
}

// addressMissing reports whether the journey's student has no home
// address on record.
func (p *Pages) addressMissing(ctx context.Context, c *call) (bool, error) {
	return p.Store.StudentAddressMissing(ctx, c.j.StudentID)
}

// saveAddress records the address on the student record, only where none
// is recorded: a signing link fills a gap, it never overwrites what the
// school has. The signed permit prints it.
func (p *Pages) saveAddress(ctx context.Context, c *call, a homeAddress) error {
	err := p.Store.FillStudentAddress(ctx, c.j.StudentID, a)
	if err == nil {
		p.audit(ctx, c, "home_address_added", "", "")
	}
	return err
}

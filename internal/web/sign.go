package web

import (
	"context"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/names"
	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/workflows"
)

// Signing (work permit, MOU) takes two steps on one link, each a
// deliberate act recorded server-side: 1. read the ESIGN disclosure and
// press "I agree" (stored in esign_consents); 2. type your full name and
// press Sign. The signature is bound to the document hash the link was
// minted for, never to anything the form sends.

// signable is one document a link may sign.
type signable struct {
	view signView
	// problem names the status page to show instead of the form
	// ("changed", "signed", "approved"); "" when signing is open.
	problem string
	// mouYear is the program year of the MOU signed (view.Kind "mou").
	mouYear int
}

// signView is what the signing page shows.
type signView struct {
	Kind       string // "permit" or "mou"
	Role       string // the signer's role, in words
	Step       int    // 1: consent, 2: sign
	Fields     [][2]string
	FieldsNote bool // the record changed since the PDF was made: read the PDF
	Text       string
	SHA256     string
	Disclosure []string
	ConsentAt  time.Time
	Signed     string // link to the signed PDF, once approved
	// Confirm is a typed name that differs from the name on record: the
	// page asks "sign anyway?" with a button that signs with it.
	Confirm string
	// Reason is why the school rejected the version before this one, and
	// Changes what was corrected since (a re-signed permit only).
	Reason  string
	Changes []permit.Change
	// AskAddress: the student's home address is missing (an imported
	// roster rarely has it, a permit needs it); the student or parent
	// gives it with their signature.
	AskAddress bool
}

type signLoader func(*Pages, context.Context, *call) (signable, error)

func (p *Pages) formSignPermit(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	p.formSign(w, r, c, errs, (*Pages).permitSignable)
}

func (p *Pages) submitSignPermit(w http.ResponseWriter, r *http.Request, c *call) {
	p.submitSign(w, r, c, (*Pages).permitSignable)
}

func (p *Pages) formSignMOU(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	p.formSign(w, r, c, errs, (*Pages).mouSignable)
}

func (p *Pages) submitSignMOU(w http.ResponseWriter, r *http.Request, c *call) {
	p.submitSign(w, r, c, (*Pages).mouSignable)
}

// formSign shows step 1 (disclosure) until consent is recorded, then
// step 2 (typed name).
func (p *Pages) formSign(w http.ResponseWriter, r *http.Request, c *call, errs formErrors, load signLoader) {
	p.formSignConfirm(w, r, c, errs, load, "")
}

// formSignConfirm is formSign asking to confirm a typed name that is not
// the name on record.
func (p *Pages) formSignConfirm(w http.ResponseWriter, r *http.Request, c *call, errs formErrors, load signLoader, confirm string) {
	s, err := load(p, r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "load document", err)
		return
	}
	if s.problem != "" {
		p.signProblem(w, r, c, s)
		return
	}
	cs, err := p.consentFor(r.Context(), c.link.ID)
	if err != nil {
		p.failed(w, r, c, "load consent", err)
		return
	}
	s.view.Step, s.view.Disclosure = 1, c.lang.disclosure()
	if cs != nil {
		s.view.Step, s.view.ConsentAt, s.view.Confirm = 2, cs.At, confirm
	}
	p.showForm(w, r, c, "sign", errs, s.view)
}

// signProblem explains why this link cannot sign (document changed,
// already signed, already approved).
func (p *Pages) signProblem(w http.ResponseWriter, r *http.Request, c *call, s signable) {
	v := statusView{Heading: c.lang.T("status." + s.problem + ".title"), Body: c.lang.T("status." + s.problem + ".body"),
		Signed: s.view.Signed, NewLink: s.problem == "changed" && c.link.JourneyID != ""}
	p.render(w, r, c, http.StatusConflict, "status", page{Title: v.Heading, V: v})
}

func (p *Pages) submitSign(w http.ResponseWriter, r *http.Request, c *call, load signLoader) {
	s, err := load(p, r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "load document", err)
		return
	}
	if s.problem != "" {
		p.signProblem(w, r, c, s)
		return
	}
	if r.PostForm.Get("step") == "consent" {
		p.consent(w, r, c, load)
		return
	}
	cs, err := p.consentFor(r.Context(), c.link.ID)
	if err != nil {
		p.failed(w, r, c, "load consent", err)
		return
	}
	if cs == nil {
		p.formSign(w, r, c, formErrors{"": c.lang.T("esign.consent_first")}, load)
		return
	}
	name := strings.Join(strings.Fields(r.PostForm.Get("typed_name")), " ")
	errs := formErrors{}
	if len([]rune(name)) < 2 || len(name) > 200 {
		errs.Add("typed_name", c.lang.T("sign.name_required"))
	}
	var addr homeAddress
	if s.view.AskAddress {
		addr = readAddress(r, c, errs)
	}
	if len(errs) > 0 {
		p.formSign(w, r, c, errs, load)
		return
	}
	rec, err := p.Store.NameOnRecord(r.Context(), c.link.PersonRef)
	record := names.Record(rec)
	if err != nil {
		p.failed(w, r, c, "load signer's name", err)
		return
	}
	mismatch := record.Name != "" && !names.Match(name, record.Names()...)
	if mismatch && r.PostForm.Get("confirm_name") != name {
		// Not refused (people sign as they are known), but not silently
		// accepted either: the signer confirms, and the issuer sees both.
		msg := c.lang.Tf("sign.name_mismatch", name, record.Name)
		p.formSignConfirm(w, r, c, formErrors{"typed_name": msg}, load, name)
		return
	}
	if s.view.AskAddress {
		if err := p.saveAddress(r.Context(), c, addr); err != nil {
			p.failed(w, r, c, "save home address", err)
			return
		}
	}
	in := signInput(c, cs, name)
	in.NameOnRecord, in.NameMismatchConfirmed = record.Name, mismatch
	key := updateID(c, "sign", name)
	err = p.sendSignature(r.Context(), c, s, key, in)
	done := "sign.done_" + s.view.Kind
	if s.view.Kind == "permit" && in.Role == "employer" { // not "your coordinator": the school's
		done = "sign.done_permit_employer"
	}
	p.outcome(w, r, c, err, key, sameFields("typed_name", "consent"),
		func(e formErrors) { p.formSign(w, r, c, e, load) }, doneView{Body: c.lang.T(done)})
}

// sendSignature hands the signature to the workflow that collects it:
// the student's journey for a work permit, the employer's MOU workflow
// for an MOU.
func (p *Pages) sendSignature(ctx context.Context, c *call, s signable, key string, in workflows.SignInput) error {
	if s.view.Kind == "mou" {
		ctx, cancel := context.WithTimeout(ctx, updateTimeout)
		defer cancel()
		return p.Journeys.SignMOU(ctx, c.link.PersonRef, s.mouYear, key, workflows.MOUSignInput{SignInput: in})
	}
	return deliver(ctx, p, c, p.Journeys.SignPermit, key, in)
}

// signInput is the signature with its evidence: the consent time from
// the server's record, the document hash from the link, the address and
// browser of this request, the link's id.
func signInput(c *call, cs *consent, typedName string) workflows.SignInput {
	return workflows.SignInput{
		By: c.actor(), Role: signerRole(c), TypedName: typedName,
		DocumentSHA256: hex.EncodeToString(c.link.DocumentSHA256),
		Consent:        true, ConsentAt: cs.At, IP: c.ip, UserAgent: c.ua, LinkID: c.link.ID,
	}
}

// signerRole is the role the link signs as: the permit link names it
// ("guardian:v2"); an MOU is signed by the employer.
func signerRole(c *call) string {
	if c.link.Action == "sign_mou" {
		return "employer"
	}
	role, _, _ := strings.Cut(c.link.SubjectRef, ":")
	return role
}

// consent records step 1 and sends the person on to step 2 (a redirect,
// so reloading the page does not post again).
func (p *Pages) consent(w http.ResponseWriter, r *http.Request, c *call, load signLoader) {
	if r.PostForm.Get("agree") != "yes" {
		p.formSign(w, r, c, formErrors{"agree": c.lang.T("esign.must_agree")}, load)
		return
	}
	if _, err := p.recordConsent(r.Context(), c); err != nil {
		p.failed(w, r, c, "record consent", err)
		return
	}
	p.audit(r.Context(), c, "esign_consent", "", "")
	http.Redirect(w, r, c.action(), http.StatusSeeOther)
}

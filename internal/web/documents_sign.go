package web

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/internal/store"
)

// permitRef is the permit version a signing link was minted for
// (SubjectRef "<role>:v<version>").
func permitRef(subject string) (role string, version int, ok bool) {
	role, v, found := strings.Cut(subject, ":v")
	n, err := strconv.Atoi(v)
	return role, n, found && err == nil && n > 0
}

// roleFits checks the link's person may sign in that role.
func roleFits(role, personKind string) bool {
	switch role {
	case "student", "guardian":
		return personKind == role
	case "employer":
		return personKind == "supervisor" || personKind == "employer"
	}
	return false
}

// permitSignable loads the permit version the link signs and says whether
// it can still be signed: the version must be current and its document
// must hash to exactly what the link was bound to. A new version (after a
// rejection) voids earlier signatures; its own new links go out.
func (p *Pages) permitSignable(ctx context.Context, c *call) (signable, error) {
	role, version, ok := permitRef(c.link.SubjectRef)
	if !ok || !roleFits(role, c.link.PersonKind) {
		return signable{problem: "changed"}, nil
	}
	w, err := p.Store.PermitToSign(ctx, c.j.ID, version)
	if errors.Is(err, store.ErrNotFound) {
		return signable{problem: "changed"}, nil
	}
	if err != nil {
		return signable{}, err
	}
	status, docID, signedPDF, sum, latest := w.Status, w.DocumentID, w.SignedPDF, w.SHA256, w.Latest
	s := signable{view: signView{Kind: "permit", Role: c.lang.T("role." + role), SHA256: hex.EncodeToString(sum)}}
	if signedPDF != "" {
		s.view.Signed = c.path() + "/file/signed"
	}
	switch {
	case !bytes.Equal(sum, c.link.DocumentSHA256) || latest > version || status == "rejected" || status == "superseded":
		s.problem = "changed"
	case status == "approved":
		s.problem = "approved"
	}
	if s.problem != "" {
		return s, nil
	}
	signed, err := p.Store.HasSigned(ctx, docID, role)
	if err != nil {
		return s, err
	}
	if signed {
		s.problem = "signed"
		return s, nil
	}
	if err := p.permitFields(ctx, c, &s.view, version, sum); err != nil {
		return s, err
	}
	if err := p.permitCorrection(ctx, c, &s.view, version); err != nil {
		return s, err
	}
	if role == "student" || role == "guardian" {
		if s.view.AskAddress, err = p.addressMissing(ctx, c); err != nil {
			return s, err
		}
	}
	return s, nil
}

// permitFields shows the permit's fields when they reproduce the signed
// PDF exactly; otherwise the page points to the PDF itself.
func (p *Pages) permitFields(ctx context.Context, c *call, v *signView, version int, sum []byte) error {
	f, same, err := permit.FieldsFor(ctx, p.Store, c.j.ID, version, sum)
	if err != nil {
		return err
	}
	if !same {
		v.FieldsNote = true
		return nil
	}
	for _, row := range f.Rows(c.lang.Code) {
		if row[1] == "" {
			row[1] = "—" // blank on the form too
		}
		v.Fields = append(v.Fields, row)
	}
	return nil
}

// permitCorrection shows, on a version drawn after a rejection, why the
// school rejected the one before and what was corrected since, so every
// signer sees what they are asked to sign again and why.
func (p *Pages) permitCorrection(ctx context.Context, c *call, v *signView, version int) error {
	if version < 2 {
		return nil
	}
	var err error
	v.Reason, err = p.Store.RejectionReason(ctx, c.j.ID, version-1)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	v.Changes, err = permit.Changes(ctx, p.Store, c.j.ID, version, c.lang.Code)
	return err
}

// mouSignable loads the employer's MOU the link was minted for.
func (p *Pages) mouSignable(ctx context.Context, c *call) (signable, error) {
	m, err := p.Store.MOUToSign(ctx, c.link.PersonRef, c.link.DocumentSHA256)
	if errors.Is(err, store.ErrNotFound) {
		return signable{problem: "changed"}, nil
	}
	if err != nil {
		return signable{}, err
	}
	year, status, contentType, body := m.ProgramYear, m.Status, m.ContentType, m.Body
	s := signable{view: signView{Kind: "mou", Role: c.lang.T("role.employer"), SHA256: hex.EncodeToString(c.link.DocumentSHA256)}}
	if status != "drafted" {
		s.problem = "signed"
		return s, nil
	}
	if strings.HasPrefix(contentType, "text/plain") {
		s.view.Text = string(body)
	}
	s.mouYear = year
	return s, nil
}

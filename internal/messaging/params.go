package messaging

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// nameCodes turns codes a caller sends into the names people read, in
// the recipient's language: a training code ("workplace_safety") becomes
// training_name ("Workplace safety for young workers").
func nameCodes(ctx context.Context, tx pgx.Tx, params map[string]string, lang string) error {
	code := params["training"]
	if code == "" {
		// Journeys queued before "training" existed sent the code here.
		code = params["training_name"]
	}
	if code == "" {
		return nil
	}
	name, nameES, err := store.TrainingNamesByCode(ctx, tx, code)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Already a name, or a code no longer in the catalogue: never show
		// the code's underscores.
		params["training_name"] = strings.ReplaceAll(code, "_", " ")
		return nil
	case err != nil:
		return fmt.Errorf("training name: %w", err)
	}
	params["training_name"] = name
	if lang == "es" && nameES != "" {
		params["training_name"] = nameES
	}
	return nil
}

// staffPage is the page a staff message opens: the student's page for a
// message about one student, the MOU approvals for an MOU ("" without
// a base URL, or a journey where one is needed).
func (d *Dispatcher) staffPage(template, journeyID string) string {
	if d.cfg.Links == nil || d.cfg.Links.BaseURL == "" {
		return ""
	}
	switch needs[template].Link {
	case mouPage:
		return d.cfg.Links.BaseURL + "/staff/mous"
	case studentPage:
		if journeyID != "" {
			return d.cfg.Links.BaseURL + "/staff/students/" + journeyID
		}
	}
	return ""
}

// inLanguage picks, for a param sent in several languages ("changes" in
// English, "changes@es" in Spanish), the one the reader reads, and drops
// the other languages' copies.
func inLanguage(params map[string]string, lang string) {
	for k, v := range params {
		base, l, ok := strings.Cut(k, "@")
		if !ok {
			continue
		}
		if l == lang && v != "" {
			params[base] = v
		}
		delete(params, k)
	}
}

package staff

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// The employer's partner record on its page: by program year what the
// placements came to and what supervisors and students said, the
// students' comments (staff only; a comment marked a story may be shared)
// and every MOU. The figures are the district's; a coordinator reads the
// comments of their schools' students, and the stories.

// partnerView is the partner record as the employer page shows it.
type partnerView struct {
	Years    []partnerYearView
	Comments []store.PartnerComment
	MOUs     []store.MOUHistory
}

type partnerYearView struct {
	Year                    int
	Placements, Completions int
	Hours                   string
	// Rating is the supervisors' average over every skill and Skills the
	// average per skill, "" when no supervisor rated that year.
	Rating, Skills string
	Recommend      string
}

// partnerRecord reads the employer's record in the principal's scope, and
// the students' recommendation over every year.
func (h *Handler) partnerRecord(r *http.Request, employerID string) (partnerView, string, error) {
	p := principal(r)
	rec, err := h.Store.EmployerPartnerRecord(r.Context(), p.ScopeFor(auth.EmployerViewRoles...), employerID)
	if err != nil {
		return partnerView{}, "", err
	}
	score, err := h.Store.EmployerRecommendScore(r.Context(), p.DistrictID, employerID)
	if err != nil {
		return partnerView{}, "", err
	}
	v := partnerView{Comments: rec.Comments, MOUs: rec.MOUs}
	for _, y := range rec.Years {
		v.Years = append(v.Years, partnerYearView{Year: y.Year, Placements: y.Placements, Completions: y.Completions,
			Hours: oneDecimal(y.Hours), Rating: ratingWords(y.Rating, y.Feedback, "intern rated", "interns rated"), Skills: skillAverages(y.Ratings),
			Recommend: recommendWords(store.RecommendScore{Average: y.Recommend, Count: y.Recommends})})
	}
	return v, recommendWords(score), nil
}

// recommendWords says the students' recommendation score: "4.5 of 5 (2
// students)", or that none answered yet.
func recommendWords(s store.RecommendScore) string {
	return ratingWords(s.Average, s.Count, "student", "students")
}

// ratingWords says an average out of 5 with how many gave it ("" when
// nobody did).
func ratingWords(avg float64, n int, one, many string) string {
	if n == 0 || math.IsNaN(avg) {
		return ""
	}
	if n == 1 {
		return fmt.Sprintf("%s of 5 (1 %s)", oneDecimal(avg), one)
	}
	return fmt.Sprintf("%s of 5 (%d %s)", oneDecimal(avg), n, many)
}

// oneDecimal writes a figure with at most one decimal ("4.5", "100").
func oneDecimal(f float64) string { return number(math.Round(f*10) / 10) }

// skillAverages lists the average per soft skill in the journey's order,
// named as on the certificate.
func skillAverages(avg map[string]float64) string {
	var parts []string
	for _, s := range workflows.SoftSkills {
		if a, ok := avg[s]; ok {
			parts = append(parts, certificate.SkillLabels["en"][s]+" "+oneDecimal(a))
		}
	}
	return strings.Join(parts, " · ")
}

// markStory marks a student's comment a shareable story (or unmarks it),
// audited. Staff who read the comment in their scope may.
func (h *Handler) markStory(w http.ResponseWriter, r *http.Request) {
	if !h.mayView(w, r) {
		return
	}
	e, ok := h.scopedEmployer(w, r)
	if !ok {
		return
	}
	journeyID := chi.URLParam(r, "journeyID")
	story := r.PostFormValue("story") != "0"
	err := store.ErrNotFound
	if uuidRe.MatchString(journeyID) {
		err = h.Store.MarkStory(r.Context(), editor(r), principal(r).ScopeFor(auth.EmployerViewRoles...), e.ID, journeyID, story)
	}
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	done := "Marked as a story staff may share."
	if !story {
		done = "No longer marked as a story."
	}
	h.flashOutcome(w, r, done, err)
	http.Redirect(w, r, "/staff/employers/"+e.ID+"#partner", http.StatusSeeOther)
}

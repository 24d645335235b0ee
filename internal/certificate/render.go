package certificate

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/internflow/internflow/internal/locale"
	"github.com/internflow/internflow/internal/typeface"
	"github.com/internflow/internflow/workflows"
)

// words are the certificate's texts by language.
var words = map[string]map[string]string{
	"en": {
		"title":     "Certificate of Completion",
		"certifies": "This certifies that",
		"student":   "a student at %s, completed %s of work-based learning",
		"as_at":     "as %s at %s",
		"at":        "at %s",
		"program":   "%s · program year %d",
		"from_to":   "From %s to %s",
		"on":        "Completed on %s",
		"skills":    "Skills rated by the employer (1 to 5)",
		"of5":       "%d of 5",
		"code":      "Verification code: %s",
		"verify":    "District staff can confirm this certificate with its code.",
	},
	"es": {
		"title":     "Certificado de Finalización",
		"certifies": "Se certifica que",
		"student":   "estudiante de %s, completó %s de aprendizaje basado en el trabajo",
		"as_at":     "como %s en %s",
		"at":        "en %s",
		"program":   "%s · año del programa %d",
		"from_to":   "Del %s al %s",
		"on":        "Finalizado el %s",
		"skills":    "Habilidades evaluadas por el empleador (de 1 a 5)",
		"of5":       "%d de 5",
		"code":      "Código de verificación: %s",
		"verify":    "El personal del distrito puede confirmar este certificado con su código.",
	},
}

// SkillLabels name the soft skills the employer rates, by language (the
// order is workflows.SoftSkills).
var SkillLabels = map[string]map[string]string{
	"en": {"communication": "Communication", "reliability": "Reliability", "teamwork": "Teamwork",
		"initiative": "Initiative", "professionalism": "Professionalism"},
	"es": {"communication": "Comunicación", "reliability": "Responsabilidad", "teamwork": "Trabajo en equipo",
		"initiative": "Iniciativa", "professionalism": "Profesionalismo"},
}

// Skill is one rated skill as printed.
type Skill struct {
	Label  string
	Rating int
}

// Skills are the certificate's ratings in the usual order, labelled in
// lang; skills not rated are left out.
func Skills(ratings map[string]int, lang string) []Skill {
	labels := SkillLabels[lang]
	if labels == nil {
		labels = SkillLabels["en"]
	}
	var out []Skill
	for _, s := range workflows.SoftSkills {
		if r, ok := ratings[s]; ok {
			out = append(out, Skill{Label: labels[s], Rating: r})
		}
	}
	return out
}

// Render draws the certificate: one landscape page in the student's
// language. The same certificate always gives the same bytes.
func Render(c Certificate) ([]byte, error) {
	lang := c.Language
	if lang != "es" {
		lang = "en"
	}
	w := func(key string, args ...any) string { return fmt.Sprintf(words[lang][key], args...) }
	l := locale.L{Lang: lang}

	pdf := fpdf.New("L", "mm", "Letter", "")
	pdf.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetModificationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetCatalogSort(true)
	pdf.SetTitle(w("title"), true)
	pen := typeface.New(pdf)
	pdf.SetMargins(20, 18, 20)
	pdf.SetAutoPageBreak(false, 0) // one page, whatever the names
	pdf.AddPage()
	pageW, pageH := pdf.GetPageSize()
	// line prints one centred line, in a smaller size when a long name
	// would not fit the width.
	line := func(family typeface.Family, style string, size float64, h float64, text string) {
		for pen.Font(family, style, size); size > 8 && pen.Width(text) > pageW-40; size-- {
			pen.Font(family, style, size-1)
		}
		pen.Cell(0, h, text, "", 1, "C")
	}
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, pageW-20, pageH-20, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(13, 13, pageW-26, pageH-26, "D")

	pdf.Ln(6)
	line(typeface.Sans, "B", 28, 14, w("title"))
	pdf.Ln(4)
	line(typeface.Sans, "", 13, 8, w("certifies"))
	line(typeface.Serif, "BI", 30, 16, c.StudentName)
	line(typeface.Sans, "", 13, 8, w("student", c.School, l.Hours(c.Hours)))
	switch {
	case c.Employer != "" && c.Title != "":
		line(typeface.Sans, "", 13, 8, w("as_at", c.Title, c.Employer))
	case c.Employer != "":
		line(typeface.Sans, "", 13, 8, w("at", c.Employer))
	}
	line(typeface.Sans, "", 12, 7, w("program", c.Program, c.ProgramYear))
	if c.Started != nil && !c.Started.After(c.Completed) {
		line(typeface.Sans, "", 12, 7, w("from_to", l.Date(*c.Started), l.Date(c.Completed)))
	} else {
		line(typeface.Sans, "", 12, 7, w("on", l.Date(c.Completed)))
	}
	if skills := Skills(c.Ratings, lang); len(skills) > 0 {
		pdf.Ln(4)
		line(typeface.Sans, "B", 12, 7, w("skills"))
		const colW = 60
		for _, s := range skills {
			pdf.SetX((pageW - 2*colW) / 2)
			pen.Font(typeface.Sans, "", 11)
			pen.Cell(colW, 6, s.Label, "B", 0, "L")
			pen.Cell(colW, 6, w("of5", s.Rating), "B", 1, "R")
		}
	}
	pdf.SetY(pageH - 34)
	line(typeface.Mono, "B", 12, 7, w("code", c.Code))
	line(typeface.Sans, "", 9, 5, w("verify"))

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render certificate: %w", err)
	}
	return buf.Bytes(), nil
}

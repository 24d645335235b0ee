// Package pathways is the one list of career pathways: California's 15
// CTE industry sectors, by their official names. Students choose one in
// the survey, staff tag postings with one, and reports group by them, so
// a student interested in "Health Science and Medical Technology" meets
// the postings tagged with the same words.
package pathways

import (
	"slices"
	"strings"
)

// Pathway is one industry sector: its name (stored, whatever the page
// language) and its Spanish label.
type Pathway struct {
	Name string
	ES   string
}

// Sectors are California's 15 CTE industry sectors.
var Sectors = []Pathway{
	{"Agriculture and Natural Resources", "Agricultura y recursos naturales"},
	{"Arts, Media, and Entertainment", "Artes, medios y entretenimiento"},
	{"Building and Construction Trades", "Construcción y oficios"},
	{"Business and Finance", "Negocios y finanzas"},
	{"Education, Child Development, and Family Services", "Educación, desarrollo infantil y servicios familiares"},
	{"Energy, Environment, and Utilities", "Energía, medio ambiente y servicios públicos"},
	{"Engineering and Architecture", "Ingeniería y arquitectura"},
	{"Fashion and Interior Design", "Moda y diseño de interiores"},
	{"Health Science and Medical Technology", "Ciencias de la salud y tecnología médica"},
	{"Hospitality, Tourism, and Recreation", "Hotelería, turismo y recreación"},
	{"Information and Communication Technologies", "Tecnologías de la información y comunicación"},
	{"Manufacturing and Product Development", "Manufactura y desarrollo de productos"},
	{"Marketing, Sales, and Service", "Mercadeo, ventas y servicio"},
	{"Public Services", "Servicios públicos"},
	{"Transportation", "Transporte"},
}

// NotSure is the survey's answer for a student who has not chosen yet
// (never a posting's pathway).
var NotSure = Pathway{"Not sure yet", "Todavía no sé"}

// Names are the sectors' names, in order.
func Names() []string {
	out := make([]string, len(Sectors))
	for i, p := range Sectors {
		out[i] = p.Name
	}
	return out
}

// older are names earlier versions stored (the survey's own list) that
// differ from the sector's by more than commas and case.
var older = map[string]string{
	"health sciences":              "Health Science and Medical Technology",
	"health science":               "Health Science and Medical Technology",
	"marketing sales and services": "Marketing, Sales, and Service",
}

// Canonical is the sector a pathway names, as typed or as stored before
// (case, commas and spacing aside; "Health Sciences" is "Health Science
// and Medical Technology"), or "" when it names none.
func Canonical(s string) string {
	key := fold(s)
	if name, ok := older[key]; ok {
		return name
	}
	if i := slices.IndexFunc(Sectors, func(p Pathway) bool { return fold(p.Name) == key }); i >= 0 {
		return Sectors[i].Name
	}
	if key == fold(NotSure.Name) {
		return NotSure.Name
	}
	return ""
}

func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, ",", " "))), " ")
}

package web

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/internflow/internflow/internal/locale"
)

// Lang is the language a page is shown in ("en" or "es"), with the
// person's time zone for the times it shows.
type Lang struct {
	Code string
	Zone *time.Location // nil: UTC (a link without a person)
}

// F formats dates, times, money and hours for this person (one home for
// those formats: internal/locale).
func (l Lang) F() locale.L { return locale.L{Lang: l.Code, Zone: l.Zone} }

// catalogs hold every text the pages show, by language and key.
var catalogs = map[string]map[string]string{"en": english, "es": spanish}

// T is the text for key in this language (English if missing there, the
// key itself if missing everywhere, which a test forbids).
func (l Lang) T(key string) string {
	if s, ok := catalogs[l.Code][key]; ok {
		return s
	}
	if s, ok := english[key]; ok {
		return s
	}
	return key
}

// Tf formats the text for key with args.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// esInputErrors translate the journey's validation messages (written in
// plain English in workflows/) to Spanish. A message not listed is shown
// in English rather than not at all.
var esInputErrors = []struct {
	re *regexp.Regexp
	es string
}{
	{regexp.MustCompile(`^choose a career pathway$`), "elige un área profesional"},
	{regexp.MustCompile(`^choose how you would get to work$`), "elige cómo llegarías al trabajo"},
	{regexp.MustCompile(`^the survey was already submitted$`), "la encuesta ya fue enviada"},
	{regexp.MustCompile(`^this journey has (already )?ended$`), "este programa ya terminó"},
	{regexp.MustCompile(`^this journey is closed$`), "este programa ya terminó"},
	{regexp.MustCompile(`^this step is closed$`), "este paso ya está cerrado"},
	{regexp.MustCompile(`^(.+) is not open right now \(the journey is at (.+)\)$`), "este paso no está abierto ahora"},
	{regexp.MustCompile(`^upload a resume or a cover letter$`), "sube un currículum o una carta de presentación"},
	{regexp.MustCompile(`^attach the file$`), "adjunta el archivo"},
	{regexp.MustCompile(`^your resume and cover letter are with your coordinator for review$`), "tu currículum y tu carta están con tu coordinador para revisión"},
	{regexp.MustCompile(`^you already have a placement$`), "ya tienes una pasantía"},
	{regexp.MustCompile(`^your coordinator is already checking the internship you reported$`), "tu coordinador ya está revisando la pasantía que reportaste"},
	{regexp.MustCompile(`^your supervisor is confirming the internship you reported$`), "tu supervisor está confirmando la pasantía que reportaste"},
	{regexp.MustCompile(`^this internship is not waiting for your confirmation$`), "esta pasantía ya no espera su confirmación"},
	{regexp.MustCompile(`^say why you cannot confirm it$`), "diga por qué no puede confirmarla"},
	{regexp.MustCompile(`^keep the reason to (\d+) characters$`), "use $1 caracteres como máximo"},
	{regexp.MustCompile(`^choose a posting$`), "elige una pasantía"},
	{regexp.MustCompile(`^you already applied to this posting$`), "ya te postulaste a esta pasantía"},
	{regexp.MustCompile(`^you have (\d+) open applications; wait for answers before applying to more$`), "tienes $1 solicitudes abiertas; espera respuestas antes de postularte a más"},
	{regexp.MustCompile(`^that posting does not exist$`), "esa pasantía no existe"},
	{regexp.MustCompile(`^that posting is not open for applications$`), "esa pasantía ya no acepta solicitudes"},
	{regexp.MustCompile(`^the application deadline has passed$`), "la fecha límite ya pasó"},
	{regexp.MustCompile(`^no such application$`), "no existe esa solicitud"},
	{regexp.MustCompile(`^an application that is (\w+) cannot move to (\w+)$`), "una solicitud en estado $1 no puede pasar a $2"},
	{regexp.MustCompile(`^there is no open offer for that application$`), "no hay una oferta abierta para esa solicitud"},
	{regexp.MustCompile(`^the work permit is not ready for signatures$`), "el permiso de trabajo no está listo para firmar"},
	{regexp.MustCompile(`^the (\w+) has already signed this permit$`), "este permiso ya está firmado por esa persona"},
	{regexp.MustCompile(`^the (permit|MOU) changed since this link was sent; use the newest link$`), "el documento cambió desde que se envió este enlace; usa el enlace más reciente"},
	{regexp.MustCompile(`^the work permit is not waiting for corrections$`), "el permiso de trabajo ya no espera correcciones"},
	{regexp.MustCompile(`^only the school can correct (.+)$`), "solo la escuela puede corregir ese dato"},
	{regexp.MustCompile(`^change at least one field$`), "cambie al menos un dato"},
	{regexp.MustCompile(`^agree to sign electronically first$`), "primero acepta firmar electrónicamente"},
	{regexp.MustCompile(`^type your full name to sign$`), "escribe tu nombre completo para firmar"},
	{regexp.MustCompile(`^this MOU is not waiting for the employer's signature$`), "este acuerdo no está esperando la firma del empleador"},
	{regexp.MustCompile(`^that training is not required for your placement$`), "esa capacitación no es requerida para tu pasantía"},
	{regexp.MustCompile(`^that training is not required by your program$`), "esa capacitación no es requerida por tu programa"},
	{regexp.MustCompile(`^trainings open once you are Intern Ready$`), "las capacitaciones se abren cuando ganes tu insignia Intern Ready"},
	{regexp.MustCompile(`^that training is already recorded$`), "esa capacitación ya está registrada"},
	{regexp.MustCompile(`^upload your certificate$`), "sube tu certificado"},
	{regexp.MustCompile(`^give the date you completed it$`), "indica la fecha en que la completaste"},
	{regexp.MustCompile(`^the completion date is in the future$`), "la fecha está en el futuro"},
	{regexp.MustCompile(`^this week is already approved$`), "esta semana ya está aprobada"},
	{regexp.MustCompile(`^this week is with your supervisor for approval$`), "esta semana está con tu supervisor para aprobación"},
	{regexp.MustCompile(`^enter the hours you worked$`), "escribe las horas que trabajaste"},
	{regexp.MustCompile(`^hours in a day go from 0 to 24$`), "las horas de un día van de 0 a 24"},
	{regexp.MustCompile(`^give the time work ended like 18:30$`), "escribe la hora en que terminaste, por ejemplo 18:30"},
	{regexp.MustCompile(`^(\S+) is entered twice$`), "$1 está dos veces"},
	{regexp.MustCompile(`^the student has not submitted this week yet$`), "el estudiante aún no envió esta semana"},
	{regexp.MustCompile(`^say what the student should correct$`), "indica qué debe corregir el estudiante"},
	{regexp.MustCompile(`^your deliverable is with the employer for review$`), "tu proyecto está con el empleador para revisión"},
	{regexp.MustCompile(`^attach your work or describe it$`), "adjunta tu trabajo o descríbelo"},
	{regexp.MustCompile(`^enter the hours you spent \(more than 0, at most 40\)$`), "escribe las horas que dedicaste (más de 0, máximo 40)"},
	{regexp.MustCompile(`^there is no deliverable waiting for review$`), "no hay un proyecto esperando revisión"},
	{regexp.MustCompile(`^say what should change$`), "indica qué debe cambiar"},
	{regexp.MustCompile(`^your reflection was already submitted$`), "tu reflexión ya fue enviada"},
	{regexp.MustCompile(`^write a few sentences about what you learned$`), "escribe unas oraciones sobre lo que aprendiste"},
	{regexp.MustCompile(`^choose from 1 to 5 how much you would recommend this placement to a friend$`), "elige de 1 a 5 cuánto le recomendarías esta pasantía a un amigo"},
	{regexp.MustCompile(`^keep the comment under 3,000 characters$`), "el comentario debe tener menos de 3,000 caracteres"},
	{regexp.MustCompile(`^keep the reflection under 10,000 characters$`), "la reflexión debe tener menos de 10,000 caracteres"},
	{regexp.MustCompile(`^feedback was already given$`), "la evaluación ya fue enviada"},
	{regexp.MustCompile(`^rate (\w+)$`), "califica esta habilidad"},
	{regexp.MustCompile(`^ratings go from 1 to 5$`), "las calificaciones van de 1 a 5"},
}

// inputMessage turns a journey's validation message into a sentence for
// the page, in the page's language.
func (l Lang) inputMessage(msg string) string {
	if l.Code == "es" {
		for _, t := range esInputErrors {
			if t.re.MatchString(msg) {
				msg = t.re.ReplaceAllString(msg, t.es)
				break
			}
		}
	}
	return sentence(msg)
}

// sentence capitalises the first letter and ends with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

package messaging

import (
	"strings"

	"github.com/internflow/internflow/internal/names"
)

// Keyword categories of an incoming text.
const (
	keywordStop  = "stop"
	keywordStart = "start"
	keywordHelp  = "help"
	// keywordYes is YES or SÍ: CTIA lists it as an opt-in word, but a
	// student answers "yes" to questions too. It opts back in only a
	// number that is opted out; otherwise it is a reply for the
	// coordinator (see resolveYes).
	keywordYes = "yes"
	// keywordHome asks for the link to the person's own page (MY
	// INTERNSHIP, LINK, MI PASANTÍA).
	keywordHome = "home"
)

// keywords are the CTIA words (and their Spanish equivalents our Spanish
// texts invite) that make a whole text a command. Keys are folded:
// lower case, no accents (see keywordOf).
var keywords = map[string]string{
	"stop": keywordStop, "stopall": keywordStop, "unsubscribe": keywordStop, "cancel": keywordStop,
	"end": keywordStop, "quit": keywordStop, "optout": keywordStop, "revoke": keywordStop,
	"parar": keywordStop, "alto": keywordStop, "cancelar": keywordStop,
	"start": keywordStart, "unstop": keywordStart, "comenzar": keywordStart, "inicio": keywordStart,
	"yes": keywordYes, "si": keywordYes,
	"help": keywordHelp, "info": keywordHelp, "ayuda": keywordHelp,
	"my internship": keywordHome, "link": keywordHome, "mi pasantia": keywordHome, "enlace": keywordHome,
}

// keywordOf returns the keyword category of a text, or "" for a reply.
// Only a text that is the keyword alone counts ("stop by at 3?" is a
// reply); case, accents and surrounding punctuation are ignored
// ("Sí", "¡AYUDA!", "Stop.", "my  Internship").
func keywordOf(body string) string {
	w := strings.Trim(strings.TrimSpace(body), ".!?¡¿ \t\r\n\"'")
	return keywords[strings.Join(strings.Fields(names.FoldAccents(w)), " ")]
}

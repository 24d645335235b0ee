package locale

import (
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	en, es := L{Lang: "en", Zone: la}, L{Lang: "es", Zone: la}
	dob := time.Date(2010, 7, 2, 0, 0, 0, 0, time.UTC)
	signed := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC) // 3:30 PM in Los Angeles
	cases := []struct{ got, want string }{
		{en.Date(dob), "July 2, 2010"},
		{es.Date(dob), "2 de julio de 2010"},
		{en.When(signed), "November 30, 2026 at 3:30 PM PST"},
		{es.When(signed), "30 de noviembre de 2026 a las 15:30 (PST)"},
		{es.Day(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)), "30 de noviembre de 2026"},
		{en.Pay("hourly", 1750), "$17.50 per hour"},
		{es.Pay("hourly", 1750), "$17.50 por hora"},
		{es.Pay("stipend", 150000), "estipendio de $1,500.00"},
		{es.Pay("unpaid", 0), "Sin pago"},
		{es.Hours(7.5), "7.5 horas"},
		{en.Hours(1), "1 hour"},
		{en.Number(12345.678), "12,345.68"},
		{es.ShortDate(dob), "vie 2 de julio"},
		{en.ShortDate(dob), "Fri, Jul 2"},
		{es.ShortDate(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)), "mié 1 de julio"},
		{New("es", "Nowhere/Else").Clock(signed), "23:30"},
		{en.Worksite("Main clinic", "200 Oak Ave", "Fresno", "CA", "93721", false), "Main clinic, 200 Oak Ave, Fresno, CA 93721"},
		{en.Worksite("Remote", "", "", "", "", true), "Remote"},
		{en.Worksite("Help desk", "", "", "", "", true), "Help desk (remote)"},
		{es.Worksite("Remote", "", "", "", "", true), "A distancia"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: %q, want %q", i, c.got, c.want)
		}
	}
}

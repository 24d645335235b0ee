package hours

import "testing"

// TestExplain_EnglishAndSpanish: the student, supervisor and coordinator
// read which rule was broken and why, in their own language.
func TestExplain_EnglishAndSpanish(t *testing.T) {
	ca := For("CA")
	day := Check(ca, schoolWeek(17), days(5)).Breaches[0]
	week := Check(ca, breakWeek(15), days(8, 8, 8, 8, 8, 2)).Breaches[0]
	end := Check(ca, schoolWeek(17), []Day{{Date: "2027-03-05", Hours: 3, End: "01:00"}}).Breaches[0]
	cases := []struct {
		b    Breach
		lang string
		want string
	}{
		{day, "en", "Monday, March 1: 5 hours worked; the limit for ages 16-17 on a school day is 4 hours (California law)."},
		{day, "es", "Lunes 1 de marzo: 5 horas trabajadas; el límite para jóvenes de 16 a 17 años en un día de clases es de 4 horas (ley de California)."},
		{week, "en", "This week: 42 hours worked; the limit for ages 14-15 in a week without school is 40 hours (federal and California law)."},
		{week, "es", "Esta semana: 42 horas trabajadas; el límite para jóvenes de 14 a 15 años en una semana sin clases es de 40 horas (ley federal y de California)."},
		{end, "en", "Friday, March 5: work ended at 1:00 AM; ages 16-17 may not work after 12:30 AM before a day without school (California law)."},
		{end, "es", "Viernes 5 de marzo: terminó de trabajar a las 01:00; los jóvenes de 16 a 17 años no pueden trabajar después de las 00:30 antes de un día sin clases (ley de California)."},
	}
	for _, c := range cases {
		if got := Explain(c.b, c.lang); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.lang, got, c.want)
		}
	}
}

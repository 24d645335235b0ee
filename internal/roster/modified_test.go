package roster_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/internflow/internflow/internal/roster"
)

// bundle writes a OneRoster 1.2 bundle of one school with these users.csv
// and roles.csv rows and returns its directory.
func bundle(t *testing.T, users, roles string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"manifest.csv": "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\nfile.roles,bulk\n",
		"orgs.csv":     "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nORG-A,active,,Adams High,school,A,\n",
		"users.csv": "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,identifier,email,grades,primaryOrgSourcedId\n" +
			users,
		"roles.csv": "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId\n" + roles,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func (e *env) importDir(dir string) roster.Report {
	e.t.Helper()
	b, err := roster.OpenPath(dir)
	if err != nil {
		e.t.Fatal(err)
	}
	defer b.Close()
	rep, err := e.im.Import(context.Background(), b, roster.Options{DistrictID: e.district, Partial: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return rep
}

func (e *env) numbers(sourceID string) (number, stateID, last string) {
	e.t.Helper()
	if err := e.st.Pool.QueryRow(context.Background(), `SELECT COALESCE(student_number, ''), COALESCE(state_id, ''), last_name
		FROM students WHERE district_id = $1 AND source_id = $2`, e.district, sourceID).Scan(&number, &stateID, &last); err != nil {
		e.t.Fatal(err)
	}
	return number, stateID, last
}

const studentRole = "R1,active,,S1,primary,student,,,ORG-A\n"

// The student number (identifier) and state id (userIds) are stored; a
// file whose dateLastModified is older than what was imported last
// changes nothing for that student and says so, and a newer one updates.
func TestImportOneRoster_StoresNumbers_OlderFileNeverOverwritesNewer(t *testing.T) {
	e := newEnv(t)
	march := bundle(t, "S1,active,2026-03-01T10:00:00Z,true,s1,\"{LDAP:s1},{StateID:CA123456}\",Ana,Reyes,100234,,11,ORG-A\n", studentRole)
	january := bundle(t, "S1,active,2026-01-15T10:00:00Z,true,s1,{StateID:CA999999},Ana,Old-Name,100000,,11,ORG-A\n", studentRole)
	april := bundle(t, "S1,active,2026-04-01T10:00:00Z,true,s1,{StateID:CA123456},Ana,Reyes-Cruz,100234,,11,ORG-A\n", studentRole)

	if rep := e.importDir(march); rep.Students.Created != 1 {
		t.Fatalf("march: %+v %+v", rep.Students, rep.Rejected)
	}
	if n, id, _ := e.numbers("S1"); n != "100234" || id != "CA123456" {
		t.Fatalf("stored student number %q, state id %q", n, id)
	}
	rep := e.importDir(january)
	if rep.Students.Stale != 1 || rep.Students.Updated != 0 {
		t.Fatalf("an older file: %+v", rep.Students)
	}
	if n, id, last := e.numbers("S1"); n != "100234" || id != "CA123456" || last != "Reyes" {
		t.Fatalf("after an older file: %q %q %q", n, id, last)
	}
	if rep := e.importDir(april); rep.Students.Updated != 1 {
		t.Fatalf("a newer file: %+v", rep.Students)
	}
	if _, _, last := e.numbers("S1"); last != "Reyes-Cruz" {
		t.Fatalf("after a newer file the name is %q", last)
	}
}

// A role that has ended or not begun gives its user nothing: a student
// whose only enrolment ended is not imported; a teacher whose role begins
// next year is not staff yet.
func TestImportOneRoster_RoleDatesHonoured(t *testing.T) {
	e := newEnv(t)
	dir := bundle(t, "S1,active,,true,s1,,Ana,Reyes,1,,11,ORG-A\nS2,active,,true,s2,,Ben,Left,2,,11,ORG-A\n"+
		"T1,active,,true,t1,,Tess,Later,,tess@district.example.org,,ORG-A\n",
		"R1,active,,S1,primary,student,2026-08-01,2027-06-30,ORG-A\nR2,active,,S2,primary,student,2025-08-01,2026-06-30,ORG-A\n"+
			"R3,active,,T1,primary,teacher,2027-08-01,,ORG-A\n")
	rep := e.importDir(dir)
	if rep.Students.Created != 1 || rep.Staff.Created != 0 {
		t.Fatalf("students %+v staff %+v", rep.Students, rep.Staff)
	}
	if _, ok := e.student("S2"); ok {
		t.Fatal("a student whose enrolment ended was imported")
	}
}

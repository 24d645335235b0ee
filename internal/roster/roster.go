// Package roster imports a district's students, guardians, schools and
// staff from its student information system: OneRoster 1.1/1.2 CSV bundles
// or the plain CSV documented in README.md.
//
// An import is two steps. Parse reads and validates the files into a
// Roster, rejecting bad rows with their line numbers; Importer.Import
// writes the valid rows idempotently, matched by source id, one
// transaction per batch, and reports what changed.
package roster

import "time"

// Formats an import can read.
const (
	FormatOneRoster = "oneroster"
	FormatCSV       = "csv"
)

// Roster is the parsed, validated content of one import's files.
type Roster struct {
	Format string
	// Version is the OneRoster version the manifest declares, if any.
	Version string
	// Delta means the files hold only changes (a OneRoster delta manifest):
	// a student absent from them is not missing from the district.
	Delta    bool
	Schools  []School
	Staff    []Staff
	Students []Student
	// Seen holds the source id of every student row, valid or not, so a
	// student whose row was rejected is not also flagged missing.
	Seen []string
	// Departed holds students the SIS marks tobedeleted: flagged missing
	// even by a delta import.
	Departed []string
	Rejected []Rejection
	Warnings []string
	// Skipped counts rows that are not for internflow: other grades, other
	// roles, records the SIS marks tobedeleted.
	Skipped int
	// Absent lists student fields the files do not carry; re-imports keep
	// what the database has for them instead of clearing it.
	Absent []string
	// AbsentGuardian is the same for guardian fields.
	AbsentGuardian []string
	// HasGuardians is true when the files say who each student's guardians
	// are, so guardians no longer listed can be removed.
	HasGuardians bool
}

// Rejection is one row that was not imported, and why. It carries no names
// or contact details: reports are printed, stored and shown to staff.
type Rejection struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	SourceID string `json:"source_id,omitempty"`
	Reason   string `json:"reason"`
}

// School is a school the district's files name.
type School struct {
	Line     int
	SourceID string
	Name     string
	Timezone string
}

// Staff is a district employee from the roster.
type Staff struct {
	Line     int
	SourceID string
	Name     string
	Email    string
	Phone    string
	Active   bool
	// Role is the SIS role (teacher, administrator, ...), mapped to an
	// internflow role only when Options.StaffRoles says so.
	Role      string
	SchoolIDs []string // source ids
}

// Student is a validated student row with its guardians: they are written
// together or not at all.
type Student struct {
	File          string
	Line          int
	SourceID      string
	SchoolRef     string // the school's source id (or internflow id)
	FirstName     string
	LastName      string
	PreferredName string
	DateOfBirth   *time.Time
	Grade         int // 0 when unknown
	Phone         string
	Email         string
	Language      string
	Timezone      string
	AddressLine1  string
	City          string
	State         string
	PostalCode    string
	// StudentNumber is the number staff know the student by (OneRoster
	// identifier); StateID the state student id (OneRoster userIds).
	StudentNumber string
	StateID       string
	// Modified is the SIS's dateLastModified of the row, when the files
	// carry it: a row older than what is stored is not written.
	Modified  *time.Time
	Guardians []Guardian
	// GuardiansKnown is false when the files name guardians they do not
	// hold (a OneRoster delta): the stored guardians are then kept as they are.
	GuardiansKnown bool
}

// Guardian is a parent or guardian of one student, in position 1 or 2.
type Guardian struct {
	Position     int
	SourceID     string
	Name         string
	Relationship string
	Phone        string
	Email        string
	Language     string
}

// studentFields are the optional student columns an import may lack.
var studentFields = []string{"preferred_name", "date_of_birth", "grade", "phone", "email", "language", "timezone",
	"address_line1", "city", "state", "postal_code", "student_number", "state_id"}

// guardianFields are the optional guardian columns an import may lack.
var guardianFields = []string{"relationship", "phone", "email", "language"}

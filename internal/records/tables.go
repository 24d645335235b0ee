package records

import "github.com/internflow/internflow/internal/store"

// Table says how one database table relates to a student (see
// store.RecordTable: the list lives with the statements it feeds).
type Table = store.RecordTable

// Tables lists every table in the schema; a change that adds a table adds
// it to store.RecordTables.
var Tables = store.RecordTables

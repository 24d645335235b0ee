package web

import pathway "github.com/internflow/internflow/internal/pathways"

// PathwayNames are the career pathways students choose in the survey (in
// English, as journeys store them), so staff tag postings with the same
// words students picked.
func PathwayNames() []string { return pathway.Names() }

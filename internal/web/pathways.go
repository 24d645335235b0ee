package web

// PathwayNames are the career pathways students choose in the survey (in
// English, as journeys store them), so staff tag postings with the same
// words students picked.
func PathwayNames() []string {
	out := make([]string, 0, len(pathways))
	for _, p := range pathways {
		if p.Value != "Not sure yet" {
			out = append(out, p.Value)
		}
	}
	return out
}

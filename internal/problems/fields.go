package problems

// FieldErrors maps a form's field to what is wrong with it; "" is the form
// as a whole (shown on top). The link pages and the staff pages show each
// message next to its field.
type FieldErrors map[string]string

// Add keeps the first message for a field: the first problem found is the
// one to fix first.
func (e FieldErrors) Add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

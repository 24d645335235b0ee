package messaging

import (
	"fmt"
	"regexp"
	"strings"
)

// Defects lists what is wrong with a rendered message as a person reads
// it: the trace an empty placeholder leaves, a raw code, a request to act
// without its link, or a link promised and not carried. link is the URL
// the message should carry ("" for none). Tests use it on every message
// they render (the completeness test, the journeys' messages).
func Defects(template string, r Rendered, channel, link string) []string {
	var out []string
	readable := r.Subject + "\n" + r.Text
	if link != "" {
		readable = strings.ReplaceAll(readable, link, "LINK")
	}
	for _, line := range strings.Split(readable, "\n") {
		if m := hole.FindString(line); m != "" {
			out = append(out, fmt.Sprintf("an empty placeholder (%q) in %q", m, line))
		}
		if m := rawCode.FindString(stripURLs(line)); m != "" {
			out = append(out, fmt.Sprintf("raw code %q in %q", m, line))
		}
		if m := isoDate.FindString(stripURLs(line)); m != "" {
			out = append(out, fmt.Sprintf("raw date %q in %q", m, line))
		}
	}
	wantLink := needs[template].Link != noLink
	switch hasLink := link != "" && strings.Contains(r.Text, link); {
	case wantLink && !hasLink:
		out = append(out, "asks to act but carries no link")
	case !wantLink && promisesLink(r, channel):
		out = append(out, "promises a link it does not carry")
	}
	return out
}

// rawCode is a snake_case token such as workplace_safety or work_permit.
var rawCode = regexp.MustCompile(`\b[a-z]+_[a-z0-9_]+\b`)

// hole is what an empty placeholder leaves: a space before punctuation,
// two spaces, empty quotes or brackets, a dangling possessive.
var hole = regexp.MustCompile(`\s[.,:;!?]|\S  \S|""|\(\)|\s's\b|^'s|\s:$`)

// isoDate is a date as the database writes it (2027-06-07), not as people do.
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

var urlPattern = regexp.MustCompile(`https?://\S+`)

func stripURLs(s string) string { return urlPattern.ReplaceAllString(s, "URL") }

// promisesLink: the message still ends asking the reader to open
// something ("Details:", "here:").
func promisesLink(r Rendered, channel string) bool {
	text := r.Text
	if channel == ChannelSMS {
		text, _, _ = strings.Cut(text, " Reply STOP")
		text, _, _ = strings.Cut(text, " Responde STOP")
	} else {
		text, _, _ = strings.Cut(text, "\n\n--\n")
	}
	text = strings.TrimSpace(text)
	lower := strings.ToLower(text)
	return strings.HasSuffix(text, ":") || strings.Contains(lower, "here:") || strings.Contains(lower, "aquí:") ||
		strings.Contains(lower, "aqui:")
}

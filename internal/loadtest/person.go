package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
)

// cooperative fills a form the way a willing person does: keeps hidden
// values, agrees, picks the first sensible option, types short answers.
func cooperative(email string) filler {
	today := time.Now().Format(time.DateOnly)
	picked := map[string]bool{} // radio groups and single-choice checkboxes
	return func(f field) []string {
		switch f.kind {
		case "hidden":
			return []string{f.value}
		case "checkbox":
			// One posting, one week's worth of interests is plenty.
			if f.name == "posting_id" || f.name == "interests" || f.name == "languages" || f.name == "availability" {
				if picked[f.name] {
					return nil
				}
				picked[f.name] = true
			}
			if f.value == "" {
				return []string{"on"}
			}
			return []string{f.value}
		case "radio":
			return pickRadio(picked, f)
		case "select":
			for _, o := range f.options {
				if o != "" {
					return []string{o}
				}
			}
		case "date":
			return []string{today}
		case "number":
			if f.name == "hours" {
				return []string{"6"}
			}
			return []string{"2"} // two hours a day on a timesheet
		case "email":
			return []string{email}
		}
		return typed(f)
	}
}

// preferred answers for radio groups: travel by transit, rate 4 of 5.
var preferred = map[string]string{"transport": "transit", "decision": "approve", "status": "offer"}

func pickRadio(picked map[string]bool, f field) []string {
	if picked[f.name] {
		return nil
	}
	want, ok := preferred[f.name]
	if strings.HasPrefix(f.name, "r_") {
		want, ok = "4", true
	}
	if !ok || f.value == want {
		picked[f.name] = true
		return []string{f.value}
	}
	return nil
}

func typed(f field) []string {
	switch f.name {
	case "typed_name":
		return []string{"Load Test Person"}
	case "address_line1":
		return []string{"100 Main St"}
	case "city":
		return []string{"Fresno"}
	case "state":
		return []string{"CA"}
	case "postal_code":
		return []string{"93721"}
	case "body":
		return []string{"I learned how a real workplace runs, how to ask good questions, and how to manage my time."}
	case "comment", "note":
		return []string{"Thanks, looks good."}
	case "email":
		return nil
	}
	if f.kind == "text" || f.kind == "textarea" {
		return []string{f.value}
	}
	return nil
}

// choose picks the submit button a willing person presses.
func choose(buttons []field) *field {
	for _, want := range []string{"offer", "approve", "accept", "yes"} {
		for i, b := range buttons {
			if b.value == want {
				return &buttons[i]
			}
		}
	}
	if len(buttons) > 0 {
		return &buttons[0]
	}
	return nil
}

// errStuck means a page kept showing its form (it refused the input).
var errStuck = errors.New("the page kept asking for the same form")

// open follows a link like a person: open it, fill the form, press the
// button, and keep going while the answer asks for more (signing has a
// consent step before the signature). pick selects the form to fill.
func open(ctx context.Context, c *http.Client, link string, fill filler, pick func([]form) *form) error {
	return openSteps(ctx, c, link, fill, pick, 4)
}

// openSteps is open with a bound on the forms submitted (staff actions
// submit once; the page they return to is the same student page).
func openSteps(ctx context.Context, c *http.Client, link string, fill filler, pick func([]form) *form, steps int) error {
	page, err := url.Parse(link)
	if err != nil {
		return err
	}
	resp, body, err := get(ctx, c, link)
	if err != nil {
		return err
	}
	last := ""
	for round := 0; round < steps; round++ {
		// Keep going only on the same page (a next step); a page we were
		// sent on to (the dashboard after signing in) is somewhere else.
		if round > 0 && resp.Request.URL.Path != page.Path {
			return nil
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return fmt.Errorf("%s answered %d", resp.Request.URL.Path, resp.StatusCode)
		}
		f := pick(parseForms(body))
		if f == nil || resp.StatusCode >= 400 {
			return nil // a done page, or one that says the link is used: nothing more to do
		}
		if sig := fmt.Sprint(f.action, len(f.fields)); sig == last && round > 1 {
			return errStuck
		} else {
			last = sig
		}
		if resp, body, err = submit(ctx, c, resp.Request.URL, *f, fill, choose); err != nil {
			return err
		}
		if debug {
			fmt.Printf("POST %s -> %d %s\n", resp.Request.URL.Path, resp.StatusCode, title(body))
		}
		if resp.StatusCode >= 500 {
			return fmt.Errorf("POST %s: %d", page.Path, resp.StatusCode)
		}
	}
	return nil
}

// linkForm picks the page's own form (not "send me a new link"). A
// simulated person signs with a name that is not the one on record, and
// confirms it when the page asks ("Yes, sign as ...").
func linkForm(fs []form) *form {
	for i, f := range fs {
		if slices.ContainsFunc(f.fields, func(x field) bool { return x.name == "confirm_name" }) {
			return &fs[i]
		}
	}
	for i, f := range fs {
		if !strings.HasSuffix(f.action, "/new-link") {
			return &fs[i]
		}
	}
	return nil
}

// actionForm picks the form posting to a path ending in suffix.
func actionForm(suffix string) func([]form) *form {
	return func(fs []form) *form {
		for i, f := range fs {
			if strings.HasSuffix(f.action, suffix) {
				return &fs[i]
			}
		}
		return nil
	}
}

var debug = os.Getenv("LOADTEST_DEBUG") != ""

func title(page []byte) string {
	s := string(page)
	i := strings.Index(s, "<h1")
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, "</h1>"); j > 0 {
		s = s[:j]
	}
	if k := strings.Index(s, "class=\"error"); k > 0 {
		return s
	}
	return s
}

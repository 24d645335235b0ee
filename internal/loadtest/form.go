// Package loadtest is the load generator: simulated students, parents,
// employers and staff who act through the same pages a person uses (they
// open the link a text carried, read the form, fill it in and press the
// button), against real `internflow serve` and `worker` processes.
package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// form is an HTML form as a browser sees it.
type form struct {
	action, enctype string
	fields          []field
	buttons         []field // named submit buttons: the choice is part of the post
}

type field struct {
	kind, name, value string
	options           []string
	checked           bool
}

// parseForms reads every POST form of a page.
func parseForms(page []byte) []form {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil
	}
	var forms []form
	var walk func(n *html.Node, cur *form)
	walk = func(n *html.Node, cur *form) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				if strings.EqualFold(attr(n, "method"), "post") {
					forms = append(forms, form{action: attr(n, "action"), enctype: attr(n, "enctype")})
					cur = &forms[len(forms)-1]
				}
			case "input", "textarea", "select", "button":
				if cur != nil {
					addField(n, cur)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, cur)
		}
	}
	walk(doc, nil)
	return forms
}

func addField(n *html.Node, f *form) {
	name := attr(n, "name")
	switch n.Data {
	case "button":
		if name != "" && attr(n, "type") != "button" {
			f.buttons = append(f.buttons, field{kind: "button", name: name, value: attr(n, "value")})
		}
	case "textarea":
		f.fields = append(f.fields, field{kind: "textarea", name: name, value: text(n)})
	case "select":
		fl := field{kind: "select", name: name}
		var opts func(*html.Node)
		opts = func(m *html.Node) {
			if m.Type == html.ElementNode && m.Data == "option" {
				fl.options = append(fl.options, attr(m, "value"))
			}
			for c := m.FirstChild; c != nil; c = c.NextSibling {
				opts(c)
			}
		}
		opts(n)
		f.fields = append(f.fields, fl)
	default:
		kind := strings.ToLower(attr(n, "type"))
		if kind == "" {
			kind = "text"
		}
		if kind == "submit" && name != "" {
			f.buttons = append(f.buttons, field{kind: "button", name: name, value: attr(n, "value")})
			return
		}
		if name != "" && kind != "submit" {
			f.fields = append(f.fields, field{kind: kind, name: name, value: attr(n, "value"), checked: hasAttr(n, "checked")})
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// filler decides what a person types into a field (nil: leave it).
type filler func(f field) []string

// submit fills and posts a form, as multipart when the form says so.
func submit(ctx context.Context, c *http.Client, page *url.URL, f form, fill filler, button func([]field) *field) (*http.Response, []byte, error) {
	target, err := page.Parse(f.action)
	if err != nil {
		return nil, nil, err
	}
	values := url.Values{}
	files := map[string][]byte{}
	for _, fl := range f.fields {
		if fl.kind == "file" {
			files[fl.name] = samplePDF
			continue
		}
		for _, v := range fill(fl) {
			values.Add(fl.name, v)
		}
	}
	if b := button(f.buttons); b != nil {
		values.Set(b.name, b.value)
	}
	var body io.Reader
	contentType := "application/x-www-form-urlencoded"
	if strings.Contains(f.enctype, "multipart") {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vs := range values {
			for _, v := range vs {
				_ = mw.WriteField(k, v)
			}
		}
		for name, data := range files {
			w, _ := mw.CreateFormFile(name, name+".pdf")
			_, _ = w.Write(data)
		}
		_ = mw.Close()
		body, contentType = &buf, mw.FormDataContentType()
	} else {
		body = strings.NewReader(values.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), body)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", target.Scheme+"://"+target.Host)
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp, out, err
}

// samplePDF is what simulated people upload (a resume, a certificate).
var samplePDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func get(ctx context.Context, c *http.Client, u string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode >= 500 {
		err = fmt.Errorf("GET %s: %d", req.URL.Path, resp.StatusCode)
	}
	return resp, b, err
}

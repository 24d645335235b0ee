package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// checkPodMonitors: each selects the API and the worker, and scrapes a
// named port their containers have.
func (s *set) checkPodMonitors() []error {
	var errs []error
	for _, pm := range s.monitors {
		ws := s.selected(&pm.Spec.Selector)
		if len(ws) < 2 {
			errs = append(errs, fmt.Errorf("PodMonitor %s selects %d Deployments, want the API and the worker", pm.Name, len(ws)))
		}
		if len(pm.Spec.PodMetricsEndpoints) == 0 {
			errs = append(errs, fmt.Errorf("PodMonitor %s: no podMetricsEndpoints", pm.Name))
		}
		for _, ep := range pm.Spec.PodMetricsEndpoints {
			if ep.Port == nil || *ep.Port != metricsPort {
				errs = append(errs, fmt.Errorf("PodMonitor %s: scrape the port named %q", pm.Name, metricsPort))
				continue
			}
			for _, w := range ws {
				if !hasPort(w.spec.Containers[0], *ep.Port) {
					errs = append(errs, fmt.Errorf("PodMonitor %s: %s has no port %s", pm.Name, w.name, *ep.Port))
				}
			}
		}
	}
	return errs
}

var (
	metricName   = regexp.MustCompile(`\binternflow_[a-z_]+`)
	histogram    = regexp.MustCompile(`_(bucket|sum|count)$`)
	promDuration = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`)
)

// checkRules: every alert is named, has a severity and a summary, its
// `for` is a Prometheus duration, its brackets balance, and every
// internflow_* metric it reads is one the code registers (a renamed
// metric would leave an alert that never fires).
func (s *set) checkRules() []error {
	var errs []error
	for _, pr := range s.rules {
		for _, g := range pr.Spec.Groups {
			for _, r := range g.Rules {
				fail := func(format string, a ...any) {
					errs = append(errs, fmt.Errorf("PrometheusRule %s alert %q: %s", pr.Name, r.Alert, fmt.Sprintf(format, a...)))
				}
				expr := r.Expr.String()
				if r.Alert == "" || strings.TrimSpace(expr) == "" {
					fail("needs alert and expr")
				}
				if r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
					fail("needs a severity label and a summary annotation")
				}
				if r.For != nil && !promDuration.MatchString(string(*r.For)) {
					fail("for %q is not a duration", *r.For)
				}
				if err := balanced(expr); err != nil {
					fail("%v", err)
				}
				for _, m := range metricName.FindAllString(expr, -1) {
					if !s.metrics[m] && !s.metrics[histogram.ReplaceAllString(m, "")] {
						fail("%s is not a metric internflow registers (internal/observe)", m)
					}
				}
			}
		}
	}
	return errs
}

// balanced: (), [] and {} pair up outside quoted strings.
func balanced(expr string) error {
	var stack []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	quoted := false
	for _, c := range expr {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, c)
		case pairs[c] != 0:
			if len(stack) == 0 || stack[len(stack)-1] != pairs[c] {
				return fmt.Errorf("unbalanced %q in expr", c)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 || quoted {
		return fmt.Errorf("unclosed bracket or quote in expr")
	}
	return nil
}

// alertNames lists the alerts of every PrometheusRule in objs.
func alertNames(objs []any) []string {
	var out []string
	for _, o := range objs {
		s := index([]any{o}, env{})
		for _, pr := range s.rules {
			for _, g := range pr.Spec.Groups {
				for _, r := range g.Rules {
					out = append(out, r.Alert)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

var registered = regexp.MustCompile(`"(internflow_[a-z_]+)"`)

// metricNames reads the internflow_* metric names registered in
// internal/observe.
func metricNames(dir string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, m := range registered.FindAllSubmatch(b, -1) {
			names[string(m[1])] = true
		}
	}
	if len(names) < 5 {
		return nil, fmt.Errorf("found only %d internflow_* metrics in %s: has its shape changed?", len(names), dir)
	}
	return names, nil
}

package main

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	"helm.sh/helm/v3/pkg/releaseutil"
)

// The release the chart is rendered as: the names match the kustomize base.
const (
	releaseName      = "internflow"
	releaseNamespace = "internflow"
)

// valueSets are the values files the chart is checked with: its defaults
// ("" below) and every file under ci/ (chart-testing's convention).
func valueSets(chartDir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(chartDir, "ci", "*-values.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no values files under %s/ci", chartDir)
	}
	sort.Strings(files)
	return append([]string{""}, files...), nil
}

// readValues reads a values file; "" is the chart's defaults alone.
func readValues(file string) (map[string]any, error) {
	if file == "" {
		return map[string]any{}, nil
	}
	v, err := chartutil.ReadValuesFile(file)
	if err != nil {
		return nil, err
	}
	return v.AsMap(), nil
}

// lintChart is `helm lint --strict`: chart metadata, values against
// values.schema.json, every template rendered and parsed as YAML, and
// Helm's own checks (names, deprecated APIs). Warnings fail too.
func lintChart(chartDir string, values map[string]any) error {
	var problems []string
	for _, m := range lint.AllWithKubeVersion(chartDir, values, releaseNamespace, nil).Messages {
		if m.Severity >= support.WarningSev {
			problems = append(problems, m.Error())
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("helm lint:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// renderChart is `helm template` (install, default capabilities): every
// template with values, each document decoded strictly like a kustomize
// resource. Hooks are included: they are resources too.
func renderChart(chartDir string, values map[string]any) ([]any, chartutil.Values, error) {
	ch, err := loader.Load(chartDir)
	if err != nil {
		return nil, nil, err
	}
	opts := chartutil.ReleaseOptions{Name: releaseName, Namespace: releaseNamespace, Revision: 1, IsInstall: true}
	vals, err := chartutil.ToRenderValues(ch, values, opts, chartutil.DefaultCapabilities)
	if err != nil {
		return nil, nil, fmt.Errorf("values: %w", err)
	}
	// Strict: a reference to a value that does not exist is an error, so
	// a misspelt .Values path in a template cannot render as empty.
	files, err := engine.Engine{Strict: true}.Render(ch, vals)
	if err != nil {
		return nil, nil, fmt.Errorf("render: %w", err)
	}
	objs, err := decodeRendered(ch, files)
	return objs, vals, err
}

// secretsNamed are the Secrets the values say the operator created.
func secretsNamed(vals chartutil.Values) []string {
	var out []string
	for _, p := range []string{"secrets.existingSecret", "temporal.apiKey.existingSecret", "temporal.tls.clientCertSecret", "temporal.tls.caSecret"} {
		if v, err := vals.PathValue("Values." + p); err == nil {
			if s, ok := v.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// decodeRendered decodes the rendered manifests in file order.
func decodeRendered(ch *chart.Chart, files map[string]string) ([]any, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		if path.Ext(name) == ".yaml" && strings.HasPrefix(name, ch.Name()+"/templates/") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []any
	for _, name := range names {
		docs := releaseutil.SplitManifests(files[name])
		keys := make([]string, 0, len(docs))
		for k := range docs {
			keys = append(keys, k)
		}
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		for _, k := range keys {
			if strings.TrimSpace(stripComments(docs[k])) == "" {
				continue
			}
			obj, err := decode([]byte(docs[k]))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			out = append(out, obj)
		}
	}
	return out, nil
}

// stripComments drops YAML comment lines, so a document that is only a
// comment (a disabled template) counts as empty.
func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

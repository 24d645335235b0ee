// Command validate checks internflow's Kubernetes manifests and Helm chart
// without a cluster or network: it renders the base, every overlay and the
// monitoring objects with kustomize (in process), lints and renders the
// chart with its default values and each ci/ values file (Helm as a
// library), decodes every resource strictly into the k8s.io/api and
// Prometheus Operator Go types (an unknown or misspelt field, or a value
// of the wrong type, is an error: the same types the API server's OpenAPI
// schema is generated from), and then checks what a district's cluster
// needs: probes, resources, GOMEMLIMIT at about 90% of the memory limit,
// non-root read-only containers, selectors that select, references to
// ConfigMaps and Secrets that exist, configuration keys internflow
// actually reads, certificate paths that are mounted, /metrics kept off
// every Service and Ingress, egress restricted for every pod, and alerts
// on metrics the code registers.
//
//	go run . ..    (from deploy/k8s/validate; `make lint` does this)
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	root := ".."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	if err := run(root); err != nil {
		fmt.Fprintln(os.Stderr, "deploy/k8s:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	repo := filepath.Join(root, "..", "..")
	known, err := configKeys(filepath.Join(repo, "internal", "config", "config.go"))
	if err != nil {
		return err
	}
	metrics, err := metricNames(filepath.Join(repo, "internal", "observe"))
	if err != nil {
		return err
	}
	external, err := decodeFile(filepath.Join(root, "secret.example.yaml"))
	if err != nil {
		return err
	}
	if err := checkCompose(filepath.Join(repo, "docker-compose.yml"), known); err != nil {
		return err
	}
	fmt.Println("docker-compose.yml: valid")
	e := env{known: known, metrics: metrics, external: external, externalSecrets: externalSecrets}
	kAlerts, kErr := checkKustomize(root, e)
	hAlerts, hErr := checkChart(filepath.Join(root, "..", "helm", "internflow"), env{known: known, metrics: metrics})
	if kErr != nil || hErr != nil {
		return fmt.Errorf("manifests are not valid")
	}
	if strings.Join(kAlerts, ",") != strings.Join(hAlerts, ",") {
		return fmt.Errorf("the kustomize PrometheusRule alerts %v differ from the chart's %v", kAlerts, hAlerts)
	}
	return nil
}

// externalSecrets are created by the operator (documented in the
// overlays), not by the kustomize manifests.
var externalSecrets = []string{"temporal-client-tls", "temporal-api-key"}

// checkKustomize renders the base and every overlay, and the monitoring
// objects together with the base they watch. It returns the alerts.
func checkKustomize(root string, e env) ([]string, error) {
	dirs, err := kustomizations(root)
	if err != nil {
		return nil, err
	}
	var base, alerts []any
	failed := false
	report := func(what string, n int, err error) {
		if err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
			return
		}
		fmt.Printf("%s: %d resources valid\n", what, n)
	}
	for _, dir := range dirs {
		objs, err := build(dir)
		if err == nil {
			err = check(objs, e)
		}
		rel, _ := filepath.Rel(root, dir)
		report("deploy/k8s/"+rel, len(objs), err)
		if rel == "base" {
			base = objs
		}
	}
	mon, err := build(filepath.Join(root, "monitoring"))
	if err == nil {
		err = check(append(append([]any{}, base...), mon...), e)
		alerts = mon
	}
	report("deploy/k8s/monitoring", len(mon), err)
	if failed {
		return nil, fmt.Errorf("manifests are not valid")
	}
	return alertNames(alerts), nil
}

// checkChart lints and renders the Helm chart with its defaults and each
// ci/ values file, checking each rendering like a kustomization. It
// returns the alerts of the last rendering that has them.
func checkChart(chartDir string, e env) ([]string, error) {
	sets, err := valueSets(chartDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return nil, err
	}
	var alerts []string
	failed := false
	for _, file := range sets {
		what := "deploy/helm/internflow (defaults)"
		if file != "" {
			what = "deploy/helm/internflow with ci/" + filepath.Base(file)
		}
		objs, err := checkRendering(chartDir, file, e)
		if err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
			continue
		}
		if a := alertNames(objs); len(a) > 0 {
			alerts = a
		}
		fmt.Printf("%s: %d resources valid\n", what, len(objs))
	}
	if failed {
		return nil, fmt.Errorf("chart is not valid")
	}
	return alerts, nil
}

func checkRendering(chartDir, valuesFile string, e env) ([]any, error) {
	values, err := readValues(valuesFile)
	if err != nil {
		return nil, err
	}
	if err := lintChart(chartDir, values); err != nil {
		return nil, err
	}
	objs, vals, err := renderChart(chartDir, values)
	if err != nil {
		return nil, err
	}
	e.externalSecrets = secretsNamed(vals)
	return objs, check(objs, e)
}

// kustomizations lists base and every overlay.
func kustomizations(root string) ([]string, error) {
	dirs := []string{filepath.Join(root, "base")}
	overlays, err := filepath.Glob(filepath.Join(root, "overlays", "*", "kustomization.yaml"))
	if err != nil {
		return nil, err
	}
	if len(overlays) == 0 {
		return nil, fmt.Errorf("no overlays under %s/overlays", root)
	}
	sort.Strings(overlays)
	for _, o := range overlays {
		dirs = append(dirs, filepath.Dir(o))
	}
	return dirs, nil
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var chartDir = filepath.Join("..", "..", "helm", "internflow")

// render renders the chart with values given as YAML.
func render(t *testing.T, values string) ([]any, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "values.yaml")
	writeFile(t, file, values)
	v, err := readValues(file)
	if err != nil {
		t.Fatal(err)
	}
	objs, _, err := renderChart(chartDir, v)
	return objs, err
}

func TestChart_GoMemLimitIsNinetyPercentOfTheLimit(t *testing.T) {
	objs, err := render(t, "worker:\n  resources:\n    requests: {cpu: 1, memory: 1Gi}\n    limits: {memory: 3Gi}\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := envValue(deployment(objs, "internflow-worker").Spec.Template.Spec.Containers[0], "GOMEMLIMIT"); got != "2764MiB" {
		t.Fatalf("GOMEMLIMIT = %q for a 3Gi limit, want 2764MiB", got)
	}
	if _, err := render(t, "api:\n  resources:\n    requests: {cpu: 1, memory: 1G}\n    limits: {memory: 1G}\n"); err == nil || !strings.Contains(err.Error(), "'1G'") || !strings.Contains(err.Error(), "Mi|Gi") {
		t.Fatalf("a limit GOMEMLIMIT cannot be computed from must be refused naming the unit, got %v", err)
	}
}

func TestChart_MisspeltValueIsRefused(t *testing.T) {
	if _, err := render(t, "temporal:\n  adress: x:7233\n"); err == nil || !strings.Contains(err.Error(), "adress") {
		t.Fatalf("a misspelt value must be refused by the schema, naming it; got %v", err)
	}
	if _, err := render(t, "config:\n  TEMPORAL_ADDRESS: x:7233\n"); err == nil || !strings.Contains(err.Error(), "temporal:") {
		t.Fatalf("Temporal set under config must be refused, got %v", err)
	}
}

func TestChart_HPAOwnsTheAPIReplicas(t *testing.T) {
	objs, err := render(t, "")
	if err != nil {
		t.Fatal(err)
	}
	if r := deployment(objs, "internflow-api").Spec.Replicas; r != nil {
		t.Fatalf("with autoscaling the API Deployment must leave replicas to the HPA, got %d", *r)
	}
	objs, err = render(t, "api:\n  replicas: 3\n  autoscaling: {enabled: false}\n")
	if err != nil {
		t.Fatal(err)
	}
	if r := deployment(objs, "internflow-api").Spec.Replicas; r == nil || *r != 3 {
		t.Fatalf("without autoscaling replicas must be the value, got %v", r)
	}
}

// The migration hook runs before the release's ConfigMap and
// ServiceAccount exist: the check refuses a hook that needs them.
func TestCheck_PreInstallHookReadsOnlyWhatExists(t *testing.T) {
	objs, vals, err := renderChart(chartDir, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	e := testEnv(t)
	e.external, e.externalSecrets = nil, secretsNamed(vals)
	if err := check(objs, e); err != nil {
		t.Fatal(err)
	}
	job := migrateJob(objs)
	if job.Annotations["helm.sh/hook"] != "pre-install,pre-upgrade" {
		t.Fatalf("the migration Job must be a pre-install and pre-upgrade hook, annotations %v", job.Annotations)
	}
	c := &job.Spec.Template.Spec.Containers[0]
	c.EnvFrom = append(c.EnvFrom, corev1.EnvFromSource{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "internflow-config"}}})
	job.Spec.Template.Spec.ServiceAccountName = "internflow"
	err = check(objs, e)
	for _, want := range []string{`before ServiceAccount "internflow" exists`, "can read only Secrets the operator created"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("check = %v, want %q", err, want)
		}
	}
}

// An alert reading a metric the code does not register would never fire.
func TestCheck_AlertOnAnUnknownMetricIsRefused(t *testing.T) {
	objs, err := build(filepath.Join("..", "monitoring"))
	if err != nil {
		t.Fatal(err)
	}
	base, err := build(filepath.Join("..", "base"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if pr, ok := o.(*monitoringv1.PrometheusRule); ok {
			pr.Spec.Groups[0].Rules[0].Expr = intstr.FromString(`max(internflow_outbox_backlogg) > 0`)
		}
	}
	err = check(append(base, objs...), testEnv(t))
	if err == nil || !strings.Contains(err.Error(), "internflow_outbox_backlogg is not a metric") {
		t.Fatalf("check = %v, want the unknown metric named", err)
	}
}

func migrateJob(objs []any) *batchv1.Job {
	for _, o := range objs {
		if j, ok := o.(*batchv1.Job); ok {
			return j
		}
	}
	panic("no migration job")
}

func envValue(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

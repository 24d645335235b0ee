package main

import (
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestManifests_BaseAndEveryOverlayAreValid(t *testing.T) {
	if err := run(".."); err != nil {
		t.Fatal(err)
	}
}

func TestDecode_MisspeltFieldIsRefused(t *testing.T) {
	doc := `apiVersion: apps/v1
kind: Deployment
metadata: {name: x}
spec:
  template:
    spec:
      containers:
        - name: app
          readinesProbe: {httpGet: {path: /readyz, port: http}}
`
	if _, err := decode([]byte(doc)); err == nil || !strings.Contains(err.Error(), "readinesProbe") {
		t.Fatalf("a misspelt field must be named in an error, got %v", err)
	}
	if _, err := decode([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n")); err == nil {
		t.Fatal("a kind without checks must be refused")
	}
	if _, err := decode([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {A: [1]}\n")); err == nil {
		t.Fatal("a value of the wrong type must be refused")
	}
}

// Each mistake an edit could make is caught, starting from a valid
// rendering of an overlay.
func TestCheck_CatchesWhatWouldBreakACluster(t *testing.T) {
	cases := map[string]struct {
		overlay string
		mutate  func(objs []any)
		want    string
	}{
		"no readiness probe": {"self-hosted", func(objs []any) {
			deployment(objs, "internflow-worker").Spec.Template.Spec.Containers[0].ReadinessProbe = nil
		}, "readinessProbe"},
		"misspelt setting": {"self-hosted", func(objs []any) {
			cm := configMap(objs)
			cm.Data["TEMPORAL_ADRESS"] = cm.Data["TEMPORAL_ADDRESS"]
		}, "TEMPORAL_ADRESS"},
		"budget selecting nothing": {"self-hosted", func(objs []any) {
			for _, o := range objs {
				if p, ok := o.(*policyv1.PodDisruptionBudget); ok {
					p.Spec.Selector.MatchLabels = map[string]string{"app": "gone"}
				}
			}
		}, "selects 0 Deployments"},
		"unknown secret": {"self-hosted", func(objs []any) {
			deployment(objs, "internflow-api").Spec.Template.Spec.Containers[0].EnvFrom[1].SecretRef.Name = "internflow-secret"
		}, `"internflow-secret"`},
		"writable root": {"self-hosted", func(objs []any) {
			f := false
			deployment(objs, "internflow-api").Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = &f
		}, "readOnlyRootFilesystem"},
		"GOMEMLIMIT left behind a raised limit": {"self-hosted", func(objs []any) {
			c := &deployment(objs, "internflow-worker").Spec.Template.Spec.Containers[0]
			c.Resources.Limits[corev1.ResourceMemory] = resource.MustParse("2Gi")
		}, "GOMEMLIMIT 921MiB is 45% of the memory limit"},
		"metrics behind the Service": {"self-hosted", func(objs []any) {
			for _, o := range objs {
				if s, ok := o.(*corev1.Service); ok {
					s.Spec.Ports = append(s.Spec.Ports, corev1.ServicePort{Name: "m", Port: 9090, TargetPort: intstr.FromString("metrics")})
				}
			}
		}, "reaches /metrics"},
		"metrics in the Ingress": {"self-hosted", func(objs []any) {
			ing := ingress(objs, "internflow")
			ing.Spec.Rules[0].HTTP.Paths[0].Path = "/metrics"
		}, `path "/metrics" would publish /metrics`},
		"Ingress without TLS": {"self-hosted", func(objs []any) {
			ingress(objs, "internflow-staff").Spec.TLS = nil
		}, "has no TLS secret"},
		"metrics open to addresses": {"self-hosted", func(objs []any) {
			np := policy(objs, "internflow")
			np.Spec.Ingress[0].From = []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0"}}}
		}, "the metrics port must admit only pods in the cluster"},
		"egress unrestricted": {"self-hosted", func(objs []any) {
			policy(objs, "internflow").Spec.PodSelector.MatchLabels = map[string]string{"app": "gone"}
		}, "Job internflow-migrate: no NetworkPolicy restricts its egress"},
		"replicas fighting the HPA": {"self-hosted", func(objs []any) {
			n := int32(2)
			deployment(objs, "internflow-api").Spec.Replicas = &n
		}, "leave its spec.replicas unset"},
		"certificate not mounted": {"temporal-cloud-mtls", func(objs []any) {
			for _, o := range objs {
				if c, ok := o.(*batchv1.CronJob); ok {
					c.Spec.JobTemplate.Spec.Template.Spec.Containers[0].VolumeMounts = nil
				}
			}
		}, "TEMPORAL_TLS_CERT=/etc/temporal-tls/tls.crt is not inside any volume"},
	}
	e := testEnv(t)
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			objs, err := build(filepath.Join("..", "overlays", c.overlay))
			if err != nil {
				t.Fatal(err)
			}
			c.mutate(objs)
			err = check(objs, e)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("check = %v, want an error mentioning %q", err, c.want)
			}
		})
	}
}

func deployment(objs []any, name string) *appsv1.Deployment {
	for _, o := range objs {
		if d, ok := o.(*appsv1.Deployment); ok && d.Name == name {
			return d
		}
	}
	panic("no deployment " + name)
}

func configMap(objs []any) *corev1.ConfigMap {
	for _, o := range objs {
		if c, ok := o.(*corev1.ConfigMap); ok {
			return c
		}
	}
	panic("no configmap")
}

// testEnv is what run knows besides the objects, for the kustomize renderings.
func testEnv(t *testing.T) env {
	t.Helper()
	known, err := configKeys(filepath.Join("..", "..", "..", "internal", "config", "config.go"))
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := metricNames(filepath.Join("..", "..", "..", "internal", "observe"))
	if err != nil {
		t.Fatal(err)
	}
	external, err := decodeFile(filepath.Join("..", "secret.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return env{known: known, metrics: metrics, external: external, externalSecrets: externalSecrets}
}

func ingress(objs []any, name string) *networkingv1.Ingress {
	for _, o := range objs {
		if i, ok := o.(*networkingv1.Ingress); ok && i.Name == name {
			return i
		}
	}
	panic("no ingress " + name)
}

func policy(objs []any, name string) *networkingv1.NetworkPolicy {
	for _, o := range objs {
		if p, ok := o.(*networkingv1.NetworkPolicy); ok && p.Name == name {
			return p
		}
	}
	panic("no network policy " + name)
}

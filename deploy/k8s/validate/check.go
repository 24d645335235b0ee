package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// workload is a pod template with where it came from.
type workload struct {
	name   string
	labels map[string]string
	spec   corev1.PodSpec
	// probed workloads (Deployments) must have liveness and readiness.
	probed   bool
	replicas int32
	// selectorErr: a Deployment whose selector misses its own pods.
	selectorErr error
	deployment  *appsv1.Deployment
	// hook: the helm.sh/hook annotation of a Job run by Helm.
	hook string
}

// set is one rendered kustomization or chart, indexed for the checks.
type set struct {
	workloads  []workload
	configMaps map[string]*corev1.ConfigMap
	secrets    map[string]bool
	services   []*corev1.Service
	pdbs       []*policyv1.PodDisruptionBudget
	hpas       []*autoscalingv2.HorizontalPodAutoscaler
	ingresses  []*networkingv1.Ingress
	policies   []*networkingv1.NetworkPolicy
	monitors   []*monitoringv1.PodMonitor
	rules      []*monitoringv1.PrometheusRule
	env
}

// env is what the checks know besides the rendered objects.
type env struct {
	// known: the settings internflow reads (internal/config).
	known map[string]bool
	// metrics: the internflow_* metrics the code registers (internal/observe).
	metrics map[string]bool
	// external: objects the operator creates (secret.example.yaml).
	external []any
	// externalSecrets: Secrets the operator creates by name (documented
	// in the overlays, or named in the chart's values).
	externalSecrets []string
}

func check(objs []any, e env) error {
	s := index(append(objs, e.external...), e)
	for _, n := range e.externalSecrets {
		s.secrets[n] = true
	}
	var errs []error
	for _, w := range s.workloads {
		errs = append(errs, s.checkWorkload(w)...)
	}
	for _, cm := range s.configMaps {
		errs = append(errs, s.checkKeys("ConfigMap "+cm.Name, keys(cm.Data))...)
	}
	errs = append(errs, s.checkServices()...)
	errs = append(errs, s.checkPDBs()...)
	errs = append(errs, s.checkHPAs()...)
	errs = append(errs, s.checkIngresses()...)
	errs = append(errs, s.checkNetworkPolicies()...)
	errs = append(errs, s.checkPodMonitors()...)
	errs = append(errs, s.checkRules()...)
	if len(s.workloads) == 0 {
		errs = append(errs, errors.New("no workloads"))
	}
	return errors.Join(errs...)
}

func index(objs []any, e env) *set {
	s := &set{configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]bool{}, env: e}
	for _, o := range objs {
		switch o := o.(type) {
		case *appsv1.Deployment:
			w := workload{name: "Deployment " + o.Name, labels: o.Spec.Template.Labels, spec: o.Spec.Template.Spec, probed: true,
				replicas: 1, selectorErr: selects(o.Spec.Selector, o.Spec.Template.Labels), deployment: o}
			if o.Spec.Replicas != nil {
				w.replicas = *o.Spec.Replicas
			}
			s.workloads = append(s.workloads, w)
		case *batchv1.CronJob:
			t := o.Spec.JobTemplate.Spec.Template
			s.workloads = append(s.workloads, workload{name: "CronJob " + o.Name, labels: t.Labels, spec: t.Spec})
		case *batchv1.Job:
			s.workloads = append(s.workloads, workload{name: "Job " + o.Name, labels: o.Spec.Template.Labels, spec: o.Spec.Template.Spec,
				hook: o.Annotations["helm.sh/hook"]})
		case *corev1.ConfigMap:
			s.configMaps[o.Name] = o
		case *corev1.Secret:
			s.secrets[o.Name] = true
		case *corev1.Service:
			s.services = append(s.services, o)
		case *policyv1.PodDisruptionBudget:
			s.pdbs = append(s.pdbs, o)
		case *autoscalingv2.HorizontalPodAutoscaler:
			s.hpas = append(s.hpas, o)
		case *networkingv1.Ingress:
			s.ingresses = append(s.ingresses, o)
		case *networkingv1.NetworkPolicy:
			s.policies = append(s.policies, o)
		case *monitoringv1.PodMonitor:
			s.monitors = append(s.monitors, o)
		case *monitoringv1.PrometheusRule:
			s.rules = append(s.rules, o)
		}
	}
	s.applyAutoscaling()
	return s
}

func selects(sel *metav1.LabelSelector, lbls map[string]string) error {
	ls, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return err
	}
	if ls.Empty() || !ls.Matches(labels.Set(lbls)) {
		return fmt.Errorf("selector %v does not select the template's labels %v", sel, lbls)
	}
	return nil
}

// checkWorkload: non-root, no service account token, and every container
// well formed.
func (s *set) checkWorkload(w workload) []error {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(w.name+": "+format, a...)) }
	if len(w.spec.Containers) == 0 {
		fail("no containers")
	}
	if w.selectorErr != nil {
		fail("%v", w.selectorErr)
	}
	if psc := w.spec.SecurityContext; psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		fail("pod securityContext.runAsNonRoot must be true")
	}
	if a := w.spec.AutomountServiceAccountToken; a == nil || *a {
		fail("automountServiceAccountToken must be false (internflow calls no Kubernetes API)")
	}
	errs = append(errs, s.checkHook(w)...)
	for _, c := range w.spec.InitContainers {
		errs = append(errs, s.checkContainer(w, c, false)...)
	}
	for _, c := range w.spec.Containers {
		errs = append(errs, s.checkContainer(w, c, true)...)
	}
	return errs
}

var tagged = regexp.MustCompile(`^[^:@]+(:[\w.-]+|@sha256:[0-9a-f]{64})$`)

func (s *set) checkContainer(w workload, c corev1.Container, main bool) []error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s container %s: %s", w.name, c.Name, fmt.Sprintf(format, a...)))
	}
	if !tagged.MatchString(c.Image) || strings.HasSuffix(c.Image, ":latest") {
		fail("image %q must name a version (kustomize images:), not latest", c.Image)
	}
	req, lim := c.Resources.Requests, c.Resources.Limits
	if req.Cpu().IsZero() || req.Memory().IsZero() || lim.Memory().IsZero() {
		fail("needs cpu and memory requests and a memory limit")
	}
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || sc.Capabilities == nil ||
		len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
		fail("securityContext must set readOnlyRootFilesystem, allowPrivilegeEscalation: false, drop ALL")
	}
	if main && w.probed {
		for name, p := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
			if p == nil || p.HTTPGet == nil || !hasPort(c, p.HTTPGet.Port.String()) {
				fail("%sProbe must be an httpGet on one of the container's ports", name)
			}
		}
	}
	if err := checkGoMemLimit(c); err != nil {
		fail("%v", err)
	}
	errs = append(errs, s.checkRefs(w, c, main, fail)...)
	return errs
}

func hasPort(c corev1.Container, port string) bool {
	for _, p := range c.Ports {
		if p.Name == port || fmt.Sprint(p.ContainerPort) == port {
			return true
		}
	}
	return false
}

// checkRefs: ConfigMaps and Secrets exist, environment names are ones
// internflow reads, and file paths in the config are mounted.
func (s *set) checkRefs(w workload, c corev1.Container, main bool, fail func(string, ...any)) []error {
	var errs []error
	var names []string
	for _, ef := range c.EnvFrom {
		switch {
		case ef.ConfigMapRef != nil:
			cm, ok := s.configMaps[ef.ConfigMapRef.Name]
			if !ok {
				fail("configMapRef %q does not exist", ef.ConfigMapRef.Name)
				continue
			}
			if main {
				s.checkMountedPaths(w, c, cm, fail)
			}
		case ef.SecretRef != nil && !s.secrets[ef.SecretRef.Name]:
			fail("secretRef %q is neither in the manifests nor documented as created by the operator", ef.SecretRef.Name)
		}
	}
	for _, v := range w.spec.Volumes {
		if v.Secret != nil && !s.secrets[v.Secret.SecretName] {
			fail("volume %s: secret %q is unknown", v.Name, v.Secret.SecretName)
		}
	}
	for _, e := range c.Env {
		if r := e.ValueFrom; r != nil && r.SecretKeyRef != nil && !s.secrets[r.SecretKeyRef.Name] {
			fail("env %s: secret %q is neither in the manifests nor created by the operator", e.Name, r.SecretKeyRef.Name)
		}
		if !strings.Contains(strings.Join(c.Args, " "), "$("+e.Name+")") {
			names = append(names, e.Name)
		}
	}
	return append(errs, s.checkKeys(w.name+" container "+c.Name+" env", names)...)
}

// checkMountedPaths: a setting holding an absolute path (a certificate)
// must point into a volume mounted in the container.
func (s *set) checkMountedPaths(w workload, c corev1.Container, cm *corev1.ConfigMap, fail func(string, ...any)) {
	for k, v := range cm.Data {
		if !strings.HasPrefix(v, "/") {
			continue
		}
		mounted := false
		for _, m := range c.VolumeMounts {
			mounted = mounted || strings.HasPrefix(v, strings.TrimSuffix(m.MountPath, "/")+"/")
		}
		if !mounted {
			fail("%s=%s is not inside any volume mounted in the container", k, v)
		}
	}
}

func (s *set) checkKeys(where string, names []string) []error {
	var errs []error
	for _, n := range names {
		if !s.known[n] {
			errs = append(errs, fmt.Errorf("%s: %s is not a setting internflow reads (see internal/config)", where, n))
		}
	}
	return errs
}

// checkServices: each Service selects exactly one Deployment and its
// target ports are that Deployment's named ports.
func (s *set) checkServices() []error {
	var errs []error
	for _, svc := range s.services {
		ws := s.selected(&metav1.LabelSelector{MatchLabels: svc.Spec.Selector})
		if len(ws) != 1 {
			errs = append(errs, fmt.Errorf("Service %s selects %d Deployments, want 1", svc.Name, len(ws)))
			continue
		}
		for _, p := range svc.Spec.Ports {
			if servesMetrics(p) {
				errs = append(errs, fmt.Errorf("Service %s: port %s reaches /metrics; Prometheus scrapes the pods (PodMonitor), no Service exposes it", svc.Name, p.Name))
			}
			if !hasPort(ws[0].spec.Containers[0], p.TargetPort.String()) {
				errs = append(errs, fmt.Errorf("Service %s: targetPort %s is not a port of %s", svc.Name, p.TargetPort.String(), ws[0].name))
			}
		}
	}
	return errs
}

// checkPDBs: each budget covers exactly one Deployment and leaves a pod
// to evict (minAvailable below replicas), or drains would hang.
func (s *set) checkPDBs() []error {
	var errs []error
	for _, pdb := range s.pdbs {
		ws := s.selected(pdb.Spec.Selector)
		if len(ws) != 1 {
			errs = append(errs, fmt.Errorf("PodDisruptionBudget %s selects %d Deployments, want 1", pdb.Name, len(ws)))
			continue
		}
		if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() >= int(ws[0].replicas) {
			errs = append(errs, fmt.Errorf("PodDisruptionBudget %s: minAvailable must be set and below %s's %d replicas", pdb.Name, ws[0].name, ws[0].replicas))
		}
	}
	return errs
}

func (s *set) selected(sel *metav1.LabelSelector) []workload {
	var out []workload
	for _, w := range s.workloads {
		if w.probed && selects(sel, w.labels) == nil {
			out = append(out, w)
		}
	}
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var envKey = regexp.MustCompile(`e\.(?:str|integer|float|boolean|duration|payloadKeys|proxies)\("([A-Z0-9_]+)"`)

// configKeys reads the environment variables internal/config loads, plus
// those the Go runtime reads.
func configKeys(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the settings internflow reads: %w", err)
	}
	known := map[string]bool{"GOMEMLIMIT": true, "GOMAXPROCS": true}
	for _, m := range envKey.FindAllSubmatch(b, -1) {
		known[string(m[1])] = true
	}
	if len(known) < 10 {
		return nil, fmt.Errorf("found only %d settings in %s: has its shape changed?", len(known), path)
	}
	return known, nil
}

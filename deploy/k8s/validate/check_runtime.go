package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// applyAutoscaling: a Deployment an HPA scales has the HPA's minimum as
// its floor (what a PDB must stay below).
func (s *set) applyAutoscaling() {
	for _, h := range s.hpas {
		for i, w := range s.workloads {
			if w.deployment != nil && h.Spec.ScaleTargetRef.Kind == "Deployment" && w.deployment.Name == h.Spec.ScaleTargetRef.Name {
				s.workloads[i].replicas = 1
				if h.Spec.MinReplicas != nil {
					s.workloads[i].replicas = *h.Spec.MinReplicas
				}
			}
		}
	}
}

// checkHPAs: the target exists, leaves replicas to the HPA (or every
// apply resets the count), and has CPU requests to scale on.
func (s *set) checkHPAs() []error {
	var errs []error
	for _, h := range s.hpas {
		ref := h.Spec.ScaleTargetRef
		var target *workload
		for i, w := range s.workloads {
			if w.deployment != nil && ref.Kind == "Deployment" && w.deployment.Name == ref.Name {
				target = &s.workloads[i]
			}
		}
		if target == nil {
			errs = append(errs, fmt.Errorf("HorizontalPodAutoscaler %s: no Deployment %s", h.Name, ref.Name))
			continue
		}
		if target.deployment.Spec.Replicas != nil {
			errs = append(errs, fmt.Errorf("HorizontalPodAutoscaler %s scales %s: leave its spec.replicas unset", h.Name, target.name))
		}
		if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 || h.Spec.MaxReplicas < *h.Spec.MinReplicas {
			errs = append(errs, fmt.Errorf("HorizontalPodAutoscaler %s: minReplicas must be at least 2 and at most maxReplicas", h.Name))
		}
	}
	return errs
}

// checkHook: a Helm pre-install hook runs before the release's own
// objects exist, so it may reference only what the operator created.
func (s *set) checkHook(w workload) []error {
	if !strings.Contains(w.hook, "pre-install") {
		return nil
	}
	var errs []error
	if sa := w.spec.ServiceAccountName; sa != "" && sa != "default" {
		errs = append(errs, fmt.Errorf("%s: a pre-install hook runs before ServiceAccount %q exists", w.name, sa))
	}
	external := map[string]bool{}
	for _, n := range s.externalSecrets {
		external[n] = true
	}
	for _, o := range s.external {
		if sec, ok := o.(*corev1.Secret); ok {
			external[sec.Name] = true
		}
	}
	for _, c := range w.spec.Containers {
		for _, ef := range c.EnvFrom {
			if ef.ConfigMapRef != nil || (ef.SecretRef != nil && !external[ef.SecretRef.Name]) {
				errs = append(errs, fmt.Errorf("%s: a pre-install hook can read only Secrets the operator created, not %v", w.name, ef))
			}
		}
	}
	return errs
}

var goMemLimit = regexp.MustCompile(`^([0-9]+)(B|KiB|MiB|GiB|TiB)?$`)

// checkGoMemLimit: GOMEMLIMIT is a literal at about 90% of the memory
// limit (85-95%), so the runtime collects harder before the OOM killer
// comes, with room for what is not Go heap; a raised limit without it
// fails here.
func checkGoMemLimit(c corev1.Container) error {
	limit := c.Resources.Limits.Memory()
	var value string
	found := false
	for _, e := range c.Env {
		if e.Name == "GOMEMLIMIT" {
			found = true
			if e.ValueFrom != nil {
				return fmt.Errorf("GOMEMLIMIT must be a value at about 90%% of the memory limit, not the whole limit (valueFrom)")
			}
			value = e.Value
		}
	}
	if !found || limit.IsZero() {
		return fmt.Errorf("set GOMEMLIMIT to about 90%% of the memory limit")
	}
	m := goMemLimit.FindStringSubmatch(value)
	if m == nil {
		return fmt.Errorf("GOMEMLIMIT %q: write bytes or MiB/GiB", value)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return fmt.Errorf("GOMEMLIMIT %q: %w", value, err)
	}
	n <<= map[string]uint{"": 0, "B": 0, "KiB": 10, "MiB": 20, "GiB": 30, "TiB": 40}[m[2]]
	pct := float64(n) * 100 / float64(limit.Value())
	if pct < 85 || pct > 95 {
		return fmt.Errorf("GOMEMLIMIT %s is %.0f%% of the memory limit %s, want about 90%%", value, pct, limit)
	}
	return nil
}

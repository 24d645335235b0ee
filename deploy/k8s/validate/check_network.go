package main

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// metricsPort is the pods' /metrics port (METRICS_ADDR); nothing from
// outside the cluster may reach it.
const metricsPort = "metrics"

// checkIngresses: HTTPS for every host, backends are a Service's ports,
// and no path reaches /metrics.
func (s *set) checkIngresses() []error {
	var errs []error
	for _, ing := range s.ingresses {
		fail := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("Ingress %s: %s", ing.Name, fmt.Sprintf(format, a...)))
		}
		tls := map[string]bool{}
		for _, t := range ing.Spec.TLS {
			for _, h := range t.Hosts {
				tls[h] = t.SecretName != ""
			}
		}
		if len(ing.Spec.Rules) == 0 {
			fail("no rules")
		}
		for _, r := range ing.Spec.Rules {
			if !tls[r.Host] {
				fail("host %q has no TLS secret (links and sign-in must be HTTPS)", r.Host)
			}
			if r.HTTP == nil {
				continue
			}
			for _, p := range r.HTTP.Paths {
				if strings.HasPrefix(p.Path, "/metrics") || p.Path == "" {
					fail("path %q would publish /metrics", p.Path)
				}
				if err := s.checkBackend(p.Backend); err != nil {
					fail("path %s: %v", p.Path, err)
				}
			}
		}
	}
	return errs
}

func (s *set) checkBackend(b networkingv1.IngressBackend) error {
	if b.Service == nil {
		return fmt.Errorf("backend must be a Service")
	}
	for _, svc := range s.services {
		if svc.Name != b.Service.Name {
			continue
		}
		for _, p := range svc.Spec.Ports {
			if (b.Service.Port.Name != "" && p.Name == b.Service.Port.Name) || (b.Service.Port.Number != 0 && p.Port == b.Service.Port.Number) {
				return nil
			}
		}
		return fmt.Errorf("Service %s has no port %v", svc.Name, b.Service.Port)
	}
	return fmt.Errorf("no Service %s", b.Service.Name)
}

// checkNetworkPolicies: every pod's egress is restricted by some policy,
// each policy selects pods, named ports exist, and the metrics port is
// open only to in-cluster peers.
func (s *set) checkNetworkPolicies() []error {
	if len(s.policies) == 0 {
		return nil
	}
	var errs []error
	for _, np := range s.policies {
		ws := s.podsSelected(np.Spec.PodSelector)
		if len(ws) == 0 {
			errs = append(errs, fmt.Errorf("NetworkPolicy %s selects no pods", np.Name))
			continue
		}
		for _, r := range np.Spec.Ingress {
			for _, p := range r.Ports {
				if p.Port == nil {
					continue
				}
				if !anyHasPort(ws, p.Port.String()) {
					errs = append(errs, fmt.Errorf("NetworkPolicy %s: port %s is no port of the pods it selects", np.Name, p.Port))
				}
				if p.Port.String() == metricsPort && !inCluster(r.From) {
					errs = append(errs, fmt.Errorf("NetworkPolicy %s: the metrics port must admit only pods in the cluster (namespace or pod selectors), never addresses", np.Name))
				}
			}
		}
	}
	for _, w := range s.workloads {
		if !s.egressRestricted(w) {
			errs = append(errs, fmt.Errorf("%s: no NetworkPolicy restricts its egress", w.name))
		}
	}
	return errs
}

func (s *set) podsSelected(sel metav1.LabelSelector) []workload {
	ls, err := metav1.LabelSelectorAsSelector(&sel)
	if err != nil {
		return nil
	}
	var out []workload
	for _, w := range s.workloads {
		if ls.Matches(labels.Set(w.labels)) {
			out = append(out, w)
		}
	}
	return out
}

func (s *set) egressRestricted(w workload) bool {
	for _, np := range s.policies {
		ls, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
		if err != nil || !ls.Matches(labels.Set(w.labels)) {
			continue
		}
		for _, t := range np.Spec.PolicyTypes {
			if t == networkingv1.PolicyTypeEgress {
				return true
			}
		}
	}
	return false
}

func anyHasPort(ws []workload, port string) bool {
	for _, w := range ws {
		for _, c := range w.spec.Containers {
			if hasPort(c, port) {
				return true
			}
		}
	}
	return false
}

// inCluster: peers named by selectors only (an empty list admits anyone).
func inCluster(from []networkingv1.NetworkPolicyPeer) bool {
	if len(from) == 0 {
		return false
	}
	for _, p := range from {
		if p.IPBlock != nil {
			return false
		}
	}
	return true
}

// servesMetrics: a Service port that reaches /metrics (which would let an
// Ingress or load balancer publish it).
func servesMetrics(p corev1.ServicePort) bool {
	return p.TargetPort.String() == metricsPort || p.TargetPort.IntValue() == 9090
}

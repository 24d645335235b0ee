// Command validate checks internflow's Kubernetes manifests without a
// cluster or network: it renders the base and every overlay with
// kustomize (in process), decodes every resource strictly into the
// k8s.io/api Go types (an unknown or misspelt field, or a value of the
// wrong type, is an error: the same types the API server's OpenAPI schema
// is generated from), and then checks what a district's cluster needs:
// probes, resources, non-root read-only containers, selectors that select,
// references to ConfigMaps and Secrets that exist, configuration keys
// internflow actually reads, and certificate paths that are mounted.
//
//	go run . ..    (from deploy/k8s/validate; `make lint` does this)
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
	known, err := configKeys(filepath.Join(root, "..", "..", "internal", "config", "config.go"))
	if err != nil {
		return err
	}
	external, err := decodeFile(filepath.Join(root, "secret.example.yaml"))
	if err != nil {
		return err
	}
	if err := checkCompose(filepath.Join(root, "..", "..", "docker-compose.yml"), known); err != nil {
		return err
	}
	fmt.Println("docker-compose.yml: valid")
	dirs, err := kustomizations(root)
	if err != nil {
		return err
	}
	failed := false
	for _, dir := range dirs {
		objs, err := build(dir)
		if err == nil {
			err = check(objs, external, known)
		}
		rel, _ := filepath.Rel(root, dir)
		if err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "%s: %v\n", rel, err)
			continue
		}
		fmt.Printf("deploy/k8s/%s: %d resources valid\n", rel, len(objs))
	}
	if failed {
		return fmt.Errorf("manifests are not valid")
	}
	return nil
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

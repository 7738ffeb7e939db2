package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/yamlx"
)

const benchDoc = `apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata:
  labels:
    fluxtf.io/environment: dev
    fluxtf.io/tier: dev
    fluxtf.io/component: c%[1]d
  name: dev-c%[1]d
  namespace: flux-system
spec:
  approvePlan: auto
  interval: 15m
  path: ./jeppesen-eks/modules/c%[1]d
  sourceRef:
    kind: GitRepository
    name: jeppesen-eks-dev
  dependsOn:
  - name: dev-eks
  vars:
  - name: cluster_name
    value: dev-cluster
  - name: replicas
    value: 2
  varsFrom:
  - kind: Secret
    name: dev-eks-outputs
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: jeppesen-eks-c%[1]d
  namespace: flux-system
spec:
  interval: 10m
  url: ssh://git@github.com/digx/infrastructure.git
  ref:
    tag: v4.2.0
`

// benchTree writes 1,000 files of 2 documents in 20 folders; with
// kustomize, each folder has a plain kustomization listing its files.
func benchTree(b *testing.B, kustomize bool) string {
	b.Helper()
	root := b.TempDir()
	for dir := range 20 {
		d := filepath.Join(root, fmt.Sprintf("target-%02d", dir))
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.Fatal(err)
		}
		var list []string
		for f := range 50 {
			n := dir*50 + f
			name := fmt.Sprintf("c%04d.yaml", n)
			list = append(list, "- "+name)
			if err := os.WriteFile(filepath.Join(d, name), fmt.Appendf(nil, benchDoc, n), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		if kustomize {
			k := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + strings.Join(list, "\n") + "\n"
			if err := os.WriteFile(filepath.Join(d, "kustomization.yaml"), []byte(k), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	return root
}

func benchmarkLoad(b *testing.B, kustomize bool) {
	root := benchTree(b, kustomize)
	b.ReportAllocs()
	for b.Loop() {
		set, err := Load([]string{root}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(set.Docs) != 2000 {
			b.Fatalf("%d docs", len(set.Docs))
		}
	}
}

// BenchmarkLoad reads 1,000 small files of 2 documents (2,000 objects).
func BenchmarkLoad(b *testing.B) { benchmarkLoad(b, false) }

// BenchmarkLoadKustomize reads the same objects through 20 plain
// kustomizations (the fast path).
func BenchmarkLoadKustomize(b *testing.B) { benchmarkLoad(b, true) }

// BenchmarkLoadAndCheck is what a validate run costs before the policies:
// load the 2,000 objects and decode and validate them.
func BenchmarkLoadAndCheck(b *testing.B) {
	root := benchTree(b, false)
	b.ReportAllocs()
	for b.Loop() {
		set, err := Load([]string{root}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if errs, problems := set.Check(); len(errs) > 0 || len(problems) > 0 {
			b.Fatal(errs, problems)
		}
	}
}

// BenchmarkCheckRendered decodes and validates a rendered base Terraform
// (testdata/bench/eks.yaml: scalar, list and map vars, durations), what
// Load does for each document after parsing it.
func BenchmarkCheckRendered(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "bench", "eks.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	docs, err := yamlx.Parse("eks.yaml", data, yamlx.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	root := docs[0].Root
	b.ReportAllocs()
	for b.Loop() {
		d := &Doc{File: "eks.yaml", root: root, node: root, APIVersion: root.Get("apiVersion").Value, Kind: root.Get("kind").Value}
		d.decodeAndValidate()
		if len(d.errs()) > 0 || len(d.problems()) > 0 {
			b.Fatal(d.errs(), d.problems())
		}
	}
}

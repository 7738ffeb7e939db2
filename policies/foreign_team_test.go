package policies

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/internal/manifest"
)

// foreignTeam is another team's hand-written Flux set: GitRepositories and
// Terraforms named with the tier tokens dev, uat and prod, no fluxtf
// labels, nothing of the jeppesen-eks stack, with settings that the
// stack's rules deny on the stack's own objects (approvePlan: auto, force,
// destroyResourcesOnDeletion in "prod", a branch per tier, the same
// account in every tier).
const foreignTeam = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: prod-vpc, namespace: team-b}
spec:
  interval: 5m
  url: https://github.com/team-b/network.git
  ref: {branch: main}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: dev-team, namespace: team-b}
spec:
  interval: 5m
  url: https://github.com/team-b/network.git
  ref: {branch: dev-team}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: uat-apps, namespace: team-b}
spec:
  interval: 5m
  url: https://github.com/team-b/apps.git
  ref: {branch: feature-x}
---
apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata: {name: prod-vpc, namespace: team-b}
spec:
  interval: 10m
  path: ./vpc
  approvePlan: auto
  force: true
  destroyResourcesOnDeletion: true
  sourceRef: {kind: GitRepository, name: prod-vpc}
  vars:
  - {name: account_id, value: "111111111111"}
---
apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata: {name: dev-vpc, namespace: team-b}
spec:
  interval: 10m
  path: ./vpc
  approvePlan: auto
  sourceRef: {kind: GitRepository, name: dev-team}
  vars:
  - {name: account_id, value: "111111111111"}
---
apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata: {name: uat-eks-cluster, namespace: team-b}
spec:
  interval: 10m
  path: ./eks
  approvePlan: auto
  destroyResourcesOnDeletion: true
  sourceRef: {kind: GitRepository, name: uat-apps}
  vars:
  - {name: account_id, value: "111111111111"}
`

// TestForeignTeamGetsNoStackFinding: another team's GitRepositories and
// Terraforms, whose names carry dev, uat and prod tokens, are not the
// stack's: no stack rule fires on them (issue 11 item 12; prod-safeguards
// once guessed the tier "prod" from the name "prod-vpc"), with or without
// a baseline.
func TestForeignTeamGetsNoStackFinding(t *testing.T) {
	t.Parallel()
	noStackFinding(t, newEngine(t, Options{}), loadYAMLText(t, foreignTeam), false)
}

// TestStackProdTerraformStillGuarded: the stack's own hand-written prod
// Terraform (its source is the stack's GitRepository, by URL) with
// approvePlan: auto is still denied by prod-safeguards.
func TestStackProdTerraformStillGuarded(t *testing.T) {
	t.Parallel()
	docs := loadYAMLText(t, `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: infra, namespace: flux-system}
spec:
  interval: 5m
  url: https://github.com/digx/jeppesen-eks.git
  ref: {tag: v1.2.0}
---
apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata: {name: prod-eks, namespace: flux-system}
spec:
  interval: 10m
  path: ./eks
  approvePlan: auto
  sourceRef: {kind: GitRepository, name: infra}
`)
	rep, err := newEngine(t, Options{}).Evaluate(context.Background(), Input{Docs: docs, Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Rule == "prod-safeguards" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("prod-safeguards findings = %d, want 1: %+v", n, rep.Findings)
	}
}

// loadYAMLText loads the Kubernetes objects of text as one file.
func loadYAMLText(t *testing.T, text string) []*manifest.Doc {
	t.Helper()
	p := filepath.Join(t.TempDir(), "objects.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := manifest.Load([]string{p}, manifest.Options{NoKustomize: true})
	if err != nil {
		t.Fatal(err)
	}
	return set.Docs
}

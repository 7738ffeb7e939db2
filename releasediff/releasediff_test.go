package releasediff

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// tree reads a rendered output root from disk, by path below it.
func tree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// render renders a specs folder in memory.
func render(t *testing.T, specs string) map[string][]byte {
	t.Helper()
	outs, err := generator.Build(generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specs}, OutDir: t.TempDir(), All: true, FilesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, o := range outs {
		for _, f := range o.Files {
			out[f.Path] = f.Data
		}
	}
	return out
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./releasediff -update):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestCompareGolden compares the committed example output
// (fixtures/clusters) with the example specs after a change of every
// kind: prod's tag, uat's Kubernetes minor and Karpenter, dev's OS and a
// component added, prod's EFS removed.
func TestCompareGolden(t *testing.T) {
	t.Parallel()
	before := tree(t, filepath.Join("..", "fixtures", "clusters"))
	eks := filepath.Join("clusters", "uat", "digx-uat-eu-west-1", "eks.yaml")
	karpenter := filepath.Join("clusters", "uat", "digx-uat-eu-west-1", "karpenter.yaml")
	tests := []struct {
		name     string
		specs    string
		findings []finding.Finding // attached before writing (Attach)
	}{
		{name: "change", specs: filepath.Join("testdata", "change")},
		{name: "unchanged", specs: filepath.Join("..", "fixtures", "environments")},
		{
			// a deny and a warning on uat's Kubernetes line, a warning on
			// its Karpenter line: every other line stays ok
			name: "verdicts", specs: filepath.Join("testdata", "change"),
			findings: []finding.Finding{
				{Rule: "k8s-sequential-upgrade", Severity: finding.Deny, Message: "cluster.kubernetesVersion: skips a minor", File: "environments/uat.yaml", Line: 11, SpecField: "cluster.kubernetesVersion", Generated: &finding.Location{File: eks, Field: "spec.vars[7].value"}},
				{Rule: "eks-standard-support", Severity: finding.Warn, Message: "cluster.kubernetesVersion: standard support ends", File: "environments/uat.yaml", Line: 11, SpecField: "cluster.kubernetesVersion", Generated: &finding.Location{File: eks, Field: "spec.vars[7].value"}},
				{Rule: "my_rule", Severity: finding.Warn, Message: "karpenter <1.10> | `x`", File: karpenter, Field: "spec.vars[5].value"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			after := render(t, tc.specs)
			changes, err := Compare(before, after, templates.Embedded())
			if err != nil {
				t.Fatal(err)
			}
			if tc.findings != nil {
				// the fields the findings name are the rendered ones
				for _, f := range tc.findings {
					rel, name := strings.TrimPrefix(filepath.ToSlash(f.File), "clusters/"), "kubernetes_version"
					field := f.Field
					if f.Generated != nil {
						rel, field = strings.TrimPrefix(filepath.ToSlash(f.Generated.File), "clusters/"), f.Generated.Field
					}
					if strings.HasSuffix(rel, "karpenter.yaml") {
						name = "karpenter_version"
					}
					if want := varField(t, after, rel, name) + ".value"; field != want {
						t.Fatalf("the finding's field %s is not %s's %s", field, rel, want)
					}
				}
				Attach(changes, "clusters", tc.findings)
			}
			var text, js, md bytes.Buffer
			if err := WriteText(&text, changes); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, changes); err != nil {
				t.Fatal(err)
			}
			if err := WriteMarkdown(&md, changes); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tc.name+".txt"), text.Bytes())
			golden(t, filepath.Join("testdata", tc.name+".md"), md.Bytes())
			golden(t, filepath.Join("testdata", tc.name+".json"), js.Bytes())
		})
	}
}

// TestComputeBaselineDir compares the specs with a folder of rendered
// manifests (check's --baseline DIR) instead of a git commit: the same
// changes as the golden comparison.
func TestComputeBaselineDir(t *testing.T) {
	t.Parallel()
	changes, err := Compute(Options{
		Render:      generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join("testdata", "change")}, OutDir: filepath.Join(t.TempDir(), "clusters")},
		BaselineDir: filepath.Join("..", "fixtures", "clusters"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := WriteText(&text, changes); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "change.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if text.String() != string(want) {
		t.Errorf("got:\n%s\nwant:\n%s", text.String(), want)
	}
}

// TestWriteMarkdownNoBaseline is the one line of a summary without a
// baseline.
func TestWriteMarkdownNoBaseline(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteMarkdownNoBaseline(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "no baseline") {
		t.Errorf("got %q, want one line saying there is no baseline", got)
	}
}

// varField is the field path of the var named name in the rendered
// Terraform at path (spec.vars[i]), as a policy finding names it.
func varField(t *testing.T, files map[string][]byte, path, name string) string {
	t.Helper()
	var o object
	if err := yaml.Unmarshal(files[path], &o); err != nil {
		t.Fatal(err)
	}
	for i, v := range o.Spec.Vars {
		if v.Name == name {
			return fmt.Sprintf("spec.vars[%d]", i)
		}
	}
	t.Fatalf("%s has no var %s", path, name)
	return ""
}

// TestAttach attaches findings to the lines they concern: the same
// environment, target, object and field, and no other line.
func TestAttach(t *testing.T) {
	t.Parallel()
	before := tree(t, filepath.Join("..", "fixtures", "clusters"))
	after := render(t, filepath.Join("testdata", "change"))
	const (
		uatEKS   = "uat/digx-uat-eu-west-1/eks.yaml"
		uatKarp  = "uat/digx-uat-eu-west-1/karpenter.yaml"
		centEKS  = "prod/digx-prod-eu-eu-central-1/eks.yaml"
		westEKS  = "prod/digx-prod-eu-eu-west-1/eks.yaml"
		usEKS    = "prod/digx-prod-us-us-east-1/eks.yaml"
		prodRepo = "prod/gitrepository.yaml"
		devESO   = "dev/digx-dev-eu-west-1/external-secrets.yaml"
	)
	gen := func(path, field string) *finding.Location {
		return &finding.Location{File: filepath.Join("clusters", path), Field: field}
	}
	k8s := varField(t, after, uatEKS, "kubernetes_version")
	groups := varField(t, after, centEKS, "node_groups")
	tests := []struct {
		name    string
		finding finding.Finding
		want    map[string]string // "env/target/text" -> shown verdict; every other line stays ok
	}{
		{
			name:    "a skipped minor, spoken at the spec line, denies the Kubernetes line only",
			finding: finding.Finding{Rule: "k8s-sequential-upgrade", Severity: finding.Deny, Message: "skips", File: "environments/uat.yaml", SpecField: "cluster.kubernetesVersion", Generated: gen(uatEKS, k8s+".value")},
			want:    map[string]string{"uat/digx-uat-eu-west-1/Kubernetes 1.34 -> 1.35": "deny k8s-sequential-upgrade"},
		},
		{
			name:    "a finding on another field of the same object is not attached",
			finding: finding.Finding{Rule: "os-rule", Severity: finding.Deny, Message: "os", Generated: gen(uatEKS, varField(t, after, uatEKS, "os")+".value")},
			want:    map[string]string{},
		},
		{
			name:    "a finding on the same field of another target is not attached",
			finding: finding.Finding{Rule: "k8s-rule", Severity: finding.Deny, Message: "k8s", Generated: gen(centEKS, varField(t, after, centEKS, "kubernetes_version")+".value")},
			want:    map[string]string{},
		},
		{
			name:    "a warning on the component's version var, unspoken, warns its line",
			finding: finding.Finding{Rule: "component-rule", Severity: finding.Warn, Message: "karpenter", File: filepath.Join("clusters", uatKarp), Field: varField(t, after, uatKarp, "karpenter_version") + ".value"},
			want:    map[string]string{"uat/digx-uat-eu-west-1/karpenter 1.9.0 -> 1.10.0": "warn component-rule"},
		},
		{
			name: "one spec cause reaches each target it was rendered to",
			finding: finding.Finding{Rule: "nodegroup-rule", Severity: finding.Deny, Message: "min", Generated: gen(centEKS, groups+".value.system.min_size"),
				AlsoGenerated: []finding.Location{*gen(westEKS, varField(t, after, westEKS, "node_groups")+".value.system.min_size")}},
			want: map[string]string{
				"prod/digx-prod-eu-eu-central-1/node group system min 3, max 6, m6i.xlarge -> min 4, max 6, m6i.xlarge": "deny nodegroup-rule",
				"prod/digx-prod-eu-eu-west-1/node group system min 3, max 6, m6i.xlarge -> min 4, max 6, m6i.xlarge":    "deny nodegroup-rule",
			},
		},
		{
			name:    "another node group's key is not attached",
			finding: finding.Finding{Rule: "nodegroup-rule", Severity: finding.Deny, Message: "min", Generated: gen(usEKS, varField(t, after, usEKS, "node_groups")+".value.gpu.min_size")},
			want:    map[string]string{},
		},
		{
			name:    "the module tag is the GitRepository's spec.ref",
			finding: finding.Finding{Rule: "module-rule", Severity: finding.Deny, Message: "tag", Generated: gen(prodRepo, "spec.ref.tag")},
			want:    map[string]string{"prod//module tag v4.1.3 -> v4.2.0": "deny module-rule"},
		},
		{
			name:    "an added component is its whole Terraform",
			finding: finding.Finding{Rule: "added-rule", Severity: finding.Warn, Message: "new", File: filepath.Join("clusters", devESO)},
			want:    map[string]string{"dev/digx-dev-eu-west-1/external-secrets 0.12.1 added": "warn added-rule"},
		},
		{
			name:    "a waived finding gives no verdict",
			finding: finding.Finding{Rule: "k8s-sequential-upgrade", Severity: finding.Deny, Message: "skips", Waiver: &finding.Waiver{Expires: "2099-01-01", Reason: "r"}, Generated: gen(uatEKS, k8s+".value")},
			want:    map[string]string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			changes, err := Compare(before, after, templates.Embedded())
			if err != nil {
				t.Fatal(err)
			}
			Attach(changes, "clusters", []finding.Finding{tc.finding})
			seen := 0
			for _, c := range changes {
				key := c.Environment + "/" + c.Target + "/" + c.Text
				want, ok := tc.want[key]
				if !ok {
					want = "ok"
				} else {
					seen++
				}
				if got := c.shown(); got != want {
					t.Errorf("%s: got %q, want %q", key, got, want)
				}
			}
			if seen != len(tc.want) {
				t.Errorf("%d of the %d lines wanted are in the diff", seen, len(tc.want))
			}
		})
	}
}

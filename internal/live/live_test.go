package live

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const tf = `apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata:
  name: uat-eks
  namespace: flux-system
  generation: 5
  uid: 0b6f3c52
spec:
  approvePlan: ""
  path: ./base
  sourceRef: {kind: GitRepository, name: src}
  vars:
  - name: kubernetes_version
    value: "1.34"
  - name: node_groups
    value: {system: {min_size: 2}}
status:
  observedGeneration: 5
  conditions:
  - {type: Ready, status: Unknown, reason: TerraformPlannedWithChanges, message: "Plan generated"}
  plan: {pending: plan-main-abc, lastApplied: plan-main-abc}
  lastAppliedRevision: main@sha1:abc
  lastAttemptedRevision: main@sha1:abc
  lastPlannedGeneration: 5
  inventory: {entries: []}
`

const git = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: src, namespace: flux-system, generation: 1}
spec: {url: "https://example.com/x.git", ref: {tag: v1.0.0}}
status:
  artifact: {revision: v1.0.0@sha1:abc, url: http://x}
  observedGeneration: 1
`

// indent puts a document under a List's items.
func indent(doc string) string {
	lines := strings.Split(strings.TrimSuffix(doc, "\n"), "\n")
	for i, l := range lines {
		if i == 0 {
			lines[i] = "- " + l
		} else {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

func list(docs ...string) string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	for _, d := range docs {
		b.WriteString(indent(d))
	}
	b.WriteString("metadata:\n  resourceVersion: \"\"\n")
	return b.String()
}

func write(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "live.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		text       string
		objects    int
		terraforms int
	}{
		{name: "kubectl list", text: list(tf, git), objects: 2, terraforms: 1},
		{name: "stream of objects", text: tf + "---\n" + git, objects: 2, terraforms: 1},
		{name: "stream of lists", text: list(tf) + "---\n" + list(git), objects: 2, terraforms: 1},
		{name: "empty list", text: "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"},
		{name: "empty file", text: ""},
		{name: "never reconciled", text: strings.Split(tf, "status:")[0], objects: 1, terraforms: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := Load(write(t, tc.text))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Objects) != tc.objects || s.Terraforms() != tc.terraforms {
				t.Errorf("%d objects, %d Terraforms; want %d, %d", len(s.Objects), s.Terraforms(), tc.objects, tc.terraforms)
			}
		})
	}
}

// TestLoadKeepsWhatThePoliciesRead: the fields the rule reads, in their
// Kubernetes shape, and nothing else (no message, uid, inventory).
func TestLoadKeepsWhatThePoliciesRead(t *testing.T) {
	t.Parallel()
	s, err := Load(write(t, list(tf)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
		"kind":       "Terraform",
		"metadata":   map[string]any{"name": "uat-eks", "namespace": "flux-system", "generation": int64(5)},
		"spec": map[string]any{
			"approvePlan": "",
			"sourceRef":   map[string]any{"kind": "GitRepository", "name": "src"},
			"vars": []any{
				map[string]any{"name": "kubernetes_version", "value": "1.34"},
				map[string]any{"name": "node_groups", "value": map[string]any{"system": map[string]any{"min_size": int64(2)}}},
			},
		},
		"status": map[string]any{
			"observedGeneration":    int64(5),
			"lastPlannedGeneration": int64(5),
			"conditions":            []any{map[string]any{"type": "Ready", "status": "Unknown", "reason": "TerraformPlannedWithChanges"}},
			"plan":                  map[string]any{"pending": "plan-main-abc", "lastApplied": "plan-main-abc"},
			"lastAppliedRevision":   "main@sha1:abc",
			"lastAttemptedRevision": "main@sha1:abc",
		},
	}
	if len(s.Objects) != 1 || !reflect.DeepEqual(s.Objects[0], want) {
		t.Errorf("got %#v\nwant %#v", s.Objects, want)
	}
}

// TestLoadRefuses: what is not kubectl's output of Terraforms and
// GitRepositories is an error naming the file and line, saying what to
// give instead.
func TestLoadRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		{name: "not a mapping", text: "- a\n- b\n", want: "live.yaml:1:1: a document is a list"},
		{name: "no kind", text: "apiVersion: v1\n", want: "live.yaml:1:1: no kind"},
		{name: "another kind", text: list(strings.Replace(git, "kind: GitRepository", "kind: Pod", 1)), want: "live.yaml:4:3: a Pod; --live reads Terraform and GitRepository objects only"},
		{name: "another group", text: strings.Replace(tf, "infra.contrib.fluxcd.io/v1alpha2", "example.com/v1", 1), want: "live.yaml:1:13: a Terraform of apiVersion \"example.com/v1\""},
		{name: "items not a list", text: "apiVersion: v1\nkind: List\nitems: {a: 1}\n", want: "live.yaml:3:8: items is a mapping, not a list"},
		{name: "no generation", text: strings.Replace(tf, "  generation: 5\n", "", 1), want: "live.yaml:4:3: no generation"},
		{name: "generation a string", text: strings.Replace(tf, "generation: 5", "generation: \"5\"", 1), want: "live.yaml:6:15: generation is the string \"5\", not an integer"},
		{name: "no namespace", text: strings.Replace(tf, "  namespace: flux-system\n", "", 1), want: "live.yaml:4:3: no namespace"},
		{name: "listed twice", text: tf + "---\n" + tf, want: "live.yaml:27:1: Terraform flux-system/uat-eks is listed twice (first at line 1)"},
		{name: "vars a mapping", text: strings.Replace(tf, "  vars:\n  - name: kubernetes_version\n    value: \"1.34\"\n  - name: node_groups\n    value: {system: {min_size: 2}}\n", "  vars: {a: 1}\n", 1), want: "live.yaml:12:9: spec.vars is a mapping, not a list"},
		{name: "var without name", text: strings.Replace(tf, "  - name: kubernetes_version\n", "  - nam: kubernetes_version\n", 1), want: "live.yaml:13:5: no name"},
		{name: "condition status", text: strings.Replace(tf, "status: Unknown", "status: Maybe", 1), want: "live.yaml:20:27: condition status \"Maybe\" is not True, False or Unknown"},
		{name: "pending a number", text: strings.Replace(tf, "pending: plan-main-abc", "pending: 12", 1), want: "live.yaml:21:19: pending is 12, not a string"},
		{name: "status a list", text: strings.Split(tf, "status:")[0] + "status: []\n", want: "live.yaml:17:9: status is a list, not a mapping"},
		{name: "no spec", text: "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: a, namespace: b, generation: 1}\n", want: "live.yaml:1:1: GitRepository b/a has no spec"},
		{name: "not YAML", text: "items: [\n", want: "live.yaml:"},
		{name: "binary", text: "kind: List\x00\n", want: "live.yaml:1:11: binary content"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := write(t, tc.text)
			_, err := Load(p)
			if err == nil {
				t.Fatal("no error")
			}
			msg := strings.ReplaceAll(err.Error(), filepath.Dir(p)+string(filepath.Separator), "")
			if !strings.HasPrefix(msg, "--live: ") || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q; want one line with %q", msg, tc.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	_, err := Load(filepath.Join(t.TempDir(), "absent.yaml"))
	if err == nil || !strings.Contains(err.Error(), "absent.yaml: no such file") {
		t.Errorf("error %v", err)
	}
}

func TestNote(t *testing.T) {
	t.Parallel()
	s, err := Load(write(t, list(tf, git)))
	if err != nil {
		t.Fatal(err)
	}
	gitOnly, err := Load(write(t, list(git)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		set     *Set
		desired map[string]bool
		want    string
	}{
		{name: "one matches", set: s, desired: map[string]bool{"flux-system/uat-eks": true, "flux-system/other": true}},
		{name: "nothing desired", set: s},
		{name: "another cluster", set: s, desired: map[string]bool{"flux-system/prod-eks": true}, want: "none of its 1 Terraforms has the namespace and name of one of these manifests'"},
		{name: "no Terraform", set: gitOnly, desired: map[string]bool{"flux-system/uat-eks": true}, want: "lists no Terraform"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.set.Note(tc.desired)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("note %q, want %q", got, tc.want)
			}
		})
	}
}

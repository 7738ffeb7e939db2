package crdtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"
)

// RepoRoot returns the nearest directory at or above the working directory that
// contains go.mod.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("no go.mod found above the working directory")
		}
		dir = parent
	}
}

// UpstreamDir returns <repo root>/../shared/upstream (SharedDir).
func UpstreamDir(tb testing.TB) string {
	tb.Helper()
	return SharedDir(tb, "upstream")
}

// SharedDir returns <repo root>/../shared/<name>, the test data beside the
// checkout that .ci/shared.lock pins. When it is absent the test skips
// with a message, except under CI=true, where it fails: CI must never pass
// with a test that did not run.
func SharedDir(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join(RepoRoot(tb), "..", "shared", name)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		msg := fmt.Sprintf("test data folder %s is absent (fetch it: go run ./internal/sharedfiles/fetchshared)", dir)
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg + "; skipping")
	}
	return dir
}

// LoadCRDSchema reads a CustomResourceDefinition YAML file and returns the
// openAPIV3Schema of the named version as generic JSON values (numbers as
// json.Number).
func LoadCRDSchema(file, version string) (map[string]any, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	crd, _ := v.(map[string]any)
	spec, _ := crd["spec"].(map[string]any)
	versions, _ := spec["versions"].([]any)
	for _, ver := range versions {
		m, _ := ver.(map[string]any)
		if m["name"] != version {
			continue
		}
		sch, _ := m["schema"].(map[string]any)
		if root, ok := sch["openAPIV3Schema"].(map[string]any); ok {
			return root, nil
		}
		return nil, fmt.Errorf("%s: version %s has no openAPIV3Schema", file, version)
	}
	return nil, fmt.Errorf("%s: no version %q", file, version)
}

// SubSchema follows property names (and "[]" for array items, "{}" for
// additionalProperties) from s and returns the schema found, or nil.
func SubSchema(s map[string]any, path ...string) map[string]any {
	for _, seg := range path {
		if s == nil {
			return nil
		}
		switch seg {
		case "[]":
			s, _ = s["items"].(map[string]any)
		case "{}":
			s, _ = s["additionalProperties"].(map[string]any)
		default:
			s, _ = Properties(s)[seg].(map[string]any)
		}
	}
	return s
}

// Properties returns s["properties"] (nil if absent).
func Properties(s map[string]any) map[string]any {
	p, _ := s["properties"].(map[string]any)
	return p
}

// SortedKeys returns the keys of m in order.
func SortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func requiredList(s map[string]any) []string {
	l, _ := s["required"].([]any)
	out := make([]string, 0, len(l))
	for _, r := range l {
		if str, ok := r.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

func schemaType(s map[string]any) string {
	t, _ := s["type"].(string)
	return t
}

func isTrue(s map[string]any, key string) bool {
	b, _ := s[key].(bool)
	return b
}

// SplitYAMLDocuments splits a multi-document YAML stream on "---" separator lines
// (optionally followed by a comment) and drops documents holding only comments or
// whitespace.
func SplitYAMLDocuments(data []byte) ([][]byte, error) {
	var docs [][]byte
	var cur []string
	flush := func() error {
		doc := []byte(strings.Join(cur, "\n"))
		cur = nil
		var v any
		if err := yaml.Unmarshal(doc, &v); err != nil {
			return err
		}
		if v != nil {
			docs = append(docs, doc)
		}
		return nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimRight(line, " \t\r")
		if trimmed == "---" || strings.HasPrefix(trimmed, "--- #") || strings.HasPrefix(trimmed, "---\t#") {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		cur = append(cur, line)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return docs, nil
}

// PathString renders schema path segments ("[]" and "{}" included) as a
// field.Path-style string, with index 0 for array items and key "k" for map values:
// ["spec","varsFrom","[]","kind"] becomes "spec.varsFrom[0].kind".
func PathString(path []string) string {
	var b strings.Builder
	for i, seg := range path {
		switch seg {
		case "[]":
			b.WriteString("[0]")
		case "{}":
			b.WriteString("[k]")
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(seg)
		}
	}
	return b.String()
}

// SchemaPathString renders schema path segments as written: "spec.varsFrom[].kind".
func SchemaPathString(path []string) string {
	var b strings.Builder
	for i, seg := range path {
		switch seg {
		case "[]", "{}":
			b.WriteString(seg)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(seg)
		}
	}
	return b.String()
}

// MarshalJSON marshals v with encoding/json and fails the test on error.
func MarshalJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	return b
}

// Integration skips a test that drives an outside tool (pre-commit,
// actionlint, conftest), unless FLUXTF_INTEGRATION=1 (`make test` sets it)
// or CI=true: a plain `go test ./...` on a fresh clone needs nothing that
// `make tools` installs, and CI never passes without them.
func Integration(tb testing.TB, tool string) {
	tb.Helper()
	if os.Getenv("FLUXTF_INTEGRATION") == "1" || os.Getenv("CI") == "true" {
		return
	}
	tb.Skipf("integration test with %s: set FLUXTF_INTEGRATION=1 (make test does, after make tools installs it)", tool)
}

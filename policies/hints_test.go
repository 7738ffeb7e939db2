package policies

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/manifest"
)

func TestConvertFindsAWSKeyPrefixes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		obj  map[string]any
		want bool
	}{
		{name: "none", obj: map[string]any{"spec": map[string]any{"vars": []any{map[string]any{"name": "region", "value": "eu-west-1"}}}}},
		{name: "non-strings", obj: map[string]any{"spec": map[string]any{"a": int64(1), "b": 2.5, "c": true, "d": nil}}},
		{name: "look-alikes", obj: map[string]any{"spec": map[string]any{"x": "AKI", "y": "akia", "z": "A KIA", "w": "AAKI"}}},
		{name: "value", obj: map[string]any{"spec": map[string]any{"tags": map[string]any{"Owner": "AKIAIOSFODNN7EXAMPLE"}}}, want: true},
		{name: "in a list", obj: map[string]any{"spec": map[string]any{"vars": []any{"x", []any{"id=ASIA0000"}}}}, want: true},
		{name: "a key", obj: map[string]any{"spec": map[string]any{"ABIA0000000000000000": "x"}}, want: true},
		{name: "at the end", obj: map[string]any{"spec": "xxACCA"}, want: true},
		{name: "outside spec", obj: map[string]any{"metadata": map[string]any{"annotations": map[string]any{"k": "AKIA"}}}, want: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			docs := []*manifest.Doc{{File: "a.yaml", Object: map[string]any{"kind": "ConfigMap"}}, {File: "b.yaml", Object: tc.obj}}
			got, err := convertDocs(docs)
			if err != nil {
				t.Fatal(err)
			}
			if got.awsKeyPrefix != tc.want {
				t.Errorf("awsKeyPrefix = %v, want %v", got.awsKeyPrefix, tc.want)
			}
		})
	}
}

// TestAWSKeyPrefixesMatchTheRule: the prefixes the converter looks for are
// the ones no-inline-secrets' aws_key pattern and search name, so that the
// engine's word (context.noAwsKeyPrefix) never hides a key the rule would
// find.
func TestAWSKeyPrefixesMatchTheRule(t *testing.T) {
	t.Parallel()
	src, err := fs.ReadFile(Embedded, "rules/no_inline_secrets.rego")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	pattern := regexp.MustCompile("(?m)^aws_key := `[^`]*\\(([A-Z|]+)\\)").FindStringSubmatch(text)
	search := regexp.MustCompile(`some prefix in \[([^\]]*)\]`).FindStringSubmatch(text)
	if pattern == nil || search == nil {
		t.Fatal("no aws_key pattern or prefix search in no_inline_secrets.rego")
	}
	want := strings.Join(awsKeyPrefixes[:], "|")
	if pattern[1] != want {
		t.Errorf("aws_key's prefixes are %s, the converter's %s", pattern[1], want)
	}
	if got := strings.ReplaceAll(strings.ReplaceAll(search[1], `"`, ""), ", ", "|"); got != want {
		t.Errorf("the rule searches for %s, the converter looks for %s", got, want)
	}
}

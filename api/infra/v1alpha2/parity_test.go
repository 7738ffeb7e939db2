package v1alpha2_test

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/crdtest"
)

// TestTerraformFieldParity walks the whole v1alpha2 schema (spec, including the
// core/v1 runnerPodTemplate.spec subtree, and status) together with the Go types.
func TestTerraformFieldParity(t *testing.T) {
	t.Parallel()
	crd := loadTerraformCRD(t)
	tests := []struct {
		name    string
		schema  func() map[string]any
		opts    crdtest.ParityOptions
		comment string
	}{
		{
			name:   "v1alpha2 schema equals Go types",
			schema: func() map[string]any { return crd.v1alpha2 },
			opts:   crdtest.ParityOptions{OmitemptyPkg: terraformType.PkgPath()},
		},
		{
			name:   "v1alpha1 schema is a subset of Go types",
			schema: func() map[string]any { return crd.v1alpha1 },
			opts:   crdtest.ParityOptions{SchemaSubset: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if problems := crdtest.FieldParity(tc.schema(), terraformType, tc.opts); len(problems) > 0 {
				t.Errorf("%d mismatches between the CRD schema and %s:\n  %s",
					len(problems), terraformType, strings.Join(problems, "\n  "))
			}
		})
	}
}

// TestFieldParityDetectsDrift makes sure the parity walker is able to fail.
func TestFieldParityDetectsDrift(t *testing.T) {
	t.Parallel()
	type withExtra struct {
		v1alpha2.Terraform `json:",inline"`
		Extra              string `json:"extra,omitempty"`
	}
	type wrongType struct {
		Spec struct {
			Interval int `json:"interval"`
		} `json:"spec"`
	}
	crd := loadTerraformCRD(t)
	tests := []struct {
		name string
		typ  reflect.Type
		want []string // substrings that must appear among the problems
	}{
		{name: "extra Go field", typ: reflect.TypeFor[withExtra](), want: []string{"extra: Go field"}},
		{name: "wrong type and missing fields", typ: reflect.TypeFor[wrongType](),
			want: []string{"spec.interval: schema type string but Go type int", "spec.sourceRef: schema property has no Go field", "status: schema property has no Go field"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			problems := strings.Join(crdtest.FieldParity(crd.v1alpha2, tc.typ, crdtest.ParityOptions{}), "\n")
			for _, w := range tc.want {
				if !strings.Contains(problems, w) {
					t.Errorf("expected a problem containing %q, got:\n%s", w, problems)
				}
			}
		})
	}
}

// TestV1alpha2OnlyFieldsMatchCRD derives the v1alpha2-only spec fields by diffing
// the two versions' schemas and checks that, apart from them, both versions state
// exactly the same schema for spec (so Validate's checks apply to v1alpha1 too).
func TestV1alpha2OnlyFieldsMatchCRD(t *testing.T) {
	t.Parallel()
	crd := loadTerraformCRD(t)
	v2 := crdtest.SubSchema(crd.v1alpha2, "spec")
	v1 := crdtest.SubSchema(crd.v1alpha1, "spec")

	var onlyV2, onlyV1 []string
	var diffSchemaOnly func(a, b map[string]any, path []string, out *[]string)
	diffSchemaOnly = func(a, b map[string]any, path []string, out *[]string) {
		pa, pb := crdtest.Properties(a), crdtest.Properties(b)
		for _, k := range crdtest.SortedKeys(pa) {
			sub := append(append([]string(nil), path...), k)
			if _, ok := pb[k]; !ok {
				*out = append(*out, strings.Join(sub, "."))
				continue
			}
			diffSchemaOnly(pa[k].(map[string]any), pb[k].(map[string]any), sub, out)
		}
		if ia, ok := a["items"].(map[string]any); ok {
			if ib, ok := b["items"].(map[string]any); ok {
				diffSchemaOnly(ia, ib, append(path, "[]"), out)
			}
		}
	}
	diffSchemaOnly(v2, v1, nil, &onlyV2)
	diffSchemaOnly(v1, v2, nil, &onlyV1)
	if len(onlyV1) > 0 {
		t.Errorf("v1alpha1 spec has fields v1alpha2 lacks: %v", onlyV1)
	}
	if got := v1alpha2.AddedFieldPaths(); !slices.Equal(got, onlyV2) {
		t.Errorf("AddedFieldPaths() = %v, CRD diff gives %v", got, onlyV2)
	}
	var top []string
	for _, p := range onlyV2 {
		if !strings.Contains(p, ".") {
			top = append(top, p)
		}
	}
	sort.Strings(top)
	if got := v1alpha2.AddedFields(); !slices.Equal(got, top) {
		t.Errorf("AddedFields() = %v, CRD diff gives %v", got, top)
	}

	// With the v1alpha2-only fields removed (and descriptions ignored), the two
	// spec schemas must be identical, constraints included.
	stripped := stripDescriptions(v2)
	for _, p := range onlyV2 {
		segs := strings.Split(p, ".")
		parent := crdtest.SubSchema(stripped, segs[:len(segs)-1]...)
		delete(crdtest.Properties(parent), segs[len(segs)-1])
	}
	if a, b := string(crdtest.MarshalJSON(t, stripped)), string(crdtest.MarshalJSON(t, stripDescriptions(v1))); a != b {
		t.Errorf("v1alpha1 spec schema differs from v1alpha2 minus the v1alpha2-only fields beyond descriptions")
	}
}

func stripDescriptions(v any) map[string]any {
	var strip func(v any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, val := range x {
				if k == "description" {
					if _, isString := val.(string); isString {
						continue
					}
				}
				out[k] = strip(val)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i := range x {
				out[i] = strip(x[i])
			}
			return out
		}
		return v
	}
	return strip(v).(map[string]any)
}

package sourcecheck_test

import (
	"encoding/json"
	"slices"
	"testing"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/sourcecheck"
)

func decodeAndValidate(doc []byte) (field.ErrorList, error) {
	var g sourcev1.GitRepository
	if err := yaml.UnmarshalStrict(doc, &g); err != nil {
		return nil, err
	}
	return sourcecheck.ValidateGitRepository(&g), nil
}

var gitRepositoryBase = map[string]any{
	"apiVersion": sourcev1.GroupVersion.String(),
	"kind":       sourcev1.GitRepositoryKind,
	"metadata":   map[string]any{"name": "repo"},
}

// TestGitRepositoryConstraintParity mutates a minimal valid GitRepository once per
// constraint of the v1 spec schema and checks that the JSON Schema compiled from
// the CRD and ValidateGitRepository agree on every case.
func TestGitRepositoryConstraintParity(t *testing.T) {
	t.Parallel()
	crd := loadGitRepositoryCRD(t)
	constraints := crdtest.EnumerateConstraints(crd.v1, []string{"spec"}, nil)
	kinds := map[string]int{}
	for _, c := range constraints {
		kinds[c.Keyword]++
	}
	t.Logf("%d constraints: %v", len(constraints), kinds)
	for _, kw := range []string{"required", "enum", "pattern"} {
		if kinds[kw] == 0 {
			t.Errorf("no %s constraint enumerated in spec", kw)
		}
	}
	crdtest.RunConstraintParity(t, crdtest.ParityConfig{
		Builder:     crdtest.DocBuilder{Root: crd.v1, RootType: gitRepositoryType},
		Schema:      crd.compiled,
		Base:        gitRepositoryBase,
		Constraints: constraints,
		Validate:    decodeAndValidate,
	})
}

// celCases holds, per x-kubernetes-validations rule of the CRD, spec fragments
// merged into a minimal valid spec; every rule in the CRD must have cases here.
var celCases = map[string][]struct {
	name string
	spec map[string]any
}{
	"!has(self.serviceAccountName) || (has(self.provider) && (self.provider == 'azure' || self.provider == 'aws'))": {
		{name: "no serviceAccountName", spec: map[string]any{}},
		{name: "no serviceAccountName, provider github", spec: map[string]any{"provider": "github"}},
		{name: "serviceAccountName without provider", spec: map[string]any{"serviceAccountName": "sa"}},
		{name: "serviceAccountName with generic", spec: map[string]any{"serviceAccountName": "sa", "provider": "generic"}},
		{name: "serviceAccountName with github", spec: map[string]any{"serviceAccountName": "sa", "provider": "github"}},
		{name: "serviceAccountName with azure", spec: map[string]any{"serviceAccountName": "sa", "provider": "azure"}},
		{name: "serviceAccountName with aws", spec: map[string]any{"serviceAccountName": "sa", "provider": "aws"}},
	},
}

// TestGitRepositoryCELParity evaluates each CEL rule of the CRD with cel-go and
// checks that ValidateGitRepository reports an error exactly when the rule fails.
func TestGitRepositoryCELParity(t *testing.T) {
	t.Parallel()
	crd := loadGitRepositoryCRD(t)
	rules := crdtest.EnumerateCELRules(crd.v1, []string{"spec"})
	if len(rules) == 0 {
		t.Fatal("no x-kubernetes-validations rule found in spec; the CRD changed")
	}
	for _, r := range rules {
		if !slices.Equal(r.Path, []string{"spec"}) {
			t.Errorf("rule %q at %v: only rules on spec are handled by this test", r.Rule, r.Path)
			continue
		}
		cases, ok := celCases[r.Rule]
		if !ok {
			t.Errorf("CRD rule %q (%s) has no test cases; translate it in ValidateGitRepository and add cases", r.Rule, r.Message)
			continue
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				spec := map[string]any{"interval": "1m", "url": "https://example.com/repo.git"}
				for k, v := range tc.spec {
					spec[k] = v
				}
				specJSON, _ := json.Marshal(spec)
				want, err := crdtest.EvalCEL(r.Rule, specJSON)
				if err != nil {
					t.Fatalf("evaluating CEL: %v", err)
				}
				doc := map[string]any{}
				for k, v := range gitRepositoryBase {
					doc[k] = v
				}
				doc["spec"] = spec
				errs, decErr := decodeAndValidate(crdtest.MarshalJSON(t, doc))
				if decErr != nil {
					t.Fatal(decErr)
				}
				if got := len(errs) == 0; got != want {
					t.Errorf("CEL rule says valid=%v, ValidateGitRepository says %v (errors: %v)", want, got, errs)
				}
			})
		}
	}
}

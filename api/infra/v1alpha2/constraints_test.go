package v1alpha2_test

import (
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/crdtest"
)

// Constraints the Go types enforce while decoding, so Validate never sees them.
var terraformDecodeEnforced = map[string]string{
	"format spec.parallelism":                         "int32 field: larger numbers do not decode",
	"format spec.remediation.retries":                 "int64 field",
	"format spec.runnerTerminationGracePeriodSeconds": "int64 field",
}

// Constraints whose violations the Go types silently accept.
var terraformKnownGaps = map[string]string{
	"pattern spec.vars[].valueFrom.resourceFieldRef.divisor": "resource.Quantity rejects most strings the pattern rejects, " +
		`but decodes "-", "+", ".", "-." and "+." as 0 (and trims surrounding spaces), losing the original text`,
}

// skipRunnerPodSpec keeps, inside the core/v1 subtree runnerPodTemplate.spec, only
// the required lists of the objects directly under it (what Validate checks).
func skipRunnerPodSpec(path []string, keyword string) bool {
	prefix := []string{"spec", "runnerPodTemplate", "spec"}
	if len(path) < len(prefix) || !slices.Equal(path[:len(prefix)], prefix) {
		return false
	}
	rest := path[len(prefix):]
	switch {
	case keyword == "required" && len(rest) == 3 && rest[1] == "[]": // e.g. env[].name
		return false
	case keyword == "required" && len(rest) == 2: // required of a direct object property
		return false
	}
	return true
}

func decodeAndValidate(doc []byte) (field.ErrorList, error) {
	var tf v1alpha2.Terraform
	if err := yaml.UnmarshalStrict(doc, &tf); err != nil {
		return nil, err
	}
	return tf.Validate(), nil
}

// TestTerraformConstraintParity mutates a minimal valid Terraform once per
// constraint of the v1alpha2 spec schema and checks that the JSON Schema compiled
// from the CRD and Validate agree on every case.
func TestTerraformConstraintParity(t *testing.T) {
	t.Parallel()
	crd := loadTerraformCRD(t)
	constraints := crdtest.EnumerateConstraints(crd.v1alpha2, []string{"spec"}, skipRunnerPodSpec)

	kinds := map[string]int{}
	for _, c := range constraints {
		kinds[c.Keyword]++
	}
	t.Logf("%d constraints: %v", len(constraints), kinds)
	// Guard against the enumeration silently finding nothing.
	for _, kw := range []string{"required", "enum", "pattern", "minLength", "maxLength", "format"} {
		if kinds[kw] == 0 {
			t.Errorf("no %s constraint enumerated in spec", kw)
		}
	}

	crdtest.RunConstraintParity(t, crdtest.ParityConfig{
		Builder: crdtest.DocBuilder{Root: crd.v1alpha2, RootType: terraformType},
		Schema:  crd.compiled,
		Base: map[string]any{
			"apiVersion": v1alpha2.APIVersion,
			"kind":       v1alpha2.TerraformKind,
			"metadata":   map[string]any{"name": "tf"},
		},
		Constraints:    constraints,
		Validate:       decodeAndValidate,
		DecodeEnforced: terraformDecodeEnforced,
		KnownGaps:      terraformKnownGaps,
	})
}

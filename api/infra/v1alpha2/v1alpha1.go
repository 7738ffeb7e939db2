package v1alpha2

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/digx/fluxtf/internal/kubemeta"
)

// The deprecated v1alpha1 Terraform schema is the v1alpha2 schema minus a few
// fields (the CRD states identical constraints for every field they share), so a
// v1alpha1 manifest decodes into these types. The helpers below detect v1alpha2-only
// fields so that such a manifest can be rejected.

// v1alpha2OnlyFieldPaths are the dotted paths, relative to spec, of every field the
// v1alpha2 schema has and the v1alpha1 schema lacks. Tests check this list against
// the CRD.
var v1alpha2OnlyFieldPaths = []string{
	"branchPlanner",
	"maxRetryInterval",
	"plan",
	"planOnly",
	"remediation",
	"retryStrategy",
	"runnerPodTemplate.spec.hostAliases",
	"runnerPodTemplate.spec.priorityClassName",
	"runnerPodTemplate.spec.resources",
	"runnerPodTemplate.spec.securityContext",
	"tfVarsFiles",
	"tfstate.lockTimeout",
	"upgradeOnInit",
	"writeOutputsToSecret.annotations",
	"writeOutputsToSecret.labels",
}

// AddedFields returns the JSON names of the top-level spec fields that exist
// in v1alpha2 but not in v1alpha1, sorted. Nested additions (for example
// tfstate.lockTimeout) are listed by AddedFieldPaths.
func AddedFields() []string {
	var out []string
	for _, p := range v1alpha2OnlyFieldPaths {
		if !strings.Contains(p, ".") {
			out = append(out, p)
		}
	}
	return out
}

// AddedFieldPaths returns the dotted paths, relative to spec, of every spec
// field (top-level or nested) that exists in v1alpha2 but not in v1alpha1, sorted.
func AddedFieldPaths() []string {
	return append([]string(nil), v1alpha2OnlyFieldPaths...)
}

// ValidateAsV1alpha1 validates t as a v1alpha1 Terraform: apiVersion must be
// DeprecatedAPIVersion, every Validate check on metadata and spec applies, and each
// v1alpha2-only spec field that is set is reported as Forbidden.
//
// A v1alpha2-only field explicitly set to its zero value (planOnly: false) cannot be
// seen in the decoded object; use FindV1alpha2OnlyFields on the raw document for that.
func (t *Terraform) ValidateAsV1alpha1() field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, kubemeta.ValidateTypeMeta(t.APIVersion, t.Kind, DeprecatedAPIVersion, TerraformKind)...)
	errs = append(errs, kubemeta.ValidateObjectMeta(&t.ObjectMeta)...)
	errs = append(errs, validateSpec(&t.Spec, field.NewPath("spec"))...)

	s := &t.Spec
	rp := &s.RunnerPodTemplate.Spec
	set := map[string]bool{
		"branchPlanner":                      s.BranchPlanner != nil,
		"maxRetryInterval":                   s.MaxRetryInterval != nil,
		"plan":                               s.Plan != nil,
		"planOnly":                           s.PlanOnly,
		"remediation":                        s.Remediation != nil,
		"retryStrategy":                      s.RetryStrategy != "",
		"runnerPodTemplate.spec.hostAliases": rp.HostAliases != nil,
		"runnerPodTemplate.spec.priorityClassName": rp.PriorityClassName != "",
		"runnerPodTemplate.spec.resources":         rp.Resources != nil,
		"runnerPodTemplate.spec.securityContext":   rp.SecurityContext != nil,
		"tfVarsFiles":                              s.TfVarsFiles != nil,
		"tfstate.lockTimeout":                      s.TFState != nil && s.TFState.LockTimeout != nil,
		"upgradeOnInit":                            s.UpgradeOnInit != nil,
		"writeOutputsToSecret.annotations":         s.WriteOutputsToSecret != nil && s.WriteOutputsToSecret.Annotations != nil,
		"writeOutputsToSecret.labels":              s.WriteOutputsToSecret != nil && s.WriteOutputsToSecret.Labels != nil,
	}
	for _, p := range v1alpha2OnlyFieldPaths {
		if set[p] {
			errs = append(errs, forbiddenV1alpha2Only(p))
		}
	}
	return errs
}

// FindV1alpha2OnlyFields reports, as Forbidden errors, every v1alpha2-only spec
// field present in doc, a whole manifest decoded into generic maps (for example
// with sigs.k8s.io/yaml.Unmarshal into map[string]interface{}). Unlike
// ValidateAsV1alpha1 it also sees fields explicitly set to zero values.
func FindV1alpha2OnlyFields(doc map[string]interface{}) field.ErrorList {
	var errs field.ErrorList
	for _, p := range v1alpha2OnlyFieldPaths {
		cur := doc["spec"]
		found := true
		for _, seg := range strings.Split(p, ".") {
			m, ok := cur.(map[string]interface{})
			if !ok {
				found = false
				break
			}
			if cur, ok = m[seg]; !ok {
				found = false
				break
			}
		}
		if found {
			errs = append(errs, forbiddenV1alpha2Only(p))
		}
	}
	return errs
}

func forbiddenV1alpha2Only(rel string) *field.Error {
	return field.Forbidden(field.NewPath("spec", strings.Split(rel, ".")...),
		"not supported by "+DeprecatedAPIVersion+"; only by "+APIVersion)
}

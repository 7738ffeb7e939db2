package templates

import (
	"fmt"
	"slices"
	"strings"
)

// TargetKind is a kind of place a stack deploys to.
type TargetKind string

// Target kinds.
const (
	// TargetAWS is an AWS account and region (targets[].account,
	// accountId, region).
	TargetAWS TargetKind = "aws"
	// TargetAzure is an Azure subscription, location and resource group
	// (targets[].azure).
	TargetAzure TargetKind = "azure"
)

// PolicyFamily names a group of embedded policy rules. A stack lists the
// families that check its objects; the generator writes them into the
// annotation contract.AnnotationPolicies of every object, where the rules
// read them.
type PolicyFamily string

// Policy families.
const (
	// FamilyCommon: rules for every Flux and tf-controller object (names,
	// references, secrets, state, tier ordering of sources).
	FamilyCommon PolicyFamily = "common"
	// FamilyEKS: the EKS cluster rules (Kubernetes versions, node OS,
	// node groups, Karpenter, EFS, runner reachability).
	FamilyEKS PolicyFamily = "eks"
	// FamilyOCMClient: the Azure Functions OAuth client rules (client
	// secrets by reference, supported Python runtime, app settings).
	FamilyOCMClient PolicyFamily = "ocm-client"
)

// PolicyFamilies lists the known families.
var PolicyFamilies = []PolicyFamily{FamilyCommon, FamilyEKS, FamilyOCMClient}

// StackFields are the spec fields that belong to some stacks only. A
// stack takes those its catalogue lists under spec.required or
// spec.optional; any other is an input error in its environments. Every
// other spec field (name, tier, source, targets' account, terraform...)
// is every stack's.
var StackFields = []string{
	"cluster",
	"functionApp",
	"terraform.runnerAccess",
	"terraform.runnerCidrs",
	"targets[].runnerAccess",
	"targets[].clusterName",
}

// SpecFields are the stack-specific spec fields (of StackFields) a stack
// takes.
type SpecFields struct {
	// Required fields must be set in each environment of the stack.
	Required []string `json:"required,omitempty"`
	// Optional fields may be set.
	Optional []string `json:"optional,omitempty"`
}

// LegacySpec is the spec fields of a catalogue that does not say: the EKS
// cluster, required, and the runner access fields.
var LegacySpec = SpecFields{
	Required: []string{"cluster"},
	Optional: []string{"terraform.runnerAccess", "terraform.runnerCidrs", "targets[].runnerAccess", "targets[].clusterName"},
}

// SpecFields returns the stack's spec fields (LegacySpec when the
// catalogue names none).
func (s *Stack) SpecFields() SpecFields {
	if s.Spec == nil {
		return LegacySpec
	}
	return *s.Spec
}

// HasBase reports whether the stack has a base module.
func (s *Stack) HasBase() bool {
	return s.Base.Name != "" || s.Base.Path != ""
}

// TargetKinds returns the stack's target kinds (default: aws).
func (s *Stack) TargetKinds() []TargetKind {
	if len(s.Targets) == 0 {
		return []TargetKind{TargetAWS}
	}
	return s.Targets
}

// Deploys reports whether the stack's targets include kind k.
func (s *Stack) Deploys(k TargetKind) bool {
	return slices.Contains(s.TargetKinds(), k)
}

// Families returns the stack's policy families (default: common).
func (s *Stack) Families() []PolicyFamily {
	if len(s.Policies) == 0 {
		return []PolicyFamily{FamilyCommon}
	}
	return s.Policies
}

// FamiliesValue is the value of the policies annotation: the families
// joined by commas, such as "common,eks".
func (s *Stack) FamiliesValue() string {
	f := make([]string, len(s.Families()))
	for i, x := range s.Families() {
		f[i] = string(x)
	}
	return strings.Join(f, ",")
}

// TakesField reports whether the stack takes the stack-specific field f
// (one of StackFields).
func (s *Stack) TakesField(f string) bool {
	sf := s.SpecFields()
	return slices.Contains(sf.Required, f) || slices.Contains(sf.Optional, f)
}

// checkModel checks the stack model's fields: target kinds, spec fields
// and policy families.
func (s *Stack) checkModel(at func(path, format string, args ...any)) {
	for i, k := range s.Targets {
		if k != TargetAWS && k != TargetAzure {
			at(fmt.Sprintf("targets[%d]", i), "must be aws or azure, got %q", k)
		}
	}
	for i, f := range s.Policies {
		if !slices.Contains(PolicyFamilies, f) {
			at(fmt.Sprintf("policies[%d]", i), "unknown policy family %q; known: common, eks, ocm-client", f)
		}
	}
	for _, list := range []struct {
		name   string
		fields []string
	}{{"spec.required", s.SpecFields().Required}, {"spec.optional", s.SpecFields().Optional}} {
		for i, f := range list.fields {
			if !slices.Contains(StackFields, f) {
				at(fmt.Sprintf("%s[%d]", list.name, i), "%q is not a stack-specific spec field; known: %s", f, strings.Join(StackFields, ", "))
			}
		}
	}
	if s.SourceURL != "" && !urlRE.MatchString(s.SourceURL) {
		at("sourceURL", "%q must start with ssh://, https:// or http://", s.SourceURL)
	}
}

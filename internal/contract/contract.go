package contract

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Labels on every generated object.
const (
	// LabelEnvironment is the environment name, such as uat.
	LabelEnvironment = "fluxtf.io/environment"
	// LabelTier is dev, uat or prod.
	LabelTier = "fluxtf.io/tier"
	// LabelStack is the module stack, such as jeppesen-eks.
	LabelStack = "fluxtf.io/stack"
	// LabelTarget is the target (account and region) a Terraform object deploys to.
	LabelTarget = "fluxtf.io/target"
	// LabelAccount is the AWS account alias of the target, such as digx-uat.
	LabelAccount = "fluxtf.io/account"
	// LabelRegion is the AWS region of the target.
	LabelRegion = "fluxtf.io/region"
	// LabelComponent is the module: the base module's name (eks) or a component's.
	LabelComponent = "fluxtf.io/component"
	// LabelManagedBy marks generated objects.
	LabelManagedBy = "app.kubernetes.io/managed-by"
	// ManagedByValue is LabelManagedBy's value on generated objects.
	ManagedByValue = "fluxtf"
)

// Annotations.
const (
	// AnnotationMigrationGuide on a GitRepository names the migration guide
	// of a module major version rise.
	AnnotationMigrationGuide = "fluxtf.io/migration-guide"
	// AnnotationMigration on a component's Terraform records that a breaking
	// upgrade's manual steps (Karpenter: CRD clean-up) are done, and on a
	// GitRepository which major step its guide covers: "FROM -> TO".
	AnnotationMigration = "fluxtf.io/migration"
	// AnnotationRollback on a GitRepository or a component's Terraform
	// records that its version is deliberately below the baseline's:
	// "VERSION: reason" (spec `rollback`).
	AnnotationRollback = "fluxtf.io/rollback"
	// AnnotationRunnerAccess on a Terraform says how tf-runner pods reach
	// its cluster's API endpoint: private (a network path to the private
	// endpoint) or public (the endpoint is public, limited to the runners'
	// addresses).
	AnnotationRunnerAccess = "fluxtf.io/runner-access"
	// WaiverPrefix starts the annotation keys that waive a rule:
	// waive.fluxtf.io/<rule-id>: "<YYYY-MM-DD>: <reason>".
	WaiverPrefix = "waive.fluxtf.io/"
)

// Terraform variables the base module receives and the policies read.
const (
	VarClusterName       = "cluster_name"
	VarKubernetesVersion = "kubernetes_version"
	VarOS                = "os"
	VarNodeGroups        = "node_groups"
	VarCustomAMIID       = "custom_ami_id"
	VarImagePipelineARN  = "image_builder_pipeline_arn"
	// VarEndpointPublicAccess and VarEndpointPublicCIDRs open the cluster's
	// API endpoint to the addresses listed.
	VarEndpointPublicAccess = "cluster_endpoint_public_access"
	VarEndpointPublicCIDRs  = "cluster_endpoint_public_access_cidrs"
	// NodeGroupMinSize is the key of a node group's minimum size inside
	// node_groups.
	NodeGroupMinSize = "min_size"
)

// WaiverAnnotation is the annotation key that waives rule.
func WaiverAnnotation(rule string) string {
	return WaiverPrefix + rule
}

// FormatWaiver writes a waiver annotation value.
func FormatWaiver(expires, reason string) string {
	if reason == "" {
		return expires
	}
	return expires + ": " + reason
}

// Waiver is a parsed waiver annotation.
type Waiver struct {
	Rule    string
	Expires time.Time // the waiver holds through this whole day (UTC)
	Reason  string
}

var waiverValue = regexp.MustCompile(`^\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*(?::\s*(.*?))?\s*$`)

// ParseWaiver reads a waiver annotation value "<YYYY-MM-DD>: <reason>".
func ParseWaiver(rule, value string) (Waiver, error) {
	m := waiverValue.FindStringSubmatch(value)
	if m == nil {
		return Waiver{Rule: rule}, fmt.Errorf("waiver for %s must read \"YYYY-MM-DD: reason\", got %q", rule, value)
	}
	t, err := time.Parse(time.DateOnly, m[1])
	if err != nil {
		return Waiver{Rule: rule}, fmt.Errorf("waiver for %s: %q is not a date", rule, m[1])
	}
	return Waiver{Rule: rule, Expires: t, Reason: strings.TrimSpace(m[2])}, nil
}

// Active reports whether the waiver still holds at now.
func (w Waiver) Active(now time.Time) bool {
	return now.UTC().Before(w.Expires.AddDate(0, 0, 1))
}

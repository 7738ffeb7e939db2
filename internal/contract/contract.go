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
	// AnnotationMovedFrom on a renamed object lists its former names
	// (comma-separated): the spec's moved entries, which keep the cluster
	// and its state under the new name. The rule identity-moved accepts a
	// rename whose baseline name it lists.
	AnnotationMovedFrom = "fluxtf.io/moved-from"
	// AnnotationMovedReason on a renamed object says why it was renamed.
	AnnotationMovedReason = "fluxtf.io/moved-reason"
	// WaiverPrefix starts the annotation keys that waive a rule:
	// waive.fluxtf.io/<rule-id>: "<YYYY-MM-DD>: <reason>".
	WaiverPrefix = "waive.fluxtf.io/"
	// WaiverSourcePrefix starts the annotation keys that name the spec
	// waiver a generated waiver annotation comes from:
	// waiver-source.fluxtf.io/<rule-id>: "<env>.yaml#waivers[<i>]". The
	// waivers of one spec waiver are judged together: one finding at the
	// spec line when it expires, unused only when it waived nothing at all.
	WaiverSourcePrefix = "waiver-source.fluxtf.io/"
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

// WaiverSourceAnnotation is the annotation key that names the spec waiver
// of rule.
func WaiverSourceAnnotation(rule string) string {
	return WaiverSourcePrefix + rule
}

// FormatWaiverSource writes a waiver source annotation value: the spec
// file (relative to the specs folder) and the waiver's field path.
func FormatWaiverSource(specFile string, index int) string {
	return fmt.Sprintf("%s#waivers[%d]", specFile, index)
}

var waiverSourceRE = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.yaml)#(waivers\[[0-9]{1,4}\])$`)

// ParseWaiverSource reads a waiver source annotation value: the spec file
// (a bare <env>.yaml, never a path) and the field path, ok false when the
// value is not one.
func ParseWaiverSource(value string) (specFile, field string, ok bool) {
	m := waiverSourceRE.FindStringSubmatch(value)
	if m == nil {
		return "", "", false
	}
	return m[1], m[3], true
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

// The stack model: what the generator writes for the policies to read
// which rules check an object.
const (
	// AnnotationPolicies on every generated object lists the policy
	// families of its stack, comma-separated, such as "common,eks".
	AnnotationPolicies = "fluxtf.io/policies"
	// AnnotationSourcePrefix on a generated GitRepository is the prefix
	// the stack's GitRepository names start with (source-name-prefix).
	AnnotationSourcePrefix = "fluxtf.io/source-prefix"
	// LabelSubscription is the Azure subscription alias of a target with
	// an azure block.
	LabelSubscription = "fluxtf.io/subscription"
	// LabelLocation is the Azure location of such a target.
	LabelLocation = "fluxtf.io/location"
)

// Terraform variables of stacks with azure targets and of the ocm-client
// function app, which the policies read.
const (
	VarSubscriptionID  = "subscription_id"
	VarLocation        = "location"
	VarResourceGroup   = "resource_group_name"
	VarPythonVersion   = "python_version"
	VarPlanSKU         = "plan_sku"
	VarAppSettings     = "app_settings"
	VarOAuthClients    = "oauth_clients"
	VarFunctionAppName = "function_app_name"
)

// Secret-looking variable names: the rule no-inline-secrets
// (policies/lib/lib.rego, secret_name) and the generator, which refuses an
// inline value for such a variable in a spec, read names alike;
// TestSecretNameParity (policies) holds the two in step.
var (
	// secretHint is a cheap first test: every secret-looking name contains
	// one of these, in any case.
	secretHint = regexp.MustCompile(`(?i)pass|pwd|secret|token|credential|key`)
	// SecretPart matches a secret-looking _-separated part of a name in
	// snake case (lib.rego's secret_part).
	SecretPart = regexp.MustCompile(`(^|_)(password|passwd|passphrase|pass|pwd|secret|secrets|token|tokens|credential|credentials|private_key|privatekey|access_key|accesskey|secret_key|secretkey|api_key|apikey|client_secret|clientsecret|ssh_key)(_|$)`)
	camelRE    = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	separators = regexp.MustCompile(`[-.\s]`)
)

// NotSecretLast are last name parts that make a secret-looking name a
// reference or a setting instead (db_password_arn, api_key_enabled):
// lib.rego's not_secret_last.
var NotSecretLast = []string{
	"name", "names", "arn", "arns", "id", "ids", "ref", "refs", "path", "paths",
	"file", "url", "uri", "endpoint", "ttl", "enabled", "enable", "version",
	"type", "kind", "length", "prefix", "suffix", "rotation", "count", "store",
	"namespace", "mount", "role", "policy", "subject", "subjects",
}

// SecretName reports whether a variable name looks like it holds a secret
// (db_password, apiToken, ssh_key), as no-inline-secrets reads names.
func SecretName(n string) bool {
	if !secretHint.MatchString(n) {
		return false
	}
	s := strings.ToLower(separators.ReplaceAllString(camelRE.ReplaceAllString(n, "${1}_${2}"), "_"))
	if !SecretPart.MatchString(s) {
		return false
	}
	parts := strings.Split(s, "_")
	last := parts[len(parts)-1]
	for _, x := range NotSecretLast {
		if last == x {
			return false
		}
	}
	return true
}

package generator

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/invopop/jsonschema"
)

// Spec identity.
const (
	SpecAPIVersion  = "fluxtf/v1alpha1"
	EnvironmentKind = "Environment"
	// DefaultsFile is the optional file in a specs folder merged under every
	// environment.
	DefaultsFile = "defaults.yaml"
	// DefaultStack is the module stack environments deploy unless they say.
	DefaultStack = "jeppesen-eks"
	// DefaultNamespace is where the generated objects live.
	DefaultNamespace = "flux-system"
)

// Tier is an environment's place in the promotion order dev -> uat -> prod.
type Tier string

// Tiers, in promotion order.
const (
	TierDev  Tier = "dev"
	TierUAT  Tier = "uat"
	TierProd Tier = "prod"
)

// Tiers lists the tiers in promotion order.
var Tiers = []Tier{TierDev, TierUAT, TierProd}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool {
	return t == TierDev || t == TierUAT || t == TierProd
}

// JSONSchema describes Tier for editors.
func (Tier) JSONSchema() *jsonschema.Schema {
	return enumSchema("Promotion tier; drives policies and defaults. Defaults to the environment name when that is a tier.", "dev", "uat", "prod")
}

// OS is the node operating system of the cluster's managed node groups.
type OS string

// Node operating systems.
const (
	// OSAL2 is Amazon Linux 2: traditional, full tooling access. EKS-optimised
	// AL2 AMIs reached end of support on 2025-11-26 and do not exist for
	// Kubernetes 1.33 or later.
	OSAL2 OS = "AL2"
	// OSAL2023 is Amazon Linux 2023, AL2's successor.
	OSAL2023 OS = "AL2023"
	// OSBottlerocket is container-optimised and immutable with a minimal
	// attack surface; recommended for production.
	OSBottlerocket OS = "BOTTLEROCKET"
	// OSDefault maps to AL2 but forces launch template updates, for a
	// deterministic rollback.
	OSDefault OS = "DEFAULT"
	// OSCustom is an AMI built by an EC2 Image Builder pipeline; the spec
	// names the AMI or the pipeline.
	OSCustom OS = "CUSTOM"
)

// OSes lists the known operating systems.
var OSes = []OS{OSAL2, OSAL2023, OSBottlerocket, OSDefault, OSCustom}

// Valid reports whether o is a known OS.
func (o OS) Valid() bool {
	for _, k := range OSes {
		if o == k {
			return true
		}
	}
	return false
}

// JSONSchema describes OS for editors.
func (OS) JSONSchema() *jsonschema.Schema {
	return enumSchema("Node OS: AL2 (end of support, none for 1.33+), AL2023, BOTTLEROCKET (recommended for production), DEFAULT (AL2 with forced launch template updates), CUSTOM (Image Builder AMI; set cluster.customImage).",
		"AL2", "AL2023", "BOTTLEROCKET", "DEFAULT", "CUSTOM")
}

// ApprovePlan is how tf-controller applies plans.
type ApprovePlan string

// Plan approval modes.
const (
	// ApproveAuto applies every plan without review.
	ApproveAuto ApprovePlan = "auto"
	// ApproveManual plans and waits for a person to approve the plan id.
	ApproveManual ApprovePlan = "manual"
)

// JSONSchema describes ApprovePlan for editors.
func (ApprovePlan) JSONSchema() *jsonschema.Schema {
	return enumSchema("auto applies every plan; manual plans and waits for approval (the prod default).", "auto", "manual")
}

// CapacityType is how a managed node group buys instances.
type CapacityType string

// Capacity types.
const (
	OnDemand CapacityType = "ON_DEMAND"
	Spot     CapacityType = "SPOT"
)

// JSONSchema describes CapacityType for editors.
func (CapacityType) JSONSchema() *jsonschema.Schema {
	return enumSchema("EC2 capacity type of the node group.", "ON_DEMAND", "SPOT")
}

func enumSchema(desc string, values ...string) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "string", Description: desc}
	for _, v := range values {
		s.Enum = append(s.Enum, v)
	}
	return s
}

// Duration is a Go duration written as a string such as "10m" or "1h30m".
type Duration struct {
	time.Duration
}

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("expected a duration such as \"10m\", got %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil || !durationRE.MatchString(s) {
		return fmt.Errorf("%q is not a duration; write it like \"10m\" or \"1h30m\"", s)
	}
	if v <= 0 {
		return fmt.Errorf("%q must be positive", s)
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes the duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// JSONSchema describes Duration for editors.
func (Duration) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: durationRE.String(), Description: "A duration such as 30s, 10m or 1h30m."}
}

// Environment is one environment's spec: what to deploy (source and
// components), where (targets: accounts and regions) and how (cluster and
// Terraform settings).
type Environment struct {
	// APIVersion of the spec format; must be fluxtf/v1alpha1.
	APIVersion string `json:"apiVersion" jsonschema:"required,enum=fluxtf/v1alpha1"`
	// Kind must be Environment.
	Kind string `json:"kind" jsonschema:"required,enum=Environment"`
	// Name of the environment, a DNS-1123 label; the spec's file name must be <name>.yaml.
	Name string `json:"name" jsonschema:"required,maxLength=63"`
	// Tier drives the policies and the defaults; defaults to the name when that is dev, uat or prod.
	Tier Tier `json:"tier,omitempty"`
	// Stack names the module stack catalogue in templates/stacks/ (default jeppesen-eks).
	Stack string `json:"stack,omitempty"`
	// Namespace of the generated objects (default flux-system).
	Namespace string `json:"namespace,omitempty" jsonschema:"maxLength=63"`
	// Source is the git repository holding the module stack.
	Source Source `json:"source"`
	// Targets are the AWS accounts and regions the stack is deployed to; prod has several.
	Targets []Target `json:"targets" jsonschema:"minItems=1"`
	// Cluster describes the EKS cluster of the base stack (stacks that take it: jeppesen-eks).
	Cluster Cluster `json:"cluster"`
	// FunctionApp describes the Azure function app (stacks that take it: ocm-client).
	FunctionApp *FunctionApp `json:"functionApp,omitempty"`
	// Components enables optional modules by catalogue name; absent means disabled.
	Components map[string]Component `json:"components,omitempty"`
	// Terraform holds tf-controller settings for every generated Terraform object.
	Terraform TerraformSettings `json:"terraform,omitempty"`
	// Waivers silence named policy findings for a while, with a reason.
	Waivers []Waiver `json:"waivers,omitempty"`
	// Approvals approve pending tf-controller plans by plan id (written by fluxtf approve).
	Approvals []Approval `json:"approvals,omitempty"`
	// Moved records renames of targets or of the environment (from, to, reason), so that the renamed objects keep their cluster and state; keep each entry while the cluster lives.
	Moved []Move `json:"moved,omitempty"`
	// Accounts maps each tier to its AWS account aliases, a trailing * matching a prefix (in defaults.yaml only; default dev: [digx-dev], uat: [digx-uat], prod: [digx-prod*]).
	Accounts map[string][]string `json:"accounts,omitempty"`
}

// Source is the git repository of the module stack, referenced by a semver
// tag or, in dev only, by the alpha branch.
type Source struct {
	// URL of the repository (ssh:// or https://).
	URL string `json:"url"`
	// Tag to deploy, a semver release such as v4.2.0. Exactly one of tag and branch.
	Tag string `json:"tag,omitempty"`
	// Branch to deploy, only alpha and only in dev. Exactly one of tag and branch.
	Branch string `json:"branch,omitempty"`
	// SecretRef names the Secret with git credentials in the objects' namespace.
	SecretRef string `json:"secretRef,omitempty"`
	// Interval at which Flux checks the repository (tier default).
	Interval *Duration `json:"interval,omitempty"`
	// MigrationGuide names the migration guide and the major step it covers ({path, from: v4, to: v5}); required when the tag's major version rises.
	MigrationGuide *MigrationGuide `json:"migrationGuide,omitempty"`
	// Rollback records that the tag is deliberately below the one before ({to: the tag, reason}).
	Rollback *Rollback `json:"rollback,omitempty"`
}

// Target is one AWS account and region the stack is deployed to.
type Target struct {
	// Name of the target, a DNS-1123 label used in object names and folders (default <account>-<region>).
	Name string `json:"name,omitempty" jsonschema:"maxLength=40"`
	// Account is the AWS account alias, such as digx-uat.
	Account string `json:"account"`
	// AccountID is the 12-digit AWS account id, quoted.
	AccountID string `json:"accountId"`
	// Region is the AWS region, such as eu-west-1.
	Region string `json:"region"`
	// ClusterName overrides the EKS cluster name (default <environment>-<target name>).
	ClusterName string `json:"clusterName,omitempty" jsonschema:"maxLength=100"`
	// RunnerAccess overrides terraform.runnerAccess for this target.
	RunnerAccess RunnerAccess `json:"runnerAccess,omitempty"`
	// Azure is the target's Azure subscription, location and resource group (stacks with azure targets: ocm-client).
	Azure *AzureTarget `json:"azure,omitempty"`
}

// Cluster is the EKS cluster the base stack creates.
type Cluster struct {
	// KubernetesVersion is the EKS minor version, quoted, such as "1.29". Upgrades go one minor at a time.
	KubernetesVersion string `json:"kubernetesVersion"`
	// OS of the managed node groups.
	OS OS `json:"os"`
	// CustomImage names the Image Builder AMI when os is CUSTOM.
	CustomImage *CustomImage `json:"customImage,omitempty"`
	// NodeGroups are the EKS managed node groups.
	NodeGroups []NodeGroup `json:"nodeGroups" jsonschema:"minItems=1"`
	// Vars are extra base-stack Terraform variables, passed through unchanged.
	Vars map[string]any `json:"vars,omitempty"`
	// Secrets are base-stack Terraform variables read from a Secret key, by variable name (rendered as the var's valueFrom.secretKeyRef); a secret-looking var may not be set inline in vars.
	Secrets map[string]SecretKeyRef `json:"secrets,omitempty"`
}

// SecretKeyRef names one key of a Kubernetes Secret in the objects'
// namespace, which tf-controller reads a Terraform variable from.
type SecretKeyRef struct {
	// Name of the Secret.
	Name string `json:"name" jsonschema:"maxLength=253"`
	// Key in the Secret's data.
	Key string `json:"key"`
}

// CustomImage is an EC2 Image Builder output: the AMI itself or the
// pipeline whose latest image is used. Both are regional: with targets in
// several regions, name each region's image under regions.
type CustomImage struct {
	// AMIID of the image, such as ami-0123456789abcdef0; only when every target is in one region.
	AMIID string `json:"amiId,omitempty"`
	// PipelineARN of the EC2 Image Builder pipeline, in the targets' region; only when every target is in one region.
	PipelineARN string `json:"pipelineArn,omitempty"`
	// Regions names the image of each target region: amiId or pipelineArn, by region name such as eu-west-1.
	Regions map[string]RegionalImage `json:"regions,omitempty"`
}

// RegionalImage is one region's custom image.
type RegionalImage struct {
	// AMIID of the image in this region.
	AMIID string `json:"amiId,omitempty"`
	// PipelineARN of the EC2 Image Builder pipeline in this region.
	PipelineARN string `json:"pipelineArn,omitempty"`
}

// NodeGroup is one EKS managed node group.
type NodeGroup struct {
	// Name of the node group, a DNS-1123 label.
	Name string `json:"name" jsonschema:"maxLength=40"`
	// InstanceTypes such as m6i.large; arm64 types (m7g, c7g, ...) get arm64 AMIs.
	InstanceTypes []string `json:"instanceTypes" jsonschema:"minItems=1"`
	// MinSize is the smallest number of nodes.
	MinSize int `json:"minSize" jsonschema:"minimum=0"`
	// MaxSize is the largest number of nodes.
	MaxSize int `json:"maxSize" jsonschema:"minimum=1"`
	// DesiredSize is the initial number of nodes (default minSize).
	DesiredSize *int `json:"desiredSize,omitempty" jsonschema:"minimum=0"`
	// CapacityType is ON_DEMAND (default) or SPOT.
	CapacityType CapacityType `json:"capacityType,omitempty"`
	// DiskSize is the root volume size in GiB (default 50).
	DiskSize int `json:"diskSize,omitempty" jsonschema:"minimum=20"`
	// Labels are Kubernetes node labels.
	Labels map[string]string `json:"labels,omitempty"`
}

// Component enables one optional module of the stack's catalogue.
type Component struct {
	// Enabled turns the component off when false, for example to drop one enabled in defaults.yaml (default true).
	Enabled *bool `json:"enabled,omitempty"`
	// Version of the component's software where the module takes one (for example Karpenter's chart version).
	Version string `json:"version,omitempty"`
	// Vars override the catalogue's default Terraform variables of the module.
	Vars map[string]any `json:"vars,omitempty"`
	// Secrets are the module's Terraform variables read from a Secret key, by variable name (rendered as the var's valueFrom.secretKeyRef); a secret-looking var may not be set inline in vars.
	Secrets map[string]SecretKeyRef `json:"secrets,omitempty"`
	// Migration records that a breaking upgrade's manual steps are done (Karpenter: the CRD clean-up), naming the step: {from: "0.37", to: "1.0"}.
	Migration *MigrationStep `json:"migration,omitempty"`
	// Rollback records that the version is deliberately below the one before ({to: the version, reason}).
	Rollback *Rollback `json:"rollback,omitempty"`
}

// On reports whether the component is enabled.
func (c Component) On() bool {
	return c.Enabled == nil || *c.Enabled
}

// TerraformSettings are tf-controller settings shared by every Terraform
// object of the environment.
type TerraformSettings struct {
	// Interval between reconciliations (tier default).
	Interval *Duration `json:"interval,omitempty"`
	// RetryInterval after a failure (tier default).
	RetryInterval *Duration `json:"retryInterval,omitempty"`
	// ApprovePlan is auto or manual (prod default: manual).
	ApprovePlan ApprovePlan `json:"approvePlan,omitempty"`
	// DestroyResourcesOnDeletion destroys the infrastructure when the object is deleted (default false).
	DestroyResourcesOnDeletion *bool `json:"destroyResourcesOnDeletion,omitempty"`
	// ServiceAccountName of the tf-runner pods (default tf-runner).
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// AssumeRole is the IAM role name assumed in each target account (default flux-terraform).
	AssumeRole string `json:"assumeRole,omitempty"`
	// RunnerImage overrides the tf-runner image.
	RunnerImage string `json:"runnerImage,omitempty"`
	// Backend is the Terraform state backend (tier default: kubernetes in dev, s3 in uat and prod).
	Backend *Backend `json:"backend,omitempty"`
	// RunnerPod sets the tf-runner pods' annotations (IRSA), labels, resources, node selector and tolerations.
	RunnerPod *RunnerPod `json:"runnerPod,omitempty"`
	// TFState handles a stuck state lock (forceUnlock no, yes or auto).
	TFState *TFState `json:"tfstate,omitempty"`
	// DriftDetection plans periodically to find drift (default true; false renders disableDriftDetection).
	DriftDetection *bool `json:"driftDetection,omitempty"`
	// AlwaysCleanupRunnerPod deletes the runner pod after each run (tf-controller's default true).
	AlwaysCleanupRunnerPod *bool `json:"alwaysCleanupRunnerPod,omitempty"`
	// RunnerAccess is how the tf-runner pods in the management cluster reach each cluster's API endpoint: private or public (targets[].runnerAccess overrides it).
	RunnerAccess RunnerAccess `json:"runnerAccess,omitempty"`
	// RunnerCIDRs are the addresses the runners reach public endpoints from (the management cluster's NAT egress), required with runnerAccess public.
	RunnerCIDRs []string `json:"runnerCidrs,omitempty"`
}

// Waiver silences one policy rule on this environment's objects until an
// expiry date. An expired waiver, or one without a reason, is a finding.
type Waiver struct {
	// Rule is the policy rule id, such as prod-os-bottlerocket.
	Rule string `json:"rule"`
	// Reason explains why the finding is accepted for now.
	Reason string `json:"reason"`
	// Expires is the last day the waiver holds, YYYY-MM-DD.
	Expires string `json:"expires" jsonschema:"format=date"`
	// Target limits the waiver to one target's objects (default all).
	Target string `json:"target,omitempty"`
	// Component limits the waiver to one component's Terraform objects (use "base" for the base stack; default all).
	Component string `json:"component,omitempty"`
}

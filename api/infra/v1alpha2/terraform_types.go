package v1alpha2

import (
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Terraform is a tf-controller resource: a Terraform/OpenTofu root module taken from a
// Flux source, planned and (optionally) applied by a runner pod on an interval.
type Terraform struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired state: where the module comes from and how to run it.
	Spec TerraformSpec `json:"spec,omitempty"`
	// Status is the state observed by the controller (plans, outputs, conditions).
	Status TerraformStatus `json:"status,omitempty"`
}

// TerraformSpec is the desired state of a Terraform resource.
type TerraformSpec struct {
	// ApprovePlan approves a plan: "auto" approves every plan, "disable" never
	// applies, any other value is the ID of the one pending plan to apply
	// (for example "plan-main-b8e362c206"). Empty means plan only, wait for approval.
	ApprovePlan ApprovePlan `json:"approvePlan,omitempty"`

	// Destroy makes the controller produce (and, once approved, apply) a destroy plan.
	Destroy bool `json:"destroy,omitempty"`

	// BackendConfig configures the Terraform state backend (by default the
	// Kubernetes backend, state kept in a Secret).
	BackendConfig *BackendConfigSpec `json:"backendConfig,omitempty"`

	// BackendConfigsFrom lists Secrets/ConfigMaps whose keys are passed as
	// backend configuration (-backend-config) to terraform init.
	BackendConfigsFrom []BackendConfigsReference `json:"backendConfigsFrom,omitempty"`

	// Cloud configures a Terraform Cloud / Enterprise "cloud" block.
	Cloud *CloudSpec `json:"cloud,omitempty"`

	// Workspace is the Terraform workspace to select (CRD default "default").
	Workspace string `json:"workspace,omitempty"`

	// Vars are input variables set inline or from a Secret/ConfigMap key.
	Vars []Variable `json:"vars,omitempty"`

	// VarsFrom lists Secrets/ConfigMaps whose keys become input variables; later
	// entries override earlier ones.
	VarsFrom []VarsReference `json:"varsFrom,omitempty"`

	// Values is an arbitrary object passed as the Terraform variable "values".
	Values *apiextensionsv1.JSON `json:"values,omitempty"`

	// TfVarsFiles are .tfvars files (relative to the source) loaded like -var-file.
	TfVarsFiles []string `json:"tfVarsFiles,omitempty"`

	// FileMappings write Secret keys as files into the runner's home or workspace
	// directory before terraform init.
	FileMappings []FileMapping `json:"fileMappings,omitempty"`

	// Interval is how often the resource is reconciled (plan and drift detection).
	Interval metav1.Duration `json:"interval"`

	// RetryInterval is the delay before retrying a failed reconciliation.
	RetryInterval *metav1.Duration `json:"retryInterval,omitempty"`

	// RetryStrategy selects fixed (StaticInterval) or exponential retry delays
	// (CRD default StaticInterval).
	RetryStrategy RetryStrategy `json:"retryStrategy,omitempty"`

	// MaxRetryInterval caps the delay of the ExponentialBackoff retry strategy.
	MaxRetryInterval *metav1.Duration `json:"maxRetryInterval,omitempty"`

	// Path is the directory of the root module inside the source artifact
	// (empty means the artifact root).
	Path string `json:"path,omitempty"`

	// SourceRef points at the Flux source (GitRepository, Bucket or OCIRepository)
	// providing the Terraform files.
	SourceRef CrossNamespaceSourceReference `json:"sourceRef"`

	// Suspend stops further reconciliations (a running one completes).
	Suspend bool `json:"suspend,omitempty"`

	// Force re-plans and re-applies unconditionally (CRD default false).
	Force bool `json:"force,omitempty"`

	// ReadInputsFromSecrets reads the data of Secrets (usually another Terraform's
	// outputs) into variables named by "as".
	ReadInputsFromSecrets []ReadInputsFromSecretSpec `json:"readInputsFromSecrets,omitempty"`

	// WriteOutputsToSecret writes the Terraform outputs into a Secret.
	WriteOutputsToSecret *WriteOutputsToSecretSpec `json:"writeOutputsToSecret,omitempty"`

	// DisableDriftDetection turns off the periodic drift-detection plan
	// (CRD default false).
	DisableDriftDetection bool `json:"disableDriftDetection,omitempty"`

	// CliConfigSecretRef names a Secret holding a Terraform CLI configuration file.
	CliConfigSecretRef *corev1.SecretReference `json:"cliConfigSecretRef,omitempty"`

	// HealthChecks are TCP/HTTP probes run after a successful apply.
	HealthChecks []HealthCheck `json:"healthChecks,omitempty"`

	// DestroyResourcesOnDeletion destroys the managed infrastructure when the
	// resource is deleted (CRD default false).
	DestroyResourcesOnDeletion bool `json:"destroyResourcesOnDeletion,omitempty"`

	// ServiceAccountName is the ServiceAccount of the runner pod
	// (CRD default "tf-runner").
	ServiceAccountName string `json:"serviceAccountName,omitempty"`

	// AlwaysCleanupRunnerPod deletes the runner pod after every reconciliation;
	// nil means the CRD default, true.
	AlwaysCleanupRunnerPod *bool `json:"alwaysCleanupRunnerPod,omitempty"`

	// RunnerTerminationGracePeriodSeconds is the runner pod's termination grace
	// period; nil means the CRD default, 30.
	RunnerTerminationGracePeriodSeconds *int64 `json:"runnerTerminationGracePeriodSeconds,omitempty"`

	// UpgradeOnInit runs terraform init with -upgrade; nil means the CRD default,
	// true. (Upstream declares a plain bool here, which cannot express false once
	// serialised with omitempty.)
	UpgradeOnInit *bool `json:"upgradeOnInit,omitempty"`

	// RefreshBeforeApply refreshes the state before the apply step
	// (CRD default false).
	RefreshBeforeApply bool `json:"refreshBeforeApply,omitempty"`

	// RunnerPodTemplate customises the runner pod's metadata and spec.
	RunnerPodTemplate RunnerPodTemplate `json:"runnerPodTemplate,omitempty,omitzero"`

	// EnableInventory records the applied Terraform resources in status.inventory.
	EnableInventory bool `json:"enableInventory,omitempty"`

	// TFState controls Terraform state locking behaviour (force-unlock, lock timeout).
	TFState *TFStateSpec `json:"tfstate,omitempty"`

	// Targets restricts plan/apply to these resource addresses (-target).
	Targets []string `json:"targets,omitempty"`

	// Parallelism limits concurrent operations of terraform apply; 0 means the
	// Terraform default.
	Parallelism int32 `json:"parallelism,omitempty"`

	// StoreReadablePlan also stores the plan as JSON or human-readable text
	// (CRD default "none").
	StoreReadablePlan StoreReadablePlan `json:"storeReadablePlan,omitempty"`

	// Plan holds options applying only to the plan phase.
	Plan *PlanSpec `json:"plan,omitempty"`

	// Webhooks are external checks called at a stage of the reconciliation.
	Webhooks []Webhook `json:"webhooks,omitempty"`

	// DependsOn lists Terraform resources that must be ready before this one runs.
	DependsOn []NamespacedObjectReference `json:"dependsOn,omitempty"`

	// Enterprise is an opaque placeholder for enterprise-edition configuration.
	Enterprise *apiextensionsv1.JSON `json:"enterprise,omitempty"`

	// PlanOnly stops every reconciliation after the plan phase.
	PlanOnly bool `json:"planOnly,omitempty"`

	// BreakTheGlass pauses reconciliation and allows an interactive shell in the
	// runner for emergencies.
	BreakTheGlass bool `json:"breakTheGlass,omitempty"`

	// BranchPlanner configures the branch planner (plans for pull requests).
	BranchPlanner *BranchPlanner `json:"branchPlanner,omitempty"`

	// Remediation says what to do when reconciliation fails (retries).
	Remediation *Remediation `json:"remediation,omitempty"`
}

// ApprovePlan is the value of spec.approvePlan: one of the special values below,
// a plan ID to approve, or empty.
type ApprovePlan string

const (
	// ApprovePlanAuto approves (applies) every plan automatically.
	ApprovePlanAuto ApprovePlan = "auto"
	// ApprovePlanDisable plans but never applies.
	ApprovePlanDisable ApprovePlan = "disable"
)

// BranchPlanner configures tf-controller's branch planner.
type BranchPlanner struct {
	// EnablePathScope only plans a pull request when it changes files under
	// spec.path.
	EnablePathScope bool `json:"enablePathScope,omitempty"`
}

// Remediation configures what happens after failed reconciliations.
type Remediation struct {
	// Retries is how many failed attempts to retry before giving up; 0 (the
	// default) means none, a negative value means unlimited.
	Retries int64 `json:"retries,omitempty"`
}

// CloudSpec configures a Terraform Cloud / Enterprise "cloud" block.
type CloudSpec struct {
	// Organization is the Terraform Cloud organization.
	Organization string `json:"organization"`
	// Workspaces selects the Terraform Cloud workspace(s).
	Workspaces *CloudWorkspacesSpec `json:"workspaces"`
	// Hostname is the Terraform Cloud/Enterprise host (default app.terraform.io).
	Hostname string `json:"hostname,omitempty"`
	// Token is the API token for Terraform Cloud.
	Token string `json:"token,omitempty"`
}

// CloudWorkspacesSpec selects Terraform Cloud workspaces by name or tags.
type CloudWorkspacesSpec struct {
	// Name is a single workspace name.
	Name string `json:"name,omitempty"`
	// Tags selects all workspaces carrying these tags.
	Tags []string `json:"tags,omitempty"`
}

// Webhook is an external check called during reconciliation; its JSON answer is
// evaluated with TestExpression.
type Webhook struct {
	// Stage is when the webhook is called (only post-planning exists).
	Stage WebhookStage `json:"stage"`
	// Enabled switches the webhook on or off; nil means the CRD default, true.
	Enabled *bool `json:"enabled,omitempty"`
	// URL is the endpoint called with the payload.
	URL string `json:"url"`
	// PayloadType is what is sent (CRD default SpecAndPlan; the CRD does not
	// restrict the value).
	PayloadType WebhookPayloadType `json:"payloadType,omitempty"`
	// ErrorMessageTemplate renders the error message when the test fails.
	ErrorMessageTemplate string `json:"errorMessageTemplate,omitempty"`
	// TestExpression is a template evaluated against the webhook's response;
	// it must yield true for the reconciliation to continue.
	TestExpression string `json:"testExpression"`
}

// WebhookStage is the stage of the reconciliation at which a webhook runs.
type WebhookStage string

const (
	// WebhookStagePostPlanning calls the webhook after a plan has been made.
	WebhookStagePostPlanning WebhookStage = "post-planning"
)

// WebhookPayloadType is what a webhook receives. Upstream documents these values
// but the CRD does not enforce them.
type WebhookPayloadType string

const (
	// WebhookPayloadSpecAndPlan sends the spec and the plan (the CRD default).
	WebhookPayloadSpecAndPlan WebhookPayloadType = "SpecAndPlan"
	// WebhookPayloadSpecOnly sends only the spec.
	WebhookPayloadSpecOnly WebhookPayloadType = "SpecOnly"
	// WebhookPayloadPlanOnly sends only the plan.
	WebhookPayloadPlanOnly WebhookPayloadType = "PlanOnly"
)

// PlanStatus records the plans the controller has made and applied.
type PlanStatus struct {
	// LastApplied is the ID of the last applied plan.
	LastApplied string `json:"lastApplied,omitempty"`
	// Pending is the ID of the plan waiting for approval.
	Pending string `json:"pending,omitempty"`
	// IsDestroyPlan tells whether the pending plan destroys resources.
	IsDestroyPlan bool `json:"isDestroyPlan,omitempty"`
	// IsDriftDetectionPlan tells whether the pending plan came from drift detection.
	IsDriftDetectionPlan bool `json:"isDriftDetectionPlan,omitempty"`
}

// ReconcileRequestStatus mirrors fluxcd/pkg/apis/meta.ReconcileRequestStatus: it is
// inlined into statuses to acknowledge manual reconcile requests.
type ReconcileRequestStatus struct {
	// LastHandledReconcileAt is the value of the reconcile.fluxcd.io/requestedAt
	// annotation last handled by the controller.
	LastHandledReconcileAt string `json:"lastHandledReconcileAt,omitempty"`
}

// TerraformStatus is the observed state of a Terraform resource.
type TerraformStatus struct {
	ReconcileRequestStatus `json:",inline"`

	// ObservedGeneration is the last generation the controller reconciled.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are the standard Kubernetes conditions (Ready, Plan, Apply, ...).
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// LastAppliedRevision is the source revision last applied successfully.
	LastAppliedRevision string `json:"lastAppliedRevision,omitempty"`
	// LastAttemptedRevision is the source revision of the last attempt.
	LastAttemptedRevision string `json:"lastAttemptedRevision,omitempty"`
	// LastPlannedRevision is the source revision of the last plan.
	LastPlannedRevision string `json:"lastPlannedRevision,omitempty"`
	// LastPlannedGeneration is the resource generation the last plan was made
	// from (a stale pending plan has an older one).
	LastPlannedGeneration int64 `json:"lastPlannedGeneration,omitempty"`
	// LastPlanAt is when the last plan ran.
	LastPlanAt *metav1.Time `json:"lastPlanAt,omitempty"`
	// LastSuccessfulReconcileAt is when the last successful reconciliation ended.
	LastSuccessfulReconcileAt *metav1.Time `json:"lastSuccessfulReconcileAt,omitempty"`
	// LastDriftDetectedAt is when drift was last detected.
	LastDriftDetectedAt *metav1.Time `json:"lastDriftDetectedAt,omitempty"`
	// LastAppliedByDriftDetectionAt is when a drift-detection plan was last applied.
	LastAppliedByDriftDetectionAt *metav1.Time `json:"lastAppliedByDriftDetectionAt,omitempty"`
	// AvailableOutputs are the names of the module's outputs.
	AvailableOutputs []string `json:"availableOutputs,omitempty"`
	// Plan records pending and applied plans.
	Plan PlanStatus `json:"plan,omitempty,omitzero"`
	// Inventory lists the applied Terraform resources (with spec.enableInventory).
	Inventory *ResourceInventory `json:"inventory,omitempty"`
	// Lock records the Terraform state lock holder, if any.
	Lock LockStatus `json:"lock,omitempty,omitzero"`
	// ReconciliationFailures counts failed reconciliations since the last success
	// or spec change (drives ExponentialBackoff).
	ReconciliationFailures int64 `json:"reconciliationFailures,omitempty"`
}

// LockStatus records the Terraform state lock.
type LockStatus struct {
	// LastApplied is the ID of the last lock force-unlocked by the controller.
	LastApplied string `json:"lastApplied,omitempty"`
	// Pending is the ID of the current lock holder, for use with tfstate.lockIdentifier.
	Pending string `json:"pending,omitempty"`
}

// ResourceInventory lists the Terraform resources managed by the resource.
type ResourceInventory struct {
	// Entries are the managed Terraform resources.
	Entries []ResourceRef `json:"entries"`
}

// ResourceRef identifies one Terraform-managed resource.
type ResourceRef struct {
	// Name is the Terraform resource name.
	Name string `json:"n"`
	// Type is the Terraform resource type.
	Type string `json:"t"`
	// Identifier is the provider's ID of the resource (for example an AWS ARN).
	Identifier string `json:"id"`
}

// BackendConfigSpec configures Terraform's state backend.
type BackendConfigSpec struct {
	// Disable turns off the backend configuration written by the controller.
	Disable bool `json:"disable,omitempty"`
	// SecretSuffix is the suffix of the state Secret of the Kubernetes backend.
	SecretSuffix string `json:"secretSuffix,omitempty"`
	// InClusterConfig makes the Kubernetes backend use the in-cluster config.
	InClusterConfig bool `json:"inClusterConfig,omitempty"`
	// CustomConfiguration is a verbatim backend block replacing the Kubernetes one.
	CustomConfiguration string `json:"customConfiguration,omitempty"`
	// ConfigPath is the kubeconfig path for the Kubernetes backend.
	ConfigPath string `json:"configPath,omitempty"`
	// Labels are added to the state Secret of the Kubernetes backend.
	Labels map[string]string `json:"labels,omitempty"`
}

// TFStateSpec controls handling of the Terraform state lock.
type TFStateSpec struct {
	// ForceUnlock force-unlocks a stuck state lock (CRD default "no").
	ForceUnlock ForceUnlock `json:"forceUnlock,omitempty"`
	// LockIdentifier is the lock ID to force-unlock with ForceUnlock yes or auto.
	LockIdentifier string `json:"lockIdentifier,omitempty"`
	// LockTimeout is how long Terraform retries acquiring the lock; nil means the
	// CRD default, 0s (upstream uses a non-pointer Duration here).
	LockTimeout *metav1.Duration `json:"lockTimeout,omitempty"`
}

// PlanSpec holds options that affect only the plan phase.
type PlanSpec struct {
	// Lock controls whether terraform plan takes the state lock; nil keeps
	// Terraform's default (locking), false runs plan with -lock=false.
	Lock *bool `json:"lock,omitempty"`
}

// ForceUnlock is the value of spec.tfstate.forceUnlock.
type ForceUnlock string

const (
	// ForceUnlockYes force-unlocks once using tfstate.lockIdentifier.
	ForceUnlockYes ForceUnlock = "yes"
	// ForceUnlockNo never force-unlocks (the CRD default).
	ForceUnlockNo ForceUnlock = "no"
	// ForceUnlockAuto force-unlocks automatically whenever a lock is found.
	ForceUnlockAuto ForceUnlock = "auto"
)

// RetryStrategy is how the delay between retries of failed reconciliations grows.
type RetryStrategy string

const (
	// RetryStrategyStaticInterval always waits spec.retryInterval (the CRD default).
	RetryStrategyStaticInterval RetryStrategy = "StaticInterval"
	// RetryStrategyExponentialBackoff waits 2^failures * retryInterval, capped by
	// spec.maxRetryInterval.
	RetryStrategyExponentialBackoff RetryStrategy = "ExponentialBackoff"
)

// StoreReadablePlan is the value of spec.storeReadablePlan.
type StoreReadablePlan string

const (
	// StoreReadablePlanNone stores only the binary plan (the CRD default).
	StoreReadablePlanNone StoreReadablePlan = "none"
	// StoreReadablePlanJSON also stores the plan as JSON in a ConfigMap/Secret.
	StoreReadablePlanJSON StoreReadablePlan = "json"
	// StoreReadablePlanHuman also stores the plan as human-readable text.
	StoreReadablePlanHuman StoreReadablePlan = "human"
)

// ReadInputsFromSecretSpec reads a Secret's data into an input variable.
type ReadInputsFromSecretSpec struct {
	// Name is the Secret to read.
	Name string `json:"name"`
	// As is the name of the variable receiving the Secret's data.
	As string `json:"as"`
}

// WriteOutputsToSecretSpec says where and which Terraform outputs are written.
type WriteOutputsToSecretSpec struct {
	// Name is the Secret to write.
	Name string `json:"name"`
	// Labels are added to the written Secret.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations are added to the written Secret.
	Annotations map[string]string `json:"annotations,omitempty"`
	// Outputs selects the outputs to write ("name" or "name:key"); empty means all.
	Outputs []string `json:"outputs,omitempty"`
}

// Variable is one Terraform input variable.
type Variable struct {
	// Name is the Terraform variable name.
	Name string `json:"name"`
	// Value is the variable's value, any JSON value.
	Value *apiextensionsv1.JSON `json:"value,omitempty"`
	// ValueFrom takes the value from a Secret/ConfigMap key or elsewhere, like a
	// container environment variable.
	ValueFrom *corev1.EnvVarSource `json:"valueFrom,omitempty"`
}

// NamespacedObjectReference mirrors fluxcd/pkg/apis/meta.NamespacedObjectReference:
// a reference to an object of an implied kind, by name and optional namespace.
type NamespacedObjectReference struct {
	// Name of the referent.
	Name string `json:"name"`
	// Namespace of the referent; empty means the referrer's namespace.
	Namespace string `json:"namespace,omitempty"`
}

// SecretKeyReference mirrors fluxcd/pkg/apis/meta.SecretKeyReference: a key of a
// Secret in the referrer's namespace.
type SecretKeyReference struct {
	// Name of the Secret.
	Name string `json:"name"`
	// Key in the Secret's data.
	Key string `json:"key,omitempty"`
}

// CrossNamespaceSourceReference points at a Flux source object, possibly in
// another namespace.
type CrossNamespaceSourceReference struct {
	// APIVersion of the source.
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the source.
	Kind SourceKind `json:"kind"`
	// Name of the source.
	Name string `json:"name"`
	// Namespace of the source; empty means the Terraform's namespace.
	Namespace string `json:"namespace,omitempty"`
}

// SourceKind is a kind of Flux source a Terraform can read its module from.
type SourceKind string

const (
	// SourceKindGitRepository is a Flux GitRepository source.
	SourceKindGitRepository SourceKind = "GitRepository"
	// SourceKindBucket is a Flux Bucket source.
	SourceKindBucket SourceKind = "Bucket"
	// SourceKindOCIRepository is a Flux OCIRepository source.
	SourceKindOCIRepository SourceKind = "OCIRepository"
)

// FileMapping writes one Secret key to a file in the runner.
type FileMapping struct {
	// SecretRef is the Secret (and key) holding the file content.
	SecretRef SecretKeyReference `json:"secretRef"`
	// Location is the base directory: the user's home or the Terraform workspace.
	Location FileMappingLocation `json:"location"`
	// Path of the file relative to Location.
	Path string `json:"path"`
}

// FileMappingLocation is the base directory of a file mapping.
type FileMappingLocation string

const (
	// FileMappingLocationHome is the runner user's home directory.
	FileMappingLocationHome FileMappingLocation = "home"
	// FileMappingLocationWorkspace is the Terraform working directory.
	FileMappingLocationWorkspace FileMappingLocation = "workspace"
)

// ReferenceKind is the kind of object varsFrom and backendConfigsFrom read.
type ReferenceKind string

const (
	// ReferenceKindSecret reads a Secret.
	ReferenceKindSecret ReferenceKind = "Secret"
	// ReferenceKindConfigMap reads a ConfigMap.
	ReferenceKindConfigMap ReferenceKind = "ConfigMap"
)

// BackendConfigsReference passes keys of a Secret/ConfigMap as backend configuration.
type BackendConfigsReference struct {
	// Kind of the referent.
	Kind ReferenceKind `json:"kind"`
	// Name of the referent, in the Terraform's namespace.
	Name string `json:"name"`
	// Keys selects the data keys to use; empty means all.
	Keys []string `json:"keys,omitempty"`
	// Optional ignores a missing referent (other errors still fail).
	Optional bool `json:"optional,omitempty"`
}

// VarsReference turns keys of a Secret/ConfigMap into input variables.
type VarsReference struct {
	// Kind of the referent.
	Kind ReferenceKind `json:"kind"`
	// Name of the referent, in the Terraform's namespace.
	Name string `json:"name"`
	// VarsKeys selects the data keys ("key" or "key:varName"); empty means all.
	VarsKeys []string `json:"varsKeys,omitempty"`
	// Optional ignores a missing referent (other errors still fail).
	Optional bool `json:"optional,omitempty"`
}

// HealthCheck is a probe run after a successful apply.
type HealthCheck struct {
	// Name of the check.
	Name string `json:"name"`
	// Type of the check: tcp needs Address, http needs URL.
	Type HealthCheckType `json:"type"`
	// URL probed by an http check; may use Go templates over the outputs.
	URL string `json:"url,omitempty"`
	// Address (host:port) probed by a tcp check; may use Go templates over the outputs.
	Address string `json:"address,omitempty"`
	// Timeout of the probe; nil means the CRD default, 20s.
	Timeout *metav1.Duration `json:"timeout,omitempty"`
}

// HealthCheckType is the kind of probe of a health check.
type HealthCheckType string

const (
	// HealthCheckTypeTCP opens a TCP connection to Address.
	HealthCheckTypeTCP HealthCheckType = "tcp"
	// HealthCheckTypeHTTP sends an HTTP GET to URL.
	HealthCheckTypeHTTP HealthCheckType = "http"
)

// RunnerPodTemplate customises the runner pod.
type RunnerPodTemplate struct {
	// Metadata adds labels and annotations to the runner pod.
	Metadata RunnerPodMetadata `json:"metadata,omitempty,omitzero"`
	// Spec overrides parts of the runner pod's spec.
	Spec RunnerPodSpec `json:"spec,omitempty,omitzero"`
}

// RunnerPodMetadata is the metadata added to the runner pod.
type RunnerPodMetadata struct {
	// Labels added to the runner pod.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations added to the runner pod.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// RunnerPodSpec holds the runner pod settings tf-controller lets users override.
type RunnerPodSpec struct {
	// Image replaces the default runner image.
	Image string `json:"image,omitempty"`
	// EnvFrom populates the runner container's environment from Secrets/ConfigMaps.
	EnvFrom []corev1.EnvFromSource `json:"envFrom,omitempty"`
	// Env sets environment variables of the runner container.
	Env []corev1.EnvVar `json:"env,omitempty"`
	// NodeSelector constrains the nodes the runner pod may run on.
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// Affinity sets the runner pod's scheduling affinity.
	Affinity *corev1.Affinity `json:"affinity,omitempty"`
	// Tolerations of the runner pod.
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
	// VolumeMounts of the runner container.
	VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`
	// Volumes of the runner pod.
	Volumes []corev1.Volume `json:"volumes,omitempty"`
	// InitContainers run before the runner container.
	InitContainers []corev1.Container `json:"initContainers,omitempty"`
	// HostAliases are /etc/hosts entries of the runner pod.
	HostAliases []corev1.HostAlias `json:"hostAliases,omitempty"`
	// PriorityClassName of the runner pod.
	PriorityClassName string `json:"priorityClassName,omitempty"`
	// SecurityContext of the runner container.
	SecurityContext *corev1.SecurityContext `json:"securityContext,omitempty"`
	// Resources of the runner container.
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
}

// Package v1alpha2 holds fluxtf's own Go types for the tf-controller (tofu-controller)
// Terraform custom resource, API group infra.contrib.fluxcd.io, version v1alpha2.
//
// The upstream Go API module is not available from the module proxy, so these types
// mirror upstream's api/v1alpha2 field for field (JSON names, optionality and Go types),
// as checked against the upstream CRD by this package's tests. They carry no DeepCopy
// methods and are not registered with any runtime.Scheme: fluxtf only encodes, decodes
// and validates manifests.
//
// Deliberate differences from upstream's Go types (the JSON wire format is identical):
//   - spec.upgradeOnInit and spec.tfstate.lockTimeout are pointers so that "unset" is
//     distinguishable from false / 0s and so that omitempty actually omits them;
//   - a few optional fields that upstream tags without omitempty (backendConfig.disable,
//     cloud.workspaces.name, branchPlanner.enablePathScope) carry omitempty, and the
//     required webhooks[].testExpression does not;
//   - enum-valued strings use named string types with constants;
//   - dependsOn, fileMappings[].secretRef and the status reconcile-request field use
//     local copies of the fluxcd/pkg/apis/meta types.
package v1alpha2

import "k8s.io/apimachinery/pkg/runtime/schema"

const (
	// Group is the API group of the Terraform resource.
	Group = "infra.contrib.fluxcd.io"
	// Version is the API version these types describe.
	Version = "v1alpha2"
	// APIVersion is the apiVersion field value of a v1alpha2 Terraform manifest.
	APIVersion = Group + "/" + Version
	// DeprecatedAPIVersion is the apiVersion of the deprecated (but still served)
	// v1alpha1 Terraform API, whose schema is a subset of v1alpha2's.
	DeprecatedAPIVersion = Group + "/v1alpha1"
	// TerraformKind is the kind field value of a Terraform manifest.
	TerraformKind = "Terraform"
)

// GroupVersion is Group and Version as a schema.GroupVersion.
var GroupVersion = schema.GroupVersion{Group: Group, Version: Version}

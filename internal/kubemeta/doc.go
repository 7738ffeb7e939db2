// Package kubemeta checks what every Kubernetes object carries besides its
// spec: apiVersion and kind, and metadata's name and namespace under the
// API server's rules. The validators of the Terraform types
// (api/infra/v1alpha2), of Flux's GitRepository v1 (internal/sourcecheck)
// and v1beta2 (internal/manifest) share it.
package kubemeta

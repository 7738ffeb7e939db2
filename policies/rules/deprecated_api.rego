# METADATA
# scope: package
# title: Deprecated API versions
# description: >-
#   tf-controller's `infra.contrib.fluxcd.io/v1alpha1` Terraform is
#   superseded by `v1alpha2`, and Flux's `source.toolkit.fluxcd.io/v1beta1`
#   and `v1beta2` source APIs are superseded by `v1`. The old versions are
#   still served but deprecated: they lack the fields added since (such as
#   tf-controller's `remediation`, `retryStrategy` and `tfVarsFiles`), and
#   they are removed in later releases, after which Flux can no longer apply
#   the manifests. The fields fluxtf writes and the policies read are the same
#   in both versions, so moving is a change of `apiVersion` alone.
# custom:
#   id: deprecated-api
#   severity: warn
#   summary: >-
#     `infra.contrib.fluxcd.io/v1alpha1` and
#     `source.toolkit.fluxcd.io/v1beta1`/`v1beta2` are deprecated
#   fix: >-
#     Change `apiVersion` to `infra.contrib.fluxcd.io/v1alpha2` for Terraform and
#     to `source.toolkit.fluxcd.io/v1` for GitRepository (re-render generated
#     manifests).
package fluxtf.rules.deprecated_api

import data.fluxtf.lib

rule_id := "deprecated-api"

replacement := {
	"infra.contrib.fluxcd.io/v1alpha1": "infra.contrib.fluxcd.io/v1alpha2",
	"source.toolkit.fluxcd.io/v1beta1": "source.toolkit.fluxcd.io/v1",
	"source.toolkit.fluxcd.io/v1beta2": "source.toolkit.fluxcd.io/v1",
}

# The distinct apiVersions are looked up first (only string ones can name a
# deprecated version: api_version(o) is "" for the others), then the objects
# of a deprecated one.
_versions := ({x.api | some x in lib.tf_shapes} | {x.api | some x in lib.git_shapes}) | {f.api | some f in lib.other_facts}

deprecated := {v | some v in _versions; replacement[v]}

# [record, apiVersion] of every object.
_objects := array.concat(array.concat([[f.r, f.x.api] | some f in lib.tf_facts], [[f.r, f.x.api] | some f in lib.git_facts]), [[f.r, f.api] | some f in lib.other_facts])

warn contains lib.result(rule_id, r, "apiVersion", msg) if {
	count(deprecated) > 0
	some [r, v] in _objects
	want := replacement[v]
	msg := sprintf(
		"%s uses the deprecated API version %s; change apiVersion to %s",
		[lib.describe(r), v, want],
	)
}

# METADATA
# scope: package
# title: Component versions are pinned releases
# description: >-
#   A component's version (the catalogue's version variable, such as
#   `karpenter_version` or `istio_version`) is an exact release,
#   MAJOR.MINOR.PATCH with an optional `v`, pre-release or build (EKS add-on
#   versions such as `v1.37.0-eksbuild.1`). `latest`, `stable`, ranges
#   (`~1.1`, `>=1.0`), wildcards (`1.x`) and partial versions (`1.1`) move
#   under the cluster on the next plan, so no tier can promote what it ran,
#   and they slip past the version rules (no-downgrade, release-order,
#   component-compatibility, karpenter-no-inplace-upgrade). fluxtf render
#   refuses them in the spec; this rule holds hand-written manifests to the
#   same.
#   Every stack fluxtf renders is checked (the `common` policy family), for
#   the components its catalogue gives a version variable.
# custom:
#   id: component-version-pinned
#   severity: deny
#   summary: >-
#     a component's version variable is an exact release (`1.1.0`,
#     `v1.37.0-eksbuild.1`), not `latest`, a range, a wildcard or a partial
#     version
#   fix: >-
#     Pin the exact release the tier before ran, such as "1.1.0"
#     (`components.<name>.version` in the spec).
package fluxtf.rules.component_version_pinned

import data.fluxtf.lib

rule_id := "component-version-pinned"

# lib.common_tf_versions: the component versions of the common family's
# Terraforms (component_version of each, looked up once for the release rules).
# _unpinned: the distinct versions (lib.common_tf_version_values, each
# judged once) that are not pinned; only their Terraforms are looked up.
_unpinned := {x | some x in lib.common_tf_version_values; not lib.pinned_version(x)}

deny contains lib.result(rule_id, v.f.r, lib.var_field(v.index), msg) if {
	count(_unpinned) > 0
	some v in lib.common_tf_versions
	_unpinned[v.value]
	msg := sprintf(
		"%s sets %s to %s, which is not a pinned release and moves under the cluster; pin an exact version such as \"1.1.0\"",
		[lib.describe(v.f.r), v.var, lib.show(v.value)],
	)
}

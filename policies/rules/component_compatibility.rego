# METADATA
# scope: package
# title: Component versions support the cluster's Kubernetes minor
# description: >-
#   Each catalogue component with a published compatibility matrix
#   (Karpenter, Istio, cert-manager; templates/compatibility/<stack>.yaml,
#   every row with its source URL) lists the Kubernetes minors each of its
#   version lines supports. A component's Terraform whose version (the
#   catalogue's version variable) does not support the `kubernetes_version`
#   of its target's base Terraform is denied, as is a version of such a
#   component that no row covers (an unknown or made-up release). When the
#   cause is a Kubernetes upgrade against the baseline that leaves an
#   installed component unsupported, the finding is on the base Terraform
#   and names the component version to take first. Without a base Terraform
#   of the same target and source in the set, the rule finds nothing.
#   The objects of the `eks` policy family are checked (a stack of that
#   family without a catalogue of its own takes its family's rows).
# custom:
#   id: component-compatibility
#   severity: deny
#   summary: >-
#     a component with compatibility rows
#     (`templates/compatibility/<stack>.yaml`: Karpenter, Istio, cert-manager,
#     each row with its source URL) runs a version whose row supports the
#     Kubernetes minor of its target's base Terraform; a version no row lists
#     is denied; a Kubernetes upgrade against the baseline that leaves an
#     unchanged component unsupported is reported on the base, naming the
#     component version to take first
#   fix: >-
#     Upgrade the component to a version whose row supports the cluster's
#     Kubernetes minor first (the message names it), in its own change, then
#     raise Kubernetes; or keep Kubernetes where the component is supported.
#     A new release missing from the table: add its row, with the URL of the
#     project's matrix, to templates/compatibility/<stack>.yaml.
package fluxtf.rules.component_compatibility

import data.fluxtf.lib

rule_id := "component-compatibility"

compat_file(s) := sprintf("templates/compatibility/%s.yaml", [s])

# _groups: each group of lib.eks_version_k8s (a component's version
# beside the kubernetes_version of a base Terraform of its source and
# target, with the pairs of Terraforms that have them) whose component has
# rows, with the rows and the base's Kubernetes minor: each is judged once,
# and its pairs are read only when it fires.
_groups contains {"s": s, "comp": comp, "value": v, "minor": m, "rows": rows, "pairs": pairs} if {
	some key, pairs in lib.eks_version_k8s
	[s, comp, v, k8s] := key
	rows := lib.catalogue_versions[s][comp].rows
	count(rows) > 0
	m := lib.k8s_minor(k8s)
}

# row(rows, v): the row of the version v: its MAJOR.MINOR line, the one
# with the highest first patch at or below v's.
row(rows, v) := r if {
	p := lib.semver_parse(v)
	line := sprintf("%d.%d", [p.major, p.minor])
	rs := [x | some x in rows; x.line == line; x.patch <= p.patch]
	top := max([x.patch | some x in rs])
	r := [x | some x in rs; x.patch == top][0]
}

# needed(rows, m): the lowest first version whose row supports minor m.
needed(rows, m) := r.from if {
	rs := [x | some x in rows; x.min <= m; m <= x.max]
	r := [x | some x in rs; every y in rs { lib.semver_compare(x.from, y.from) <= 0 }][0]
}

needed_text(rows, m) := sprintf("%s (or a later release that supports Kubernetes 1.%d)", [n, m]) if {
	n := needed(rows, m)
} else := "a release the table does not list yet"

# A version no row covers (e: the component's version entry,
# lib.eks_tf_versions).
deny contains lib.result(rule_id, e.f.r, lib.var_field(e.index), msg) if {
	some g in _groups
	lib.semver_norm(g.value)
	not row(g.rows, g.value)
	some [e, _, _] in g.pairs
	msg := sprintf(
		"%s runs %s %s, which the compatibility table (%s) does not list; pick a listed version (for Kubernetes 1.%d: %s) or add its row with the project's source",
		[lib.describe(e.f.r), g.comp, lib.show(g.value), compat_file(g.s), g.minor, needed_text(g.rows, g.minor)],
	)
}

# _unsupported: [g, its row] of every group whose row does not support
# the cluster's minor (judged once for both findings below).
_unsupported := [[g, r] |
	some g in _groups
	r := row(g.rows, g.value)
	not _supports(r, g.minor)
]

# A version that does not support the cluster's minor, set in this change
# (or without a baseline).
deny contains lib.result(rule_id, e.f.r, lib.var_field(e.index), msg) if {
	some [g, r] in _unsupported
	some [e, base, _] in g.pairs
	not _upgraded(e, base, g.minor)
	msg := sprintf(
		"%s runs %s %s, which supports Kubernetes 1.%d to 1.%d (%s), not the cluster's 1.%d; take %s %s",
		[lib.describe(e.f.r), g.comp, lib.show(g.value), r.min, r.max, r.source, g.minor, g.comp, needed_text(g.rows, g.minor)],
	)
}

# A Kubernetes upgrade that leaves an unchanged component unsupported (on
# the base, at its kubernetes_version var, index i).
deny contains lib.result(rule_id, base.r, lib.var_field(i), msg) if {
	some [g, r] in _unsupported
	some [e, base, i] in g.pairs
	_upgraded(e, base, g.minor)
	msg := sprintf(
		"%s raises Kubernetes to 1.%d, which %s %s does not support (1.%d to 1.%d, %s); upgrade %s to %s first, in its own change",
		[lib.describe(base.r), g.minor, g.comp, lib.show(g.value), r.min, r.max, r.source, g.comp, needed_text(g.rows, g.minor)],
	)
}

_supports(r, m) if {
	r.min <= m
	m <= r.max
}

# _upgraded(e, base, m): the base's minor (m) changed against the baseline
# and the component's version did not.
_upgraded(e, base, m) if {
	btw := lib.baseline_twin(base)
	lib.k8s_minor(lib.fvar(btw, "kubernetes_version").value) != m
	tw := lib.baseline_twin(e.f)
	lib.semver_compare(lib.fvar(tw, e.var).value, e.value) == 0
}

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

# _minors: [source key, target] -> the set of {"minor", "f": the base
# fact, "index"} of the base Terraforms of that source and target (usually
# one; a folder may hold several, such as a hand-written copy beside the
# rendered one, and each is checked). The inner set is one look-up of an
# index OPA builds once (comprehension indexing on sk and tg).
_bases := [{"sk": k.f.src.key, "tg": k.f.x.target, "e": {"minor": k.minor, "f": k.f, "index": k.index}} |
	some k in lib.eks_base_k8s
]

_minors := {[sk, tg]: es |
	some b in _bases
	sk := b.sk
	tg := b.tg
	es := {x.e | some x in _bases; x.sk == sk; x.tg == tg}
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

# _checked: every component Terraform with rows, its version and minor.
# (lib.eks_tf_versions: component_version and version_stack of each
# Terraform, looked up once for the release rules.)
# Only the versions of a component with rows in some catalogue are read
# (_with_rows; the versions of one component are one look-up of an index
# OPA builds once).
_with_rows := {c | some cv in lib.catalogue_versions; some c, x in cv; count(object.get(x, "rows", [])) > 0}

_checked contains c if {
	some comp in _with_rows
	some e in [e | some e in lib.eks_tf_versions; e.f.x.comp == comp]
	f := e.f
	rows := lib.catalogue_versions[e.vstack][f.x.comp].rows
	count(rows) > 0
	some k in _minors[[f.src.key, f.x.target]]
	c := {"f": f, "s": e.vstack, "rows": rows, "v": {"value": e.value, "index": e.index, "var": e.var}, "k": k}
}

# A version no row covers.
deny contains lib.result(rule_id, c.f.r, lib.var_field(c.v.index), msg) if {
	some c in _checked
	lib.semver_norm(c.v.value)
	not row(c.rows, c.v.value)
	msg := sprintf(
		"%s runs %s %s, which the compatibility table (%s) does not list; pick a listed version (for Kubernetes 1.%d: %s) or add its row with the project's source",
		[lib.describe(c.f.r), c.f.x.comp, lib.show(c.v.value), compat_file(c.s), c.k.minor, needed_text(c.rows, c.k.minor)],
	)
}

# _unsupported: [c, its row] of every checked version whose row does not
# support the cluster's minor (judged once for both findings below).
_unsupported := [[c, r] |
	some c in _checked
	r := row(c.rows, c.v.value)
	not _supports(r, c.k.minor)
]

# A version that does not support the cluster's minor, set in this change
# (or without a baseline).
deny contains lib.result(rule_id, c.f.r, lib.var_field(c.v.index), msg) if {
	some [c, r] in _unsupported
	not _upgraded(c)
	msg := sprintf(
		"%s runs %s %s, which supports Kubernetes 1.%d to 1.%d (%s), not the cluster's 1.%d; take %s %s",
		[lib.describe(c.f.r), c.f.x.comp, lib.show(c.v.value), r.min, r.max, r.source, c.k.minor, c.f.x.comp, needed_text(c.rows, c.k.minor)],
	)
}

# A Kubernetes upgrade that leaves an unchanged component unsupported.
deny contains lib.result(rule_id, c.k.f.r, lib.var_field(c.k.index), msg) if {
	some [c, r] in _unsupported
	_upgraded(c)
	msg := sprintf(
		"%s raises Kubernetes to 1.%d, which %s %s does not support (1.%d to 1.%d, %s); upgrade %s to %s first, in its own change",
		[lib.describe(c.k.f.r), c.k.minor, c.f.x.comp, lib.show(c.v.value), r.min, r.max, r.source, c.f.x.comp, needed_text(c.rows, c.k.minor)],
	)
}

_supports(r, m) if {
	r.min <= m
	m <= r.max
}

# _upgraded(c): the base's minor changed against the baseline and the
# component's version did not.
_upgraded(c) if {
	btw := lib.baseline_twin(c.k.f)
	lib.k8s_minor(lib.fvar(btw, "kubernetes_version").value) != c.k.minor
	tw := lib.baseline_twin(c.f)
	lib.semver_compare(lib.fvar(tw, c.v.var).value, c.v.value) == 0
}

# METADATA
# scope: package
# title: Releases and Kubernetes versions promote dev -> uat -> prod
# description: >-
#   Changes reach the jeppesen-eks stack through the `alpha` branch in dev,
#   are integration-tested in UAT on a release tag, and only then reach the
#   production accounts; Kubernetes upgrades follow the same path one minor
#   at a time. Per stack (label `fluxtf.io/stack`, else jeppesen-eks for EKS
#   sources and Terraforms), production's module tag and Kubernetes version
#   must be at or below UAT's, and UAT's at or below dev's (a branch counts as
#   the newest version; a tier absent from the set is skipped over, so prod is
#   then compared with dev). With a baseline, a tier whose version changed
#   must also not pass the version the tier before it ran in the baseline:
#   raising uat and prod to the same new release in one change would put in
#   production a version UAT has never run.
# custom:
#   id: promotion-order
#   severity: deny
#   fix: >-
#     Raise the tag or `kubernetes_version` in the earlier tier first (dev, then
#     uat) and promote it to the next tier in a later change, or keep the later
#     tier at or below the earlier tier's version.
package fluxtf.rules.promotion_order

import data.fluxtf.lib

rule_id := "promotion-order"

# ---------------------------------------------------------------------------
# Versioned objects: one entry per dimension an object carries.

# version("module", r): the module release a GitRepository pins: its tag, or
# a branch (newest of all).
version("module", r) := {"key": k, "label": tag.tag, "field": tag.field} if {
	lib.kind(r.obj) == "GitRepository"
	tag := lib.ref_tag(r.obj)
	k := lib.version_key(tag.tag)
} else := {"key": lib.branch_key, "label": sprintf("branch %s", [ref.branch]), "field": "spec.ref.branch"} if {
	lib.kind(r.obj) == "GitRepository"
	ref := lib.git_ref(r.obj)
	is_string(ref.branch)
	ref.branch != ""
	not lib.ref_set(ref, "commit")
	not lib.ref_set(ref, "semver")
	not lib.ref_set(ref, "name")
	not lib.ref_set(ref, "tag")
}

# version("kubernetes", r): the Kubernetes minor of a base Terraform.
version("kubernetes", r) := {"key": m, "label": sprintf("1.%d", [m]), "field": v.field} if {
	lib.is_base(r.obj)
	v := lib.var(r.obj, "kubernetes_version")
	m := lib.k8s_minor(v.value)
}

dimensions := ["module", "kubernetes"]

entries contains e if {
	some r in lib.records
	t := lib.tier(r.obj)
	some d in dimensions
	v := version(d, r)
	s := lib.stack(r.obj)
	e := object.union(v, {"dim": d, "stack": s, "tier": t, "group": [d, s, t], "id": lib.key(r.obj), "r": r})
}

baseline_entries contains e if {
	some r in lib.baseline_records
	t := lib.tier(r.obj)
	some d in dimensions
	v := version(d, r)
	s := lib.stack(r.obj)
	e := object.union(v, {"dim": d, "stack": s, "tier": t, "group": [d, s, t], "id": lib.key(r.obj), "r": r})
}

# tops: group [dim, stack, tier] -> its newest entry.
_groups := {e.group | some e in entries}

tops := {g: top |
	some g in _groups
	es := [e | some e in entries; e.group == g]
	m := max([e.key | some e in es])
	top := [e | some e in es; e.key == m][0]
}

_baseline_groups := {e.group | some e in baseline_entries}

baseline_tops := {g: top |
	some g in _baseline_groups
	es := [e | some e in baseline_entries; e.group == g]
	m := max([e.key | some e in es])
	top := [e | some e in es; e.key == m][0]
}

# baseline_keys: [dim, object key] -> the versions that object had in the baseline.
_baseline_ids := {[e.dim, e.id] | some e in baseline_entries}

baseline_keys := {i: ks |
	some i in _baseline_ids
	ks := {e.key | some e in baseline_entries; [e.dim, e.id] == i}
}

# upper(e, ts): the newest entry of the nearest earlier tier present in ts.
upper(e, ts) := ts[[e.dim, e.stack, u]] if {
	us := [x | some x in lib.higher_tiers[e.tier]; ts[[e.dim, e.stack, x]]]
	u := us[0]
}

ahead(e) if e.key > upper(e, tops).key

changed(e) if not baseline_keys[[e.dim, e.id]]

changed(e) if not e.key in baseline_keys[[e.dim, e.id]]

# ---------------------------------------------------------------------------

deny contains lib.result(rule_id, e.r, e.field, msg) if {
	some e in entries
	up := upper(e, tops)
	e.key > up.key
	msg := message(e, up)
}

deny contains lib.result(rule_id, e.r, e.field, msg) if {
	lib.has_baseline
	some e in entries
	not ahead(e)
	changed(e)
	up := upper(e, baseline_tops)
	e.key > up.key
	msg := baseline_message(e, up)
}

message(e, up) := sprintf(
	"%s (%s) runs module %s, newer than %s's %s; promote it to %s first or keep %s at or below %s",
	[lib.describe(e.r), e.tier, e.label, up.tier, up.label, up.tier, e.tier, up.label],
) if e.dim == "module"

message(e, up) := sprintf(
	"%s (%s) runs Kubernetes %s, newer than %s's %s; upgrade %s first or keep kubernetes_version at \"%s\"",
	[lib.describe(e.r), e.tier, e.label, up.tier, up.label, up.tier, up.label],
) if e.dim == "kubernetes"

baseline_message(e, up) := sprintf(
	"%s (%s) moves to module %s, which %s has not run yet (%s ran %s before this change); promote it to %s in one change and to %s in a later one",
	[lib.describe(e.r), e.tier, e.label, up.tier, up.tier, up.label, up.tier, e.tier],
) if e.dim == "module"

baseline_message(e, up) := sprintf(
	"%s (%s) moves to Kubernetes %s, which %s has not run yet (%s ran %s before this change); upgrade %s in one change and %s in a later one",
	[lib.describe(e.r), e.tier, e.label, up.tier, up.tier, up.label, up.tier, e.tier],
) if e.dim == "kubernetes"

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
#   The jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), and the module tags of
#   every other stack in the `common` policy family (ocm-client), each
#   stack's tiers compared among themselves; never an application's or
#   another team's.
# custom:
#   id: promotion-order
#   severity: deny
#   summary: >-
#     per stack (the EKS stack, and the module tags of every stack of the
#     `common` family): prod's module tags and Kubernetes versions are at or
#     below uat's, uat's at or below dev's (a branch counts as newest; tags by
#     Semantic Versioning 2.0 precedence, so `v4.3.0-rc.2` is newer than
#     `-rc.1`); with a baseline, a tier whose version changed must not pass
#     the previous tier's baseline version either (it has not run there yet),
#     and a tier whose tag changed moves to exactly a tag the previous tier
#     runs or ran in the baseline (not `v4.1.9` when uat went `v4.1.3` ->
#     `v4.2.0`)
#   fix: >-
#     Raise the tag or `kubernetes_version` in the earlier tier first (dev, then
#     uat) and promote it to the next tier in a later change, or keep the later
#     tier at or below the earlier tier's version.
#   specFix: >-
#     Raise `source.tag` or `cluster.kubernetesVersion` in the earlier tier's
#     spec first (dev, then uat) and promote it to the next tier in a later
#     change.
package fluxtf.rules.promotion_order

import data.fluxtf.lib

rule_id := "promotion-order"

# ---------------------------------------------------------------------------
# Versioned objects: one entry per dimension an object carries.
#
# The rules compare each entry with the newest entry of the nearest earlier
# tier present, per [dimension, stack]. They run in two steps: first the
# newest version of each group [dimension, stack, tier], from the distinct
# [tier, stack, ref] of the GitRepositories and [tier, stack,
# kubernetes_version] of the base Terraforms (few: a version depends on
# the ref or the var alone); only a group newer than its earlier tier's
# newest (or than its baseline's) can hold an entry that fires, and only
# then are its entries, and those of the groups it is compared with, built
# as the messages need them.

# module_version(ref): the module release a GitRepository whose git_ref is
# ref pins: its tag, or a branch (newest of all).
module_version(ref) := _module_version(ref, tag_ranks)

# _module_version(ref, ranks): module_version with the tags ranked by ranks.
_module_version(ref, ranks) := {"key": k, "label": tag.tag, "field": tag.field} if {
	tag := lib.ref_tag_of(ref)
	k := ranks[tag.tag]
} else := {"key": lib.branch_key, "label": sprintf("branch %s", [ref.branch]), "field": "spec.ref.branch"} if {
	is_string(ref.branch)
	ref.branch != ""
	not lib.ref_set(ref, "commit")
	not lib.ref_set(ref, "semver")
	not lib.ref_set(ref, "name")
	not lib.ref_set(ref, "tag")
}

# tag_ranks: tag -> its Semantic Versioning 2.0 rank among every tag of the
# stack's GitRepositories, under check and in the baseline (few), so that
# v4.3.0-rc.2 is above v4.3.0-rc.1 and both below v4.3.0.
tag_ranks := lib.version_ranks(s) if {
	s := lib.fleet_summaries.promotion_order.tags
} else := _local_ranks

_tags := {t.tag |
	some g in array.concat(lib.tiered_git_facts, lib.baseline_tiered_git_facts)
	t := lib.ref_tag_of(g.x.ref)
}

# kubernetes_version(f): the Kubernetes minor of a base Terraform (a fact).
kubernetes_version(f) := {"key": m, "label": sprintf("1.%d", [m]), "field": lib.var_field(v.index)} if {
	v := lib.fvar(f, "kubernetes_version")
	m := lib.k8s_minor(v.value)
}

# _versions(refs, kubes, ranks): [group, key] of every versioned
# GitRepository and base Terraform with a tier and a stack, each pair once,
# from their distinct [tier, stack, ref] (_module_refs) and [tier, stack,
# kubernetes_version] (_kubernetes_vars), the tags ranked by ranks.
_versions(refs, kubes, ranks) := {[["module", s, t], v.key] |
	some [t, s, ref] in refs
	t != ""
	s != ""
	v := _module_version(ref, ranks)
} | {[["kubernetes", s, t], m] |
	some [t, s, k] in kubes
	t != ""
	s != ""
	m := lib.k8s_minor(k)
}

# The stack of an object without the label comes from stack_of (its "x"
# has stack ""; such objects are looked at one by one); an empty tier is
# dropped in _versions.
_module_refs(gits, shapes) := {[x.tier, x.stack, x.ref] | some x in shapes} | {[f.x.tier, s, f.x.ref] |
	stackless := {x | some x in shapes; x.stack == ""}
	count(stackless) > 0
	some f in gits
	stackless[f.x]
	s := lib.stack_of(f)
}

_kubernetes_vars(bases) := {[x.tier, x.stack, k] | some [x, k] in pairs} | {[f.x.tier, s, k] |
	stackless := {x | some [x, _] in pairs; x.stack == ""}
	count(stackless) > 0
	some f in bases
	stackless[f.x]
	s := lib.stack_of(f)
	i := f.y.vm.kubernetes_version
	k := f.vs[i].value
} if {
	pairs := {[f.x, f.vs[i].value] | some f in bases; i := f.y.vm.kubernetes_version}
}

versions := _versions(s.refs, s.kubes, tag_ranks) if {
	s := lib.fleet_summaries.promotion_order
} else := _versions(_refs, _kubes, tag_ranks)

baseline_versions := _versions(s.baseline_refs, s.baseline_kubes, tag_ranks) if {
	s := lib.fleet_summaries.promotion_order
} else := _versions(_baseline_refs, _baseline_kubes, tag_ranks)

# newest: group -> its newest key.
newest := {g: max({v[1] | some v in versions; v[0] == g}) | some g in {v[0] | some v in versions}}

baseline_newest := {g: max({v[1] | some v in baseline_versions; v[0] == g}) | some g in {v[0] | some v in baseline_versions}}

# upper_group(g, ns): the group of the nearest earlier tier that ns (newest
# or baseline_newest) has, for the same dimension and stack.
upper_group(g, ns) := [g[0], g[1], u] if {
	us := [x | some x in lib.higher_tiers[g[2]]; ns[[g[0], g[1], x]]]
	u := us[0]
}

# ahead_groups: the groups with an entry newer than the upper group's newest.
ahead_groups := {g |
	some g, k in newest
	k > newest[upper_group(g, newest)]
}

# baseline_ahead_groups: the groups with an entry newer than the baseline's
# newest of the upper group.
baseline_ahead_groups := {g |
	lib.has_baseline
	some g, k in newest
	k > baseline_newest[upper_group(g, baseline_newest)]
}

# _entries(gits, bases, gs): the entries of the GitRepositories and base
# Terraforms (facts) in the groups gs (a set, so that a group's entries are
# in the order of the set of all entries).
_entries(gits, bases, gs) := _ranked_entries(gits, bases, gs, tag_ranks)

# _ranked_entries(gits, bases, gs, ranks): _entries with the tags ranked by
# ranks; a GitRepository's entry also holds its ref, to rank it again
# (_fleet_tops).
_ranked_entries(gits, bases, gs, ranks) := {e |
	some f in gits
	t := f.x.tier
	t != ""
	v := _module_version(f.x.ref, ranks)
	s := lib.stack_of(f)
	gs[["module", s, t]]
	e := object.union(v, {"dim": "module", "stack": s, "tier": t, "group": ["module", s, t], "id": f.key, "r": f.r, "ref": f.x.ref})
} | {e |
	some f in bases
	t := f.x.tier
	t != ""
	v := kubernetes_version(f)
	s := lib.stack_of(f)
	gs[["kubernetes", s, t]]
	e := object.union(v, {"dim": "kubernetes", "stack": s, "tier": t, "group": ["kubernetes", s, t], "id": f.key, "r": f.r})
}

# _tops(es, gs): group -> its newest entry, for the groups gs.
_tops(es, gs) := {g: top |
	some g in gs
	xs := [e | some e in es; e.group == g]
	m := max([e.key | some e in xs])
	top := [e | some e in xs; e.key == m][0]
}

_upper_groups := {upper_group(g, newest) | some g in ahead_groups}

tops := _fleet_tops(s, _upper_groups) if {
	s := lib.fleet_summaries.promotion_order.tops
} else := _tops(_entries(lib.tiered_git_facts, lib.eks_base_facts, _upper_groups), _upper_groups)

_baseline_upper_groups := {upper_group(g, baseline_newest) | some g in baseline_ahead_groups}

baseline_tops := _fleet_tops(s, _baseline_upper_groups) if {
	s := lib.fleet_summaries.promotion_order.baseline_tops
} else := _tops(_entries(lib.baseline_tiered_git_facts, lib.baseline_eks_base_facts, _baseline_upper_groups), _baseline_upper_groups)

# _fleet_tops(es, gs): _tops of the groups gs over es, the newest entries
# of fleet_summary (of each part of the fleet), ranked again over every tag
# (the newest entry of a group is the newest of its parts' newest, the
# first in the order of entries among equal versions: the key and r are
# compared after id there, and the version's text after the key).
_fleet_tops(es, gs) := _tops({_ranked(e) | some e in es; gs[e.group]}, gs)

_ranked(e) := object.union(e, {"key": module_version(e.ref).key}) if e.dim == "module"

_ranked(e) := e if e.dim == "kubernetes"

# ---------------------------------------------------------------------------
# fleet_summary: what the rule reads of the whole fleet (lib.fleet_summaries):
# the tags, the distinct [tier, stack, ref] and [tier, stack,
# kubernetes_version], now and in the baseline, the newest entry of each
# group (without its object, its tag unranked: tags rank among every tag of
# the fleet), now and in the baseline, and the [stack, tier, tag] run or ran.
# Over the input, the rule reads each of its own rules, computed only when
# read (the newest entries only of the groups it compares with).
fleet_summary := {
	"tags": _tags,
	"refs": _refs,
	"kubes": _kubes,
	"baseline_refs": _baseline_refs,
	"baseline_kubes": _baseline_kubes,
	"tops": _summary_tops(lib.tiered_git_facts, lib.eks_base_facts, _versions(_refs, _kubes, _local_ranks)),
	"baseline_tops": _summary_tops(lib.baseline_tiered_git_facts, lib.baseline_eks_base_facts, _versions(_baseline_refs, _baseline_kubes, _local_ranks)),
	"tier_tags": _local_tier_tags,
}

_refs := _module_refs(lib.tiered_git_facts, lib.tiered_git_shapes)

_kubes := _kubernetes_vars(lib.eks_base_facts)

_baseline_refs := _module_refs(lib.baseline_tiered_git_facts, lib.baseline_tiered_git_shapes)

_baseline_kubes := _kubernetes_vars(lib.baseline_eks_base_facts)

_local_ranks := lib.version_ranks(_tags)

_summary_tops(gits, bases, vs) := {_summary_entry(top) | some _, top in _tops(_ranked_entries(gits, bases, gs, _local_ranks), gs)} if {
	gs := {v[0] | some v in vs}
}

_summary_entry(e) := object.remove(e, ["key", "r"]) if e.dim == "module"

_summary_entry(e) := object.remove(e, ["r"]) if e.dim == "kubernetes"

# baseline_keys: [dim, baseline object key] -> the versions that object had in the baseline.
_baseline_entries := _entries(lib.baseline_tiered_git_facts, lib.baseline_eks_base_facts, {v[0] | some v in baseline_versions})

baseline_keys := {i: ks |
	some i in {[e.dim, e.id] | some e in _baseline_entries}
	ks := {e.key | some e in _baseline_entries; [e.dim, e.id] == i}
}

# upper(e, ts, ns): the newest entry of the nearest earlier tier present.
upper(e, ts, ns) := ts[upper_group(e.group, ns)]

ahead(e) if e.key > newest[upper_group(e.group, newest)]

# _was(e): the versions e's baseline twin (lib.twins: by stable identity, so a
# renamed object still has one) had in the baseline.
_was(e) := baseline_keys[[e.dim, lib.twins[e.id].key]]

changed(e) if not _was(e)

changed(e) if not e.key in _was(e)

# ---------------------------------------------------------------------------

deny contains lib.result(rule_id, e.r, e.field, msg) if {
	count(ahead_groups) > 0
	some e in _entries(lib.tiered_git_facts, lib.eks_base_facts, ahead_groups)
	up := upper(e, tops, newest)
	e.key > up.key
	msg := message(e, up)
}

deny contains lib.result(rule_id, e.r, e.field, msg) if {
	count(baseline_ahead_groups) > 0
	some e in _entries(lib.tiered_git_facts, lib.eks_base_facts, baseline_ahead_groups)
	not ahead(e)
	changed(e)
	up := upper(e, baseline_tops, baseline_newest)
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

# ---------------------------------------------------------------------------
# Exactly a tag the tier before it runs or has run (issue 14): with a
# baseline, a tier that moves to a tag (at or below the earlier tier's, so
# not reported above) must move to one of the tags the earlier tier runs
# now or ran in the baseline, not to some other tag below them (v4.1.9
# when uat went from v4.1.3 to v4.2.0). An earlier tier on a branch
# counts as having run every tag.

# _tier_tags: [stack, tier, tag] of every GitRepository of the stack, under
# check and in the baseline.
_tier_tags := s if {
	s := lib.fleet_summaries.promotion_order.tier_tags
} else := _local_tier_tags

_local_tier_tags := {[lib.stack_of(g), g.x.tier, tag.tag] |
	some g in array.concat(lib.tiered_git_facts, lib.baseline_tiered_git_facts)
	g.x.tier != ""
	tag := lib.ref_tag_of(g.x.ref)
}

_unchanged_tag(g, tg) if {
	tw := lib.baseline_twin(g)
	tag_ranks[lib.ref_tag_of(tw.x.ref).tag] == tag_ranks[tg]
}

deny contains lib.result(rule_id, g.r, tag.field, msg) if {
	lib.has_baseline
	some g in lib.tiered_git_facts
	t := g.x.tier
	t in {"uat", "prod"}
	tag := lib.ref_tag_of(g.x.ref)
	k := tag_ranks[tag.tag]
	not _unchanged_tag(g, tag.tag)
	s := lib.stack_of(g)
	ug := upper_group(["module", s, t], newest)
	u := ug[2]
	top := newest[ug]
	top != lib.branch_key
	k <= top
	k <= object.get(baseline_newest, ug, k)
	ran := {e[2] | some e in _tier_tags; e[0] == s; e[1] == u}
	not _ran(ran, k)
	msg := sprintf(
		"GitRepository %q (%s) moves to module %s, a tag %s has never run (%s runs or ran %s); %s takes exactly a release %s has run",
		[lib.name(g.r.obj), t, tag.tag, u, u, concat(", ", sort(ran)), t, u],
	)
}

_ran(ran, k) if {
	some x in ran
	tag_ranks[x] == k
}

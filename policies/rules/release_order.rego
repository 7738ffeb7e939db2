# METADATA
# scope: package
# title: Every part of a release reaches dev, then uat, then prod
# description: >-
#   A release is the module tag, the Kubernetes minor (both ordered by
#   promotion-order), every component's version and the node OS. Per stack,
#   a tier may run only what the tier before it (the nearest of dev, uat
#   present in the set) runs or has run (in the baseline): a component that
#   the earlier tier never ran (a prod-only Istio), a component version it
#   never ran (prod on Karpenter 1.2.0 while uat runs 1.1.0), or, when the
#   OS changes against the baseline, an OS it does not run or ran, is first
#   seen in the later tier. A component version left unchanged against the
#   baseline (or without a baseline) may lag behind: at or below the
#   earlier tier's newest (Semantic Versioning 2.0 precedence) passes. A
#   component the earlier tier ran in the baseline and has just removed is
#   being phased out in order and passes, and so does a component the later
#   tier already ran in the baseline (it is not first seen there).
#   Every stack fluxtf renders is checked (the `common` policy family),
#   each stack's tiers among themselves; a stack whose catalogue has no
#   component versions (ocm-client) has only its module tag, which
#   promotion-order orders.
# custom:
#   id: release-order
#   severity: deny
#   summary: >-
#     per stack, the rest of the release: a component the previous tier
#     (nearest of dev, uat in the set) never ran, a component version it does
#     not run and never ran (an unchanged version may lag: at or below its
#     newest), or, when the node `os` changes against the baseline, an OS it
#     does not run or ran; named by component with the tier that must take it
#     first
#   fix: >-
#     Take the component, version or OS in the earlier tier first (dev, then
#     uat) and promote it to the next tier in a later change; or keep the
#     later tier on what the earlier tier runs or ran.
package fluxtf.rules.release_order

import data.fluxtf.lib

rule_id := "release-order"

# _tiers: [stack, tier] of the set under check (lib.common_tf_groups: the
# common family's Terraforms by [stack, tier, component, base]).
_tiers := s if {
	s := lib.fleet_summaries.release_order.tiers
} else := _local_tiers

# fleet_summary: what the rule reads of the whole fleet (lib.fleet_summaries):
# the [stack, tier] present, the [stack, tier, component, version] run
# (current) and run by the baseline, the [stack, tier, component] run or
# ran, and the [stack, tier, os] of the clusters, now or in the baseline.
# Over the input, each is its own rule (_local_*), computed only when read.
fleet_summary := {
	"tiers": _local_tiers,
	"current": _local_current,
	"baseline": _local_baseline,
	"components": _local_components,
	"oses": _local_oses,
}

_local_tiers := {[s, t] | some [s, t, _, _], _ in lib.common_tf_groups; t != ""}

_local_current := lib.common_tf_version_keys

_local_baseline := lib.baseline_common_tf_version_keys

_local_components := _components(lib.common_tf_groups) | _components(lib.baseline_common_tf_groups)

_local_oses := {[lib.stack_of(f), f.x.tier, f.vs[i].value] |
	some f in array.concat(lib.common_base_facts, lib.baseline_common_base_facts)
	f.x.tier != ""
	i := f.y.vm.os
}

# upper(s, t): the nearest earlier tier of stack s present in the set.
upper(s, t) := us[0] if {
	us := [u | some u in lib.higher_tiers[t]; _tiers[[s, u]]]
}

# _ran: [stack, tier, component] -> the versions that tier runs or ran
# (lib.common_tf_versions, lib.baseline_common_tf_versions: the component
# versions of the set and of the baseline, looked up once).
_current_versions := s if {
	s := lib.fleet_summaries.release_order.current
} else := _local_current

_component_versions := _current_versions | s if {
	s := lib.fleet_summaries.release_order.baseline
} else := _current_versions | _local_baseline

_ran := {k: {e[3] | some e in _component_versions; [e[0], e[1], e[2]] == k} |
	some e in _component_versions
	k := [e[0], e[1], e[2]]
}

# _runs: the same, under check only (grouped from the few distinct
# [stack, tier, component, version], not from every object).
_runs := {k: {e[3] | some e in _current_versions; [e[0], e[1], e[2]] == k} |
	some e in _current_versions
	k := [e[0], e[1], e[2]]
}

# _components_ran: [stack, tier, component] that tier runs or ran.
_components_ran := s if {
	s := lib.fleet_summaries.release_order.components
} else := _local_components

_components(groups) := {[s, t, c] |
	some [s, t, c, base], _ in groups
	not base
	t != ""
}

_unchanged(f, value, var) if {
	tw := lib.baseline_twin(f)
	lib.semver_compare(lib.fvar(tw, var).value, value) == 0
}

_unchanged(_, _, _) if not lib.has_baseline

# _lags(k, v): v is at or below the newest version the tier k runs.
_lags(k, v) if {
	some w in _runs[k]
	lib.semver_compare(v, w) <= 0
}

_in(vs, v) if {
	some w in vs
	lib.semver_compare(v, w) == 0
}

# A component the earlier tier never ran.
deny contains lib.result(rule_id, f.r, "", msg) if {
	some [s, t, c, false], fs in lib.common_tf_groups
	t in {"uat", "prod"}
	u := upper(s, t)
	not _components_ran[[s, u, c]]
	some f in fs
	not lib.baseline_twin(f) # the tier ran it already: not first seen here (the earlier tier may have removed it first)
	msg := sprintf(
		"%s (%s) runs %s, which %s has never run; enable %s in %s first and promote it to %s in a later change",
		[lib.describe(f.r), t, f.x.comp, u, f.x.comp, u, t],
	)
}

# _unrun: [stack, tier, component, version] under check (uat or prod)
# whose version the earlier tier never ran: each distinct one judged once,
# then the objects that run it (below).
_unrun := {e |
	some e in _current_versions
	[s, t, c, v] := e
	t in {"uat", "prod"}
	u := upper(s, t)
	ran := _ran[[s, u, c]]
	lib.semver_norm(v)
	not _in(ran, v)
}

# _reported: those of _unrun an object may be reported for. Without a
# baseline every object's version counts as unchanged, so a version at
# or below the earlier tier's newest lags for every object that runs it
# (_lagging): it is left out before its objects are looked up.
_reported := {e | some e in _unrun; not _lags_everywhere(e)}

_lags_everywhere([s, t, c, v]) if {
	not lib.has_baseline
	_lags([s, upper(s, t), c], v)
}

# A component version the earlier tier never ran.
deny contains lib.result(rule_id, f.r, lib.var_field(v.index), msg) if {
	some [s, t, c, value] in _reported
	u := upper(s, t)
	k := [s, u, c]
	ran := _ran[k]
	# the component versions of that stack, tier, component and version (one
	# look-up of an index OPA builds once)
	vs := [v |
		some v in lib.common_tf_versions
		v.stack == s
		v.f.x.tier == t
		v.f.x.comp == c
		v.value == value
	]
	some v in vs
	f := v.f
	not _lagging(f, k, v)
	msg := sprintf(
		"%s (%s) runs %s %s, which %s has never run (%s runs or ran %s); take %s %s in %s first",
		[lib.describe(f.r), t, f.x.comp, lib.show(v.value), u, u, concat(", ", sort([sprintf("%v", [x]) | some x in ran])), f.x.comp, lib.show(v.value), u],
	)
}

_lagging(f, k, v) if {
	_unchanged(f, v.value, v.var)
	_lags(k, v.value)
}

# The node OS, when it changes, to one the earlier tier does not run or ran.
_oses := s if {
	s := lib.fleet_summaries.release_order.oses
} else := _local_oses

deny contains lib.result(rule_id, f.r, lib.var_field(i), msg) if {
	lib.has_baseline
	some f in lib.common_base_facts
	t := f.x.tier
	t in {"uat", "prod"}
	i := f.y.vm.os
	os := f.vs[i].value
	tw := lib.baseline_twin(f)
	tw.vs[tw.y.vm.os].value != os
	s := lib.stack_of(f)
	u := upper(s, t)
	not _oses[[s, u, os]]
	msg := sprintf(
		"%s (%s) moves its nodes to %s, which %s has not run; move %s to %s first",
		[lib.describe(f.r), t, lib.show(os), u, u, lib.show(os)],
	)
}

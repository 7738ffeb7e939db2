# METADATA
# scope: package
# title: Migration markers are removed once their step is done
# description: >-
#   A migration marker names the breaking step it covers: a component's
#   `fluxtf.io/migration: 0.37 -> 1.0` (spec `components.<name>.migration`)
#   or a GitRepository's guide and step `v4 -> v5` (spec
#   `source.migrationGuide`). Once the baseline already runs the step's end,
#   the step is done and the marker only says something untrue about the
#   next change; remove it, so that the next breaking step is reviewed on
#   its own. While the next tier of the stack in the set still runs the
#   step's start, the marker is not stale yet: `fluxtf promote` carries it
#   to that tier with the step. Without a baseline the rule finds nothing.
#   Every stack fluxtf renders is checked (the `common` policy family).
# custom:
#   id: migration-marker-stale
#   severity: warn
#   summary: >-
#     against the baseline twin: a migration marker (`fluxtf.io/migration`)
#     whose step's end the baseline already ran, unless the stack's next tier
#     still runs the step's start (`fluxtf promote` carries it there)
#     (baseline)
#   baseline: true
#   fix: >-
#     Remove `components.<name>.migration` (or `source.migrationGuide`) from
#     the environment spec; the annotation `fluxtf.io/migration` from a
#     hand-written object.
package fluxtf.rules.migration_marker_stale

import data.fluxtf.lib

rule_id := "migration-marker-stale"

warn contains lib.result(rule_id, f.r, "metadata.annotations", msg) if {
	lib.has_baseline
	some v in lib.common_tf_versions
	f := v.f
	_ = f.r.obj.metadata.annotations[lib.annotation_migration] # (most have none: a look-up first)
	a := lib.annotation(f.r.obj, lib.annotation_migration)
	step := lib.migration_step(a)
	tw := lib.baseline_twin(f)
	ov := lib.fvar(tw, v.var)
	lib.version_line(ov.value, false) == lib.step_end(step.to, false)
	lib.version_line(v.value, false) == lib.step_end(step.to, false)
	not _promoting(f, step)
	msg := sprintf(
		"%s keeps the %s migration marker %q, a step done before this change (%s ran %s); remove components.%s.migration",
		[lib.describe(f.r), f.x.comp, a, f.x.comp, lib.show(ov.value), f.x.comp],
	)
}

warn contains lib.result(rule_id, g.r, "metadata.annotations", msg) if {
	lib.has_baseline
	some g in lib.tiered_git_facts
	_ = g.r.obj.metadata.annotations[lib.annotation_migration]
	a := lib.annotation(g.r.obj, lib.annotation_migration)
	step := lib.migration_step(a)
	tw := lib.baseline_twin(g)
	old := lib.ref_tag_of(tw.x.ref)
	new := lib.ref_tag_of(g.x.ref)
	lib.version_line(old.tag, true) == lib.step_end(step.to, true)
	lib.version_line(new.tag, true) == lib.step_end(step.to, true)
	not _promoting_tag(g, step)
	msg := sprintf(
		"GitRepository %q keeps the migration guide of the step %s, done before this change (it ran %s); remove source.migrationGuide",
		[g.name, a, old.tag],
	)
}

# fleet_summary: what the rule reads of the whole fleet (lib.fleet_summaries),
# with a baseline: the [stack, tier, component, version] the common
# family's Terraforms run (common_tf_versions, and the bases') and the
# [stack, tier, tag] of the GitRepositories.
default fleet_summary := {"versions": set(), "tags": set()}

fleet_summary := {
	"versions": {[v.stack, v.f.x.tier, v.f.x.comp, v.value] | some v in lib.common_tf_versions; v.stack != ""} | {[s, g.x.tier, g.x.comp, lib.component_version(g).value] |
		some g in lib.common_base_facts
		s := lib.stack_of(g)
	},
	"tags": {[lib.stack_of(h), h.x.tier, lib.ref_tag_of(h.x.ref).tag] | some h in lib.tiered_git_facts},
} if lib.has_baseline

_fleet := s if {
	s := lib.fleet_summaries.migration_marker_stale
} else := fleet_summary

# _promoting(f, step): the next tier of f's stack (the tier whose nearest
# earlier tier is f's) runs f's component at the step's start still: the
# marker is yet to be promoted with the step.
_promoting(f, step) if {
	some [s, t, c, v] in _fleet.versions
	c == f.x.comp
	lib.higher_tiers[t][0] == f.x.tier
	s == lib.stack_of(f)
	lib.version_line(v, false) == lib.step_end(step.from, false)
}

# _promoting_tag(g, step): the same for a GitRepository's major step.
_promoting_tag(g, step) if {
	some [s, t, tag] in _fleet.tags
	lib.higher_tiers[t][0] == g.x.tier
	s == lib.stack_of(g)
	lib.version_line(tag, true) == lib.step_end(step.from, true)
}

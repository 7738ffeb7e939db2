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
#   its own. Without a baseline the rule finds nothing.
#   Every stack fluxtf renders is checked (the `common` policy family).
# custom:
#   id: migration-marker-stale
#   severity: warn
#   summary: >-
#     against the baseline twin: a migration marker (`fluxtf.io/migration`)
#     whose step's end the baseline already ran (baseline)
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
	some f in lib.common_tf_facts
	not f.x.base
	a := lib.annotation(f.r.obj, lib.annotation_migration)
	step := lib.migration_step(a)
	v := lib.component_version(f)
	tw := lib.baseline_twin(f)
	ov := lib.fvar(tw, v.var)
	lib.version_line(ov.value, false) == lib.step_end(step.to, false)
	lib.version_line(v.value, false) == lib.step_end(step.to, false)
	msg := sprintf(
		"%s keeps the %s migration marker %q, a step done before this change (%s ran %s); remove components.%s.migration",
		[lib.describe(f.r), f.x.comp, a, f.x.comp, lib.show(ov.value), f.x.comp],
	)
}

warn contains lib.result(rule_id, g.r, "metadata.annotations", msg) if {
	lib.has_baseline
	some g in lib.tiered_git_facts
	a := lib.annotation(g.r.obj, lib.annotation_migration)
	step := lib.migration_step(a)
	tw := lib.baseline_twin(g)
	old := lib.ref_tag_of(tw.x.ref)
	new := lib.ref_tag_of(g.x.ref)
	lib.version_line(old.tag, true) == lib.step_end(step.to, true)
	lib.version_line(new.tag, true) == lib.step_end(step.to, true)
	msg := sprintf(
		"GitRepository %q keeps the migration guide of the step %s, done before this change (it ran %s); remove source.migrationGuide",
		[g.name, a, old.tag],
	)
}

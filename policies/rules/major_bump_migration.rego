# METADATA
# scope: package
# title: A module major version rise names its migration guide
# description: >-
#   Breaking changes to the jeppesen-eks stack come with major version bumps,
#   and every major bump requires a migration guide: the manual steps (state
#   moves, CRD clean-ups such as Karpenter's, renamed variables) that a
#   reviewer must see before the new major reaches a cluster. When a
#   GitRepository's tag rises in major version against its baseline twin
#   (the same stack, tier and URL, whatever its name) (`v3.4.1` -> `v4.0.0`), the GitRepository must carry the annotation
#   `fluxtf.io/migration-guide` naming that guide and the annotation
#   `fluxtf.io/migration` naming the major step it covers, `v3 -> v4` (the
#   spec's `source.migrationGuide: {path, from: v3, to: v4}`): a guide left in
#   place after v3 -> v4 does not let v4 -> v5 through. Without a baseline the rule finds nothing.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: major-bump-migration
#   severity: deny
#   summary: >-
#     against the baseline twin: a GitRepository tag whose major version rises
#     carries `fluxtf.io/migration-guide` and `fluxtf.io/migration: vM -> vN`
#     naming that major step (spec `source.migrationGuide: {path, from, to}`);
#     a guide of another step does not count (baseline)
#   baseline: true
#   fix: >-
#     Set `source.migrationGuide: {path: docs/migrations/vN.md, from: vM, to:
#     vN}` in the environment spec (annotations `fluxtf.io/migration-guide`
#     and `fluxtf.io/migration: vM -> vN` on a hand-written GitRepository),
#     naming the guide for this step, and follow it.
#   specFix: >-
#     Set `source.migrationGuide: {path: docs/migrations/vN.md, from: vM, to:
#     vN}` in the environment spec, naming the guide in the stack repository
#     for this step, and render.
package fluxtf.rules.major_bump_migration

import data.fluxtf.lib

rule_id := "major-bump-migration"

deny contains lib.result(rule_id, r, field, msg) if {
	lib.has_baseline
	some g in lib.eks_git_facts
	tw := lib.twins[g.key]
	new := lib.ref_tag_of(g.x.ref)
	nv := lib.semver_parse(new.tag)
	old := lib.ref_tag_of(tw.x.ref)
	ov := lib.semver_parse(old.tag)
	nv.major > ov.major
	r := g.r
	not covered(r.obj, ov.major, nv.major)
	field := lib.nearest_field(r.obj, ["metadata", "annotations"])
	msg := sprintf(
		"GitRepository %q moves from %s to %s, a major version rise, %s; %s",
		[lib.name(r.obj), old.tag, new.tag, guide_state(r.obj), how_to(r.obj, ov.major, nv.major)],
	)
}

# how_to(o, from, to): what to set: the spec field on a generated
# GitRepository (the report speaks of the spec), the annotations on a
# hand-written one.
how_to(o, from, to) := sprintf(
	"set source.migrationGuide: {path: docs/migrations/v%d.md, from: v%d, to: v%d}",
	[to, from, to],
) if {
	lib.managed_by_fluxtf(o)
} else := sprintf(
	"add the annotations %s: docs/migrations/v%d.md and %s: \"v%d -> v%d\"",
	[lib.annotation_migration_guide, to, lib.annotation_migration, from, to],
)

# covered(o, from, to): o names a migration guide and the major step
# from -> to (annotation fluxtf.io/migration: v4 -> v5).
covered(o, from, to) if {
	lib.annotation(o, lib.annotation_migration_guide)
	m := lib.migration_step(lib.annotation(o, lib.annotation_migration))
	lib.step_end(m.from, true) == sprintf("%d", [from])
	lib.step_end(m.to, true) == sprintf("%d", [to])
}

guide_state(o) := sprintf("and its migration guide covers another step (%s)", [a]) if {
	lib.annotation(o, lib.annotation_migration_guide)
	a := lib.annotation(o, lib.annotation_migration)
} else := "and its migration guide names no step" if {
	lib.annotation(o, lib.annotation_migration_guide)
} else := "without a migration guide"

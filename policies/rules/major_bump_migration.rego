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
#   `fluxtf.io/migration-guide` naming that guide (the spec's
#   `source.migrationGuide`). Without a baseline the rule finds nothing.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: major-bump-migration
#   severity: deny
#   summary: >-
#     against the baseline twin: a GitRepository tag whose major version rises
#     carries `fluxtf.io/migration-guide` (baseline)
#   baseline: true
#   fix: >-
#     Add the annotation `fluxtf.io/migration-guide: docs/migrations/vN.md`
#     (set `source.migrationGuide` in the environment spec) naming the guide
#     for the new major version, and follow it.
#   specFix: >-
#     Set `source.migrationGuide` in the environment spec to the guide's path
#     in the stack repository (such as docs/migrations/v5.md) and render.
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
	not lib.annotation(r.obj, lib.annotation_migration_guide)
	field := lib.nearest_field(r.obj, ["metadata", "annotations"])
	msg := sprintf(
		"GitRepository %q moves from %s to %s, a major version rise, without a migration guide; add the annotation %s naming the guide (for example docs/migrations/v%d.md)",
		[lib.name(r.obj), old.tag, new.tag, lib.annotation_migration_guide, nv.major],
	)
}

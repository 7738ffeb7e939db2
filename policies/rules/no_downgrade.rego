# METADATA
# scope: package
# title: A version goes back only with a recorded rollback
# description: >-
#   A release moves forward: against the baseline twin, a GitRepository's
#   module tag or a component's version (the catalogue's version variable,
#   such as `karpenter_version`) that falls by Semantic Versioning 2.0
#   precedence is a downgrade: v4.2.0 -> v4.1.0, and also v4.2.0 ->
#   v4.2.0-hotfix.1 (a pre-release sorts below its release). A downgrade
#   re-runs old Terraform against newer state and may need manual steps, so
#   it is denied unless the object records the rollback: the annotation
#   `fluxtf.io/rollback: "<version>: <reason>"` naming the version it goes
#   back to (the spec's `source.rollback` or `components.<name>.rollback`:
#   `{to, reason}`). Without a baseline the rule finds nothing.
#   Every stack fluxtf renders is checked (the `common` policy family:
#   ocm-client's module tag too).
# custom:
#   id: no-downgrade
#   severity: deny
#   summary: >-
#     against the baseline twin: a GitRepository tag or a component version
#     (the catalogue's version variable) that falls by Semantic Versioning 2.0
#     precedence (`v4.2.0` -> `v4.2.0-hotfix.1` too) carries
#     `fluxtf.io/rollback: "<that version>: <reason>"` (spec `rollback: {to,
#     reason}`) (baseline)
#   baseline: true
#   fix: >-
#     Move forward to a newer release instead, or record the rollback in the
#     environment spec: `source.rollback: {to: v4.1.0, reason: "v4.2.0 breaks
#     IRSA, INC-1234"}` (or `components.<name>.rollback`); remove it once the
#     release moves forward again.
package fluxtf.rules.no_downgrade

import data.fluxtf.lib

rule_id := "no-downgrade"

# recorded(o, v): o records a rollback to v (by precedence) with a reason.
recorded(o, v) if {
	rb := lib.rollback_of(o)
	rb.reason != ""
	lib.semver_compare(rb.to, v) == 0
}

deny contains lib.result(rule_id, g.r, new.field, msg) if {
	lib.has_baseline
	some g in lib.tiered_git_facts
	tw := lib.baseline_twin(g)
	tw.x.ref != g.x.ref
	new := lib.ref_tag_of(g.x.ref)
	old := lib.ref_tag_of(tw.x.ref)
	lib.semver_compare(new.tag, old.tag) < 0
	not recorded(g.r.obj, new.tag)
	msg := sprintf(
		"GitRepository %q (%s) goes back from module %s to %s; move forward instead, or record the rollback: source.rollback: {to: %s, reason: ...}",
		[g.name, g.x.tier, old.tag, new.tag, new.tag],
	)
}

deny contains lib.result(rule_id, f.r, lib.var_field(v.index), msg) if {
	lib.has_baseline
	some v in lib.common_tf_versions
	f := v.f
	tw := lib.baseline_twin(f)
	ov := lib.fvar(tw, v.var)
	ov.value != v.value
	lib.semver_compare(v.value, ov.value) < 0
	not recorded(f.r.obj, v.value)
	msg := sprintf(
		"%s goes back from %s %s to %s; move forward instead, or record the rollback: components.%s.rollback: {to: %s, reason: ...}",
		[lib.describe(f.r), f.x.comp, lib.show(ov.value), lib.show(v.value), f.x.comp, lib.show(v.value)],
	)
}

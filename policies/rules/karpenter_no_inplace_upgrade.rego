# METADATA
# scope: package
# title: A Karpenter major or API change needs the CRD clean-up first
# description: >-
#   Karpenter cannot be upgraded in place across API changes: its
#   NodePool/NodeClaim CRDs replace the old Provisioner/Machine ones (and the
#   v1beta1 to v1 move changes them again), so the old CRDs and the objects
#   using them must be cleaned up by hand before the new chart is applied, or
#   the upgrade fails and nodes stop being provisioned. Against the baseline
#   twin (the same stack, account id, region and component, whatever the
#   object's name), a change of the Karpenter Terraform's `karpenter_version` in major
#   version, any minor change below 1.0 (0.x minors carried API changes), and
#   any downgrade across majors must carry the annotation
#   `fluxtf.io/migration` on that Terraform, recording that the manual CRD
#   clean-up is done. Patch and minor changes from 1.0 on are in place.
#   Without a baseline the rule finds nothing.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: karpenter-no-inplace-upgrade
#   severity: deny
#   summary: >-
#     against the baseline twin: a Karpenter major change (or minor change
#     below 1.0, or any downgrade across majors) carries `fluxtf.io/migration`
#     naming that step by version line, `0.37 -> 1.0` (spec
#     `components.karpenter.migration: {from, to}`); a marker of another step
#     or of none (`done`) does not count (baseline)
#   baseline: true
#   fix: >-
#     Follow Karpenter's upgrade guide (remove the old CRDs and migrate the
#     provisioners), then set `components.karpenter.migration: {from: "0.37",
#     to: "1.0"}` in the spec (the annotation `fluxtf.io/migration: 0.37 -> 1.0`
#     on a hand-written Terraform) naming the step that was done.
#   specFix: >-
#     Follow Karpenter's upgrade guide (remove the old CRDs, migrate the
#     provisioners), then set `components.karpenter.migration: {from: "0.37",
#     to: "1.0"}` in the environment spec, naming the step that was done, and
#     render.
package fluxtf.rules.karpenter_no_inplace_upgrade

import data.fluxtf.api
import data.fluxtf.lib

rule_id := "karpenter-no-inplace-upgrade"

# (Written against data.fluxtf.api, as docs/writing-policies.md shows: the
# version var's name comes from the catalogue; the migration-step helpers
# are the release rules' own, in data.fluxtf.lib.)
deny contains api.result(rule_id, o, field, msg) if {
	api.has_baseline
	some o in api.terraforms_of("karpenter")
	api.in_family(o, "eks")
	tw := api.twin(o)
	v := api.version(o)
	new := api.semver(v.value)
	ov := api.version(tw)
	old := api.semver(ov.value)
	what := breaking(old, new)
	step := sprintf("%s -> %s", [lib.version_line(old.text, false), lib.version_line(new.text, false)])
	not covers(o.object, old.text, new.text)
	field := api.nearest_field(o, ["metadata", "annotations"])
	msg := sprintf(
		"Karpenter %s -> %s is %s, which cannot upgrade in place; %s, then record the step %q as {from: %q, to: %q}: set the annotation %s",
		[old.text, new.text, what, marker_state(o.object), step, lib.version_line(old.text, false), lib.version_line(new.text, false), api.annotation_migration],
	)
}

# covers(o, old, new): o's migration marker names the step old -> new (by
# version line: 0.37 -> 1.0, 1.0 -> 2.0). A marker for another step, or
# one that names no step ("done"), does not count.
covers(o, old, new) if {
	m := lib.migration_step(lib.annotation(o, lib.annotation_migration))
	lib.step_end(m.from, false) == lib.version_line(old, false)
	lib.step_end(m.to, false) == lib.version_line(new, false)
}

marker_state(o) := sprintf("the marker %q is for another step", [a]) if {
	a := lib.annotation(o, lib.annotation_migration)
} else := "clean up the old CRDs by hand"

# breaking(old, new): what kind of breaking change it is, when it is one.
breaking(old, new) := "a downgrade across majors" if {
	new.major < old.major
} else := "a major version change" if {
	new.major > old.major
} else := "a minor version change below 1.0" if {
	old.major == 0
	new.minor != old.minor
}

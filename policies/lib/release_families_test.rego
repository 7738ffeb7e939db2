# The release rules (issue 14) select their objects by policy family, not
# by the jeppesen-eks name: release order, downgrades, pinned versions and
# stale markers by the `common` family (every stack fluxtf renders),
# component compatibility by the `eks` family. A made-up stack declaring
# the families of jeppesen-eks gets the same findings; ocm-client's module
# tag is held to no-downgrade.
package fluxtf.lib_release_families_test

import data.fluxtf.lib_families_test as fam
import data.fluxtf.test as t

release_rules := {
	"release-order", "no-downgrade", "component-version-pinned",
	"migration-marker-stale", "component-compatibility",
}

istio(tier, v) := t.component(tier, "istio", [{"name": "istio_version", "value": v}])

marked(o, step) := t.with_annotations(o, {"fluxtf.io/migration": step})

# Objects that trip every release rule: prod on a Karpenter uat never ran
# (release-order), uat's tag going back (no-downgrade), istio "latest" in
# dev (component-version-pinned), uat's Karpenter 0.37 -> 1.0 marker kept
# after the step (migration-marker-stale), prod's Karpenter 1.2.0 on a
# Kubernetes minor it does not support (component-compatibility).
current := [
	t.source("dev"), fam.base_with("dev", "1.33", "AL2023", 2), istio("dev", "latest"),
	t.with_ref(t.source("uat"), {"tag": "v4.1.0"}), fam.base_with("uat", "1.31", "BOTTLEROCKET", 2), marked(t.karpenter("uat", "1.1.0"), "0.37 -> 1.0"),
	t.with_ref(t.source("prod"), {"tag": "v4.1.0"}), fam.base_with("prod", "1.35", "BOTTLEROCKET", 2), t.karpenter("prod", "1.2.0"),
]

baseline := [
	t.source("dev"), fam.base_with("dev", "1.33", "AL2023", 2), istio("dev", "latest"),
	t.with_ref(t.source("uat"), {"tag": "v4.2.0"}), fam.base_with("uat", "1.31", "BOTTLEROCKET", 2), marked(t.karpenter("uat", "1.1.0"), "0.37 -> 1.0"),
	t.with_ref(t.source("prod"), {"tag": "v4.1.0"}), fam.base_with("prod", "1.35", "BOTTLEROCKET", 2), t.karpenter("prod", "1.2.0"),
]

# release_findings(stack, fams): [rule, object name, field] of the release
# rules' findings on the objects above, in stack with families fams.
release_findings(stack, fams) := {[x.rule, x.name, x.field] |
	some x in _results
	x.rule in release_rules
} if {
	_results := _all with input as t.with_baseline(fam.objs_of(current, stack, fams), fam.objs_of(baseline, stack, fams))
}

_all contains x if {
	some p
	x := data.fluxtf.rules[p].deny[_]
}

_all contains x if {
	some p
	x := data.fluxtf.rules[p].warn[_]
}

rules_of(fs) := {f[0] | some f in fs}

test_release_rules_fire_on_jeppesen_eks if {
	rules_of(release_findings("jeppesen-eks", "common,eks")) == release_rules
}

test_made_up_stack_declaring_the_families_gets_the_same_findings if {
	want := release_findings("jeppesen-eks", "common,eks")
	release_findings("acme-cluster", "common,eks") == want
	release_findings("acme-cluster", "common, eks") == want
}

# compatibility is the eks family's; the order of versions needs the
# common family (and component versions need a catalogue of the stack or
# of a family it declares beside common)
test_families_split_the_release_rules if {
	rules_of(release_findings("acme-cluster", "eks")) == {"component-compatibility"}
	rules_of(release_findings("acme-cluster", "common")) == {"no-downgrade"}
	rules_of(release_findings("jeppesen-eks", "common")) == {
		"release-order", "no-downgrade", "component-version-pinned", "migration-marker-stale",
	}
	count(release_findings("acme-cluster", "")) == 0
}

# ocm-client: its module tag going back is a downgrade, as for EKS; a
# recorded rollback lets it through
test_ocm_client_tag_downgrade if {
	before := array.concat(t.ocm_env("uat"), [t.with_ref(t.ocm_source("prod"), {"tag": "v2.0.0"}), t.ocm_app("prod")])
	after := array.concat(t.ocm_env("uat"), [t.with_ref(t.ocm_source("prod"), {"tag": "v1.9.0"}), t.ocm_app("prod")])
	res := data.fluxtf.rules.no_downgrade.deny with input as t.with_baseline(after, before)
	{[x.name, x.field] | some x in res} == {[t.ocm_source_name("prod"), "spec.ref.tag"]}

	rolled := array.concat(t.ocm_env("uat"), [
		t.with_annotations(t.with_ref(t.ocm_source("prod"), {"tag": "v1.9.0"}), {"fluxtf.io/rollback": "v1.9.0: INC-1"}),
		t.ocm_app("prod"),
	])
	count(data.fluxtf.rules.no_downgrade.deny) == 0 with input as t.with_baseline(rolled, before)
}

# The release as one unit (issue 14): Semantic Versioning 2.0 precedence,
# the documented tag form, moving versions, the versions a component's
# Terraform carries, migration and rollback markers, and the baseline twin
# of an object. Part of package fluxtf.lib (lib.rego is the rest); the
# catalogue's version variables and compatibility rows are generated into
# catalogue_gen.rego.
package fluxtf.lib

# ---------------------------------------------------------------------------
# Precedence.
#
# semver_compare (lib.rego) is OPA's semver.compare on semver_norm: Semantic
# Versioning 2.0 precedence (semver.org, item 11): MAJOR, MINOR and PATCH
# numerically; a pre-release is below its release; pre-release identifiers
# compare one by one, numeric ones numerically and below alphanumeric ones,
# which compare in ASCII order, and a longer list wins when the shorter is a
# prefix (1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta <
# 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0); build metadata is
# ignored. Every rule that orders versions goes through it.

# version_ranks(vs): version text -> its rank among the versions vs (a set
# of strings): the number of distinct precedences below it, so that equal
# precedence (v4.2.0 and 4.2.0+build.5) gives equal ranks and max() over
# ranks finds the newest. Versions that are not semver are left out. vs is
# small (the distinct tags of a run), the cost quadratic in it.
version_ranks(vs) := {v: count({_precedence_text(w) | some w in ok; semver_compare(w, v) < 0}) |
	some v in ok
} if {
	ok := {v | some v in vs; semver_norm(v)}
}

_precedence_text(v) := split(semver_norm(v), "+")[0]

# prerelease(v): the pre-release part of a semver version, when it has one.
prerelease(v) := p.pre if {
	p := semver_parse(v)
	p.pre != ""
}

# tag_form: the one form of a module tag (README "Environment spec"):
# vMAJOR.MINOR.PATCH with an optional pre-release, no build metadata, no
# leading zeros. generator/check.go spells the same pattern.
tag_form := `^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`

tag_form_ok(t) if {
	is_string(t)
	regex.match(tag_form, t)
}

# tag_form_fix(t): the tag in the documented form, when there is one.
tag_form_fix(t) := sprintf("v%s", [n]) if {
	n := split(semver_norm(t), "+")[0]
	not tag_form_ok(t)
}

# pinned_version(v): an exact component version, MAJOR.MINOR.PATCH with an
# optional v, pre-release and build (EKS add-on versions such as
# v1.37.0-eksbuild.1 are pre-release-shaped). latest, stable, ranges (~1.1,
# >=1.0), wildcards (1.x, 1.1.*) and partial versions (1.1) move.
pinned_version(v) if is_exact_semver(v)

# ---------------------------------------------------------------------------
# Component versions.

# component_version(f): {"value", "index", "var"} of the version var of a
# Terraform fact whose component the catalogue knows (catalogue_versions,
# generated, of version_stack(f)), when that var has an inline value.
component_version(f) := {"value": v.value, "index": v.index, "var": n} if {
	n := catalogue_versions[version_stack(f)][f.x.comp].var
	v := fvar(f, n)
}

# version_stack(f): the stack whose catalogue describes the version of
# Terraform fact f's component: its own; for a stack no catalogue
# describes (a team's own, declaring a family such as eks in its
# fluxtf.io/policies annotation), the one stack of that family whose
# catalogue has the component (as api.version).
version_stack(f) := s if {
	s := stack_of(f)
	catalogue_versions[s]
} else := s if {
	ss := {s |
		some s, cv in catalogue_versions
		cv[f.x.comp]
		some fam in stack_default_families[s]
		fam != "common"
		fam in families(f.r.obj)
	}
	count(ss) == 1
	some s in ss
}

# common_tf_versions: the component versions of the common family's
# Terraforms that are not a base, each looked up once for the release rules
# (component-version-pinned, release-order, component-compatibility):
# {"f": the fact, "value", "index", "var": component_version(f), "vstack":
# version_stack(f), "stack": stack_of(f), "" when the fact has no stack}.
# baseline_common_tf_versions: the same of the baseline; eks_tf_versions:
# of the eks family's Terraforms (the same list when both families hold
# every Terraform, as in a rendered fleet).
common_tf_versions := _common_tf_versions_by_shape if {
	_versions_by_shape(common_tf_shapes)
} else := _tf_versions(common_tf_facts)

baseline_common_tf_versions := _baseline_common_tf_versions_by_shape if {
	_versions_by_shape(_baseline_common_tf_shapes)
} else := _tf_versions(baseline_common_tf_facts)

eks_tf_versions := common_tf_versions if {
	count(common_tf_facts) == count(tf_facts)
	count(eks_tf_facts) == count(tf_facts)
} else := _tf_versions(eks_tf_facts)

_tf_versions(fs) := [{"f": f, "stack": _stack_or_empty(f), "vstack": version_stack(f), "value": v.value, "index": v.index, "var": v.var} |
	some f in fs
	not f.x.base
	v := component_version(f)
]

# common_tf_groups: [stack, tier, component, base] -> the facts of the
# common family's Terraforms of that stack (stack_of; Terraforms without a
# stack are left out), tier ("" when none), component and base flag: the
# release rules' groups, built once. baseline_common_tf_groups: the same of
# the baseline.
# (Rules, not a function of the fact list: OPA indexes the inner
# comprehension once in a rule, and would scan the list for every group in
# a function.)
# The engine gives them (policies/facts_index.go) when every Terraform is
# labelled with its stack, for when every one is of the common family.
common_tf_groups := _given_object("tf_groups") if {
	_given_object("tf_groups")
	count(common_tf_facts) == count(tf_facts)
} else := {k: [f | some e in _common_tf_keyed; e[0] == k; f := e[1]] |
	some k in _common_tf_group_keys
}

_common_tf_keyed := [[_shape_group_keys[f.x], f] | some f in common_tf_facts] if {
	_stacks_labelled(common_tf_shapes)
} else := [[[s, f.x.tier, f.x.comp, f.x.base], f] | some f in common_tf_facts; s := stack_of(f)]

baseline_common_tf_groups := {k: [f | some e in _baseline_common_tf_keyed; e[0] == k; f := e[1]] |
	some k in _baseline_common_tf_group_keys
}

_baseline_common_tf_keyed := [[_baseline_shape_group_keys[f.x], f] | some f in baseline_common_tf_facts] if {
	_stacks_labelled(_baseline_common_tf_shapes)
} else := [[[s, f.x.tier, f.x.comp, f.x.base], f] | some f in baseline_common_tf_facts; s := stack_of(f)]

_stack_or_empty(f) := s if {
	s := stack_of(f)
} else := ""

# ---------------------------------------------------------------------------
# Markers.

# migration_step(s): {"from", "to"} of a migration annotation "FROM -> TO"
# ("0.37 -> 1.0", "v4 -> v5"); undefined for any other text ("done").
migration_step(s) := {"from": trim_space(ps[0]), "to": trim_space(ps[1])} if {
	is_string(s)
	ps := split(s, "->")
	count(ps) == 2
	trim_space(ps[0]) != ""
	trim_space(ps[1]) != ""
}

# version_line(v, major_only): the step name of a version: its major ("4")
# when major_only, else MAJOR.MINOR for 0.x ("0.37") and MAJOR.0 from 1.0
# on ("1.0"), the lines Karpenter's migrations are named by.
version_line(v, true) := sprintf("%d", [p.major]) if {
	p := semver_parse(v)
}

version_line(v, false) := sprintf("0.%d", [p.minor]) if {
	p := semver_parse(v)
	p.major == 0
}

version_line(v, false) := sprintf("%d.0", [p.major]) if {
	p := semver_parse(v)
	p.major > 0
}

# step_end(s, major_only): a step's end as a version line ("v5" -> "5",
# "1.0" -> "1.0", "0.37" -> "0.37").
step_end(s, true) := sprintf("%d", [semver_parse(s).major])

step_end(s, false) := version_line(s, false)

# rollback_annotation: "<version>: <reason>" records that a version below
# the baseline's is deliberate (spec `rollback: {to, reason}`).
annotation_rollback := "fluxtf.io/rollback"

# rollback_of(o): {"to", "reason"} of an object's rollback annotation.
rollback_of(o) := {"to": trim_space(substring(a, 0, i)), "reason": trim_space(substring(a, i + 1, -1))} if {
	a := annotation(o, annotation_rollback)
	i := indexof(a, ":")
	i > 0
}

# ---------------------------------------------------------------------------
# Baseline twins.

# baseline_twin(f): the fact of the baseline twin of the fact f: the same
# deployment matched by stable identity (twins in lib.rego), so a renamed
# target or environment is still compared with its own cluster.
baseline_twin(f) := twins[f.key]

# ---------------------------------------------------------------------------
# The objects of the release rules.
#
# Release order, downgrades, pinned versions and stale markers hold for
# every stack fluxtf renders: the rules select the `common` family, which
# every catalogue lists (common_tf_facts, tiered_git_facts in stacks.rego,
# the same objects promotion-order orders the module tags of), each
# stack's tiers compared among themselves; component-compatibility, which
# reads the cluster's Kubernetes minor, the `eks` family (eks_tf_facts,
# eks_base_facts). A stack without component versions in its catalogue
# (ocm-client) has only its module tag to order.

# common_base_facts: the base Terraforms of the common family.
common_base_facts := base_facts if {
	count(common_tf_facts) == count(tf_facts)
} else := [f | some f in common_tf_facts; f.x.base]

# baseline_common_tf_facts, baseline_common_base_facts: the same of the
# baseline (all of them when every baseline Terraform is labelled
# jeppesen-eks and lists common, as for common_tf_facts).
_baseline_tf_shapes := {f.x | some f in baseline_tf_facts}

_baseline_tf_policies := {object.get(f.r.obj, ["metadata", "annotations", annotation_policies], "") | some f in baseline_tf_facts}

baseline_common_tf_facts := baseline_tf_facts if {
	_all_in(_baseline_tf_shapes, _baseline_tf_policies, "common")
} else := [f | some f in baseline_tf_facts; _fact_in_family(f, "common", baseline_fact_index, baseline_eks_referenced_sources)]

baseline_common_base_facts := baseline_base_facts if {
	count(baseline_common_tf_facts) == count(baseline_tf_facts)
} else := [f | some f in baseline_common_tf_facts; f.x.base]

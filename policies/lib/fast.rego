# Summaries of the facts for the rules' fast paths: what a rule (or a
# library value) would otherwise read from every object, read once from the
# few distinct shapes (tf_shapes) of a rendered fleet. Part of package
# fluxtf.lib (lib.rego, stacks.rego and release.rego are the rest); each
# value falls back to the per-object definition when a shape does not say
# enough (an unlabelled object, a stack without a catalogue).
package fluxtf.lib

# whole_tf_families: the policy families of which every Terraform under
# check is (as _all_in: every one labelled jeppesen-eks, whose catalogue
# lists the family, and no policies annotation leaving it out), so that a
# rule asking in_family of one of them needs not read its labels.
whole_tf_families := {fam |
	some fam in object.get(stack_default_families, eks_stack, set())
	_all_in(tf_shapes, _tf_policies, fam)
}

# _versions_by_shape(shapes): every shape is labelled with a stack whose
# catalogue has component versions, so that component_version of a fact
# of one of them reads the var its shape names (_shape_version_vars):
# stack_of and version_stack are its stack label.
_versions_by_shape(shapes) if {
	_stacks_labelled(shapes)
	every x in shapes {
		catalogue_versions[x.stack]
	}
}

# _shape_version_vars: shape -> the name of its component's version var,
# for the shapes of the common family's Terraforms that are not a base.
_shape_version_vars := {x: n |
	some x in common_tf_shapes
	not x.base
	n := catalogue_versions[x.stack][x.comp].var
}

# _common_tf_versions_by_shape: common_tf_versions when
# _versions_by_shape(common_tf_shapes), each fact's version var named by
# its shape.
# The engine gives it (input.facts "tf_versions", policies/facts_versions.go)
# for when every Terraform is of the common family.
_common_tf_versions_by_shape := _given("tf_versions") if {
	_given("tf_versions")
	count(common_tf_facts) == count(tf_facts)
} else := [{"f": f, "stack": f.x.stack, "vstack": f.x.stack, "value": v, "index": i, "var": n} |
	some f in common_tf_facts
	n := _shape_version_vars[f.x]
	i := f.y.vm[n]
	v := f.vs[i].value
]

# _stacks_labelled(shapes): every shape is labelled with a stack (stack_of
# of its facts is the label); _shape_group_keys: a shape of the common
# family's Terraforms -> the key of its facts in common_tf_groups.
_stacks_labelled(shapes) if {
	every x in shapes {
		x.stack != ""
	}
}

_shape_group_keys := {x: [x.stack, x.tier, x.comp, x.base] | some x in common_tf_shapes}

# _common_tf_group_keys: the keys of common_tf_groups (from the few shapes
# when every one is labelled with a stack).
_common_tf_group_keys := {k | some k in _shape_group_keys} if {
	_stacks_labelled(common_tf_shapes)
} else := {e[0] | some e in _common_tf_keyed}

# The same of the baseline: _baseline_common_tf_shapes, the shapes of its
# common family's Terraforms.
_baseline_common_tf_shapes := _baseline_tf_shapes if {
	count(baseline_common_tf_facts) == count(baseline_tf_facts)
} else := {f.x | some f in baseline_common_tf_facts}

_baseline_shape_version_vars := {x: n |
	some x in _baseline_common_tf_shapes
	not x.base
	n := catalogue_versions[x.stack][x.comp].var
}

_baseline_common_tf_versions_by_shape := _given("baseline_tf_versions") if {
	_given("baseline_tf_versions")
	count(baseline_common_tf_facts) == count(baseline_tf_facts)
} else := [{"f": f, "stack": f.x.stack, "vstack": f.x.stack, "value": v, "index": i, "var": n} |
	some f in baseline_common_tf_facts
	n := _baseline_shape_version_vars[f.x]
	i := f.y.vm[n]
	v := f.vs[i].value
]

_baseline_shape_group_keys := {x: [x.stack, x.tier, x.comp, x.base] | some x in _baseline_common_tf_shapes}

_baseline_common_tf_group_keys := {k | some k in _baseline_shape_group_keys} if {
	_stacks_labelled(_baseline_common_tf_shapes)
} else := {e[0] | some e in _baseline_common_tf_keyed}

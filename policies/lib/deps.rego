# Dependencies: the spec.dependsOn entries of the Terraforms under check,
# read once for the rules that follow them (depends-on-resolves,
# runner-reachability). Part of package fluxtf.lib (lib.rego is the rest).
#
# The engine computes these values in Go while it builds the input
# (input.facts "deps", policies/facts_deps.go), when it gives the
# Terraforms' facts (tf_facts); the derivations here are the reference
# (FLUXTF_SLOW=facts, conftest, a hand-made input), which
# TestEngineFactsMatchTheLibrary holds them equal to. Given, a rule reads
# a set or a key's entries instead of every Terraform's dependsOn.
package fluxtf.lib

# dep_entries: every entry of a list spec.dependsOn of a Terraform under
# check, in the order of tf_facts and of the list:
#
#   "f": the Terraform's fact    "i": the entry's index    "d": the entry
#   "k": dep_key of the entry, or null (an entry without a name)
dep_entries := d if {
	d := _given_deps.entries
} else := [{"f": f, "i": i, "d": d, "k": _dep_key_or_null(f.ns, d)} |
	some f in tf_facts
	ds := f.spec.dependsOn
	is_array(ds)
	some i, d in ds
]

# dep_key(own, d): the key of the Terraform that the dependsOn entry d of
# a Terraform in namespace own names: its namespace (an omitted or empty
# one is own) and its name, when that is a non-empty string.
dep_key(own, d) := concat("/", ["Terraform", default_str(object.get(d, "namespace", ""), own), n]) if {
	n := d.name
	is_string(n)
	n != ""
}

_dep_key_or_null(own, d) := k if {
	k := dep_key(own, d)
} else := null

# dep_odd_entries: the entries of dep_entries that are not a plain name:
# without a key, or with a namespace field (other than false).
dep_odd_entries := d if {
	d := _given_deps.odd
} else := [e | some e in dep_entries; _odd_dep(e)]

_odd_dep(e) if e.k == null

_odd_dep(e) if {
	not e.k == null
	_ = e.d.namespace
	not e.d.namespace == false
}

# depending: the keys of the Terraforms with an entry that has a key;
# depended_on: the keys the entries name.
depending := d if {
	d := _given_deps.depending
} else := {e.f.key | some e in dep_entries; e.k != null}

depended_on := d if {
	d := _given_deps.depended_on
} else := {e.k | some e in dep_entries; e.k != null}

# dep_entries_of: key -> the entries of the Terraforms with that key (of
# every Terraform with an entry).
dep_entries_of := d if {
	d := _given_deps.of
} else := {k: [e | some e in dep_entries; e.f.key == k] | some k in {e.f.key | some e in dep_entries}}

# component_dependencies: "Terraform/<namespace>/<name>" of every entry
# with a string name, in a spec.dependsOn of any collection, of a
# Terraform under check that is not a base, in the Terraform's own
# namespace whatever the entry says (runner-reachability's reading: the
# bases components wait for).
component_dependencies := d if {
	d := _given_deps.components
} else := {concat("/", ["Terraform", f.ns, d.name]) |
	some f in tf_facts
	not f.x.base
	some d in object.get(f, ["spec", "dependsOn"], [])
}

# _given_deps: the engine's values (input.facts.deps), given with its
# Terraforms' facts only.
_given_deps := d if {
	_given("tf")
	d := _engine_facts.deps
	is_object(d)
}

# ---------------------------------------------------------------------------
# Terraforms by component.

# tf_facts_by_comp: component ("" for none) -> the facts of tf_facts with
# that component, in their order; eks_tf_facts_by_comp: the same of
# eks_tf_facts. A rule that reads the Terraforms of a few components
# (efs-min-nodes) looks them up instead of reading every Terraform.
tf_facts_by_comp := d if {
	d := _given_deps.by_comp
} else := {c: [f | some f in tf_facts; f.x.comp == c] | some c in {x.comp | some x in tf_shapes}}

eks_tf_facts_by_comp := tf_facts_by_comp if {
	_eks_all_tf
} else := {c: [f | some f in eks_tf_facts; f.x.comp == c] | some c in {x.comp | some x in eks_tf_shapes}}

# ---------------------------------------------------------------------------
# API records.

# given_base_records: api.base_terraforms as the engine builds it
# (input.facts "base_records", policies/facts_deps.go: the record of every
# base Terraform, when each is labelled with its stack); undefined
# otherwise, and api derives the records itself.
given_base_records := r if {
	_given("tf")
	r := _engine_facts.base_records
	is_array(r)
}

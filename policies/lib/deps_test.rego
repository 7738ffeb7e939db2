# The dependency values of deps.rego, derived by the library (the engine
# gives the same ones in Go: TestEngineDepsMatchTheLibrary).
package fluxtf.lib_deps_test

import data.fluxtf.lib
import data.fluxtf.test as t

deps(o, ds) := json.patch(o, [{"op": "add", "path": "/spec/dependsOn", "value": ds}])

named(o, n) := json.patch(o, [{"op": "replace", "path": "/metadata/name", "value": n}])

base := t.base("dev")

karpenter := t.karpenter("dev", "1.1.0")

odd := deps(named(karpenter, "odd"), [
	{"name": "x", "namespace": "other"}, {"name": ""}, "y",
	{"name": t.base_name("dev"), "namespace": false},
])

objs := [t.source("dev"), base, karpenter, odd]

base_key := sprintf("Terraform/%s/%s", [base.metadata.namespace, t.base_name("dev")])

test_dep_entries if {
	es := lib.dep_entries with input as t.input_of(objs)
	[[e.f.name, e.i, e.k] | some e in es] == [
		[karpenter.metadata.name, 0, base_key],
		["odd", 0, sprintf("Terraform/other/x", [])], ["odd", 1, null], ["odd", 2, null], ["odd", 3, base_key],
	]
	[[e.f.name, e.i] | some e in lib.dep_odd_entries] == [["odd", 0], ["odd", 1], ["odd", 2]] with input as t.input_of(objs)
}

test_depending_and_depended_on if {
	lib.depending == {sprintf("Terraform/%s/%s", [base.metadata.namespace, n]) | some n in [karpenter.metadata.name, "odd"]} with input as t.input_of(objs)
	lib.depended_on == {base_key, "Terraform/other/x"} with input as t.input_of(objs)
	count(lib.dep_entries_of[sprintf("Terraform/%s/odd", [base.metadata.namespace])]) == 4 with input as t.input_of(objs)
	not lib.dep_entries_of[base_key] with input as t.input_of(objs)
}

# runner-reachability's reading: the own namespace, any collection, the
# bases' entries left out
test_component_dependencies if {
	a_base := deps(base, [{"name": "z"}])
	by_map := deps(named(karpenter, "m"), {"a": {"name": "w"}})
	ds := lib.component_dependencies with input as t.input_of([a_base, karpenter, odd, by_map])
	ns := base.metadata.namespace
	ds == {base_key, sprintf("Terraform/%s/x", [ns]), sprintf("Terraform/%s/", [ns]), sprintf("Terraform/%s/w", [ns])}
}

# the Terraforms by component, of every Terraform and of the eks family's
test_tf_facts_by_comp if {
	common_only := t.with_annotations(named(t.efs("dev"), "e2"), {"fluxtf.io/policies": "common"})
	inp := t.input_of(array.concat(objs, [t.efs("dev"), common_only]))
	by := lib.tf_facts_by_comp with input as inp
	{c: [f.name | some f in fs] | some c, fs in by} == {
		"eks": [base.metadata.name], "karpenter": [karpenter.metadata.name, "odd"],
		"efs": [t.efs("dev").metadata.name, "e2"],
	}
	eks := lib.eks_tf_facts_by_comp with input as inp
	[f.name | some f in eks.efs] == [t.efs("dev").metadata.name]
	count(eks.karpenter) == 2
}

# a hand-made input gives no records: api builds them from the facts
test_given_base_records_only_from_the_engine if {
	not lib.given_base_records with input as t.input_of(objs)
	given := object.union(t.input_of(objs), {"facts": {"tf": lib.tf_facts, "base_records": ["r"]}}) with input as t.input_of(objs)
	lib.given_base_records == ["r"] with input as given
}

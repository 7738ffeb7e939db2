# METADATA
# scope: package
# title: Every dependsOn names a Terraform in the set, same namespace, no cycle
# description: >-
#   Components depend on the base stack (EKS cluster and node groups) and read
#   its outputs, so their `dependsOn` must name a Terraform that exists.
#   tf-controller waits, without an error that stands out, for a dependency
#   that is missing; it refuses a dependency in another namespace when it runs
#   with `--no-cross-namespace-refs` (the multi-tenant setting); and a cycle
#   (A waits for B, B waits for A, or A for itself) never starts at all. Each
#   `spec.dependsOn` entry must therefore name a Terraform of the validated
#   set in the Terraform's own namespace (an omitted namespace means the
#   Terraform's), and the dependency graph must have no cycle.
# custom:
#   id: depends-on-resolves
#   severity: deny
#   summary: >-
#     every `dependsOn` names a Terraform in the set, in the same namespace,
#     with no cycle
#   fix: >-
#     Point `dependsOn` at an existing Terraform in the same namespace (usually
#     the target's base, `<env>-<target>-eks`), drop the namespace field, and
#     remove the entry that closes a cycle.
package fluxtf.rules.depends_on_resolves

import data.fluxtf.lib

rule_id := "depends-on-resolves"

# The entries are read once, by the library (lib/deps.rego):
# lib.dep_entries, every spec.dependsOn entry {"f": fact, "i": index, "d":
# entry, "k": key of the Terraform it names, or null}; lib.dep_odd_entries,
# those without a key or with a namespace; lib.depending and
# lib.depended_on, the keys entries name from and to; lib.dep_entries_of,
# key -> the entries of that Terraform.

deny contains lib.result(rule_id, e.f.r, sprintf("spec.dependsOn[%d]", [e.i]), msg) if {
	some e in lib.dep_odd_entries
	e.k == null
	msg := sprintf(
		"Terraform %q has a dependsOn entry without a name; set spec.dependsOn[%d].name to the Terraform it waits for",
		[e.f.name, e.i],
	)
}

deny contains lib.result(rule_id, e.f.r, sprintf("spec.dependsOn[%d].namespace", [e.i]), msg) if {
	some e in lib.dep_odd_entries
	ns := e.d.namespace
	is_string(ns)
	ns != ""
	ns != e.f.ns
	msg := sprintf(
		"Terraform %q depends on %q in namespace %q, outside its own namespace %q; tf-controller refuses cross-namespace dependencies: move both into one namespace and drop the namespace field",
		[e.f.name, e.d.name, ns, e.f.ns],
	)
}

# missing: the keys named that name no Terraform (each key checked once;
# the index is read inline: a function call is cached by its argument, an
# entry per key).
missing := {k | some k in lib.depended_on; not lib.fact_index[k].kind == "Terraform"}

deny contains lib.result(rule_id, e.f.r, sprintf("spec.dependsOn[%d].name", [e.i]), msg) if {
	not lib.single_document
	count(missing) > 0
	some e in lib.dep_entries
	missing[e.k]
	lib.default_str(object.get(e.d, "namespace", ""), e.f.ns) == e.f.ns
	msg := sprintf(
		"Terraform %q depends on %q, but no Terraform of that name is in namespace %q; fix spec.dependsOn[%d].name or add that Terraform",
		[e.f.name, e.d.name, e.f.ns, e.i],
	)
}

# ---- cycles

# A Terraform in a cycle depends on another and another depends on it, and
# so does every Terraform on the cycle: the cycle lies in the graph of those
# Terraforms (candidates) alone, and on its edges between two of them
# (_cycle_entries): components, which nothing depends on, and bases, which
# depend on nothing, are not in it.
candidates := lib.depending & lib.depended_on

_cycle_entries := [e | some k in candidates; some e in lib.dep_entries_of[k]; candidates[e.k]]

# dependency_graph: candidate key -> keys of the candidates it depends on.
dependency_graph := {k: {e.k | some e in _cycle_entries; e.f.key == k} | some k in candidates}

deny contains lib.result(rule_id, e.f.r, sprintf("spec.dependsOn[%d].name", [e.i]), msg) if {
	some e in _cycle_entries
	e.f.key in graph.reachable(dependency_graph, {e.k})
	msg := cycle_message(e.f.r, e.d, e.f.key == e.k)
}

cycle_message(r, d, true) := sprintf(
	"Terraform %q depends on itself, so it never starts; remove %q from its dependsOn",
	[lib.name(r.obj), d.name],
)

cycle_message(r, d, false) := sprintf(
	"Terraform %q depends on %q, which depends back on it, so neither ever starts; remove the dependsOn entry that closes the cycle",
	[lib.name(r.obj), d.name],
)

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

# dep_key(own, d): the key of the Terraform that the dependsOn entry d of a
# Terraform in namespace own names.
dep_key(own, d) := lib.ref_key("Terraform", lib.default_str(object.get(d, "namespace", ""), own), d.name) if {
	is_string(d.name)
	d.name != ""
}

# _lists: [fact, spec.dependsOn] of every Terraform with a dependsOn list.
_lists := [[f, ds] | some f in lib.tf_facts; ds := f.spec.dependsOn; is_array(ds)]

# entries: every dependsOn entry of every Terraform, once:
# {"f": fact, "i": index, "d": entry, "k": dep_key or null}.
entries := [{"f": f, "i": i, "d": d, "k": _dep_key_or_null(f.ns, d)} | some [f, ds] in _lists; some i, d in ds]

_dep_key_or_null(own, d) := k if {
	k := dep_key(own, d)
} else := null

# edges: [Terraform key, dependency key] of every entry with a key. The
# usual entry has a name and no namespace: its key is the Terraform's
# namespace and that name, without a function call; only when an entry is
# otherwise are the entries read with dep_key.
_plain_edges := [[f.key, concat("/", ["Terraform", f.ns, n])] |
	some [f, ds] in _lists
	some d in ds
	not d.namespace
	n := d.name
	not n == ""
]

# all_plain: every entry has a name and no namespace (or namespace false).
all_plain if count(_plain_edges) == sum([count(ds) | some [_, ds] in _lists])

edges := _plain_edges if all_plain

else := [[e.f.key, e.k] | some e in entries; not e.k == null]

deny contains lib.result(rule_id, e.f.r, sprintf("spec.dependsOn[%d]", [e.i]), msg) if {
	not all_plain
	some e in entries
	e.k == null
	msg := sprintf(
		"Terraform %q has a dependsOn entry without a name; set spec.dependsOn[%d].name to the Terraform it waits for",
		[e.f.name, e.i],
	)
}

deny contains lib.result(rule_id, e.f.r, sprintf("spec.dependsOn[%d].namespace", [e.i]), msg) if {
	not all_plain
	some e in entries
	ns := e.d.namespace
	is_string(ns)
	ns != ""
	ns != e.f.ns
	msg := sprintf(
		"Terraform %q depends on %q in namespace %q, outside its own namespace %q; tf-controller refuses cross-namespace dependencies: move both into one namespace and drop the namespace field",
		[e.f.name, e.d.name, ns, e.f.ns],
	)
}

# depended_on: the keys of the Terraforms that entries name; missing: those
# that name no Terraform (each key checked once).
depended_on := {e[1] | some e in edges}

# (The index is read inline: a function call is cached by its argument,
# an entry per key.)
missing := {k | some k in depended_on; not lib.fact_index[k].kind == "Terraform"}

deny contains lib.result(rule_id, e.f.r, sprintf("spec.dependsOn[%d].name", [e.i]), msg) if {
	not lib.single_document
	count(missing) > 0
	some e in entries
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
# Terraforms (candidates) alone. Components, which nothing depends on, and
# bases, which depend on nothing, are not in it.
candidates := {e[0] | some e in edges} & depended_on

# dependency_graph: candidate key -> keys of the candidates it depends on.
# The edges are grouped by the Terraform they start from first: OPA indexes
# that comprehension (one pass over the edges), where looking the edges up
# anew for each candidate took time in candidates x edges (14 s on a fleet
# of 1,000 environments once some component depends on another that is
# not a base).
_deps_of := {k: tos | some k in {e[0] | some e in edges}; tos := [e[1] | some e in edges; e[0] == k]}

dependency_graph := {k: {to | some to in _deps_of[k]; candidates[to]} | some k in candidates}

deny contains lib.result(rule_id, f.r, sprintf("spec.dependsOn[%d].name", [i]), msg) if {
	count(candidates) > 0
	some [f, ds] in _lists
	own := f.key
	candidates[own]
	some i, d in ds
	dk := _edge_key(f.ns, d)
	candidates[dk]
	own in graph.reachable(dependency_graph, {dk})
	msg := cycle_message(f.r, d, own == dk)
}

# _edge_key(own, d): _dep_key_or_null(own, d), as _plain_edges spells it
# out when every entry is plain (fewer calls per entry).
_edge_key(own, d) := concat("/", ["Terraform", own, d.name]) if {
	all_plain
} else := _dep_key_or_null(own, d)

cycle_message(r, d, true) := sprintf(
	"Terraform %q depends on itself, so it never starts; remove %q from its dependsOn",
	[lib.name(r.obj), d.name],
)

cycle_message(r, d, false) := sprintf(
	"Terraform %q depends on %q, which depends back on it, so neither ever starts; remove the dependsOn entry that closes the cycle",
	[lib.name(r.obj), d.name],
)

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
#   fix: >-
#     Point `dependsOn` at an existing Terraform in the same namespace (usually
#     the target's base, `<env>-<target>-eks`), drop the namespace field, and
#     remove the entry that closes a cycle.
package fluxtf.rules.depends_on_resolves

import data.fluxtf.lib

rule_id := "depends-on-resolves"

deps(o) := d if {
	d := o.spec.dependsOn
	is_array(d)
} else := []

# dep_key: the key of the Terraform a dependsOn entry names.
dep_key(o, d) := lib.ref_key("Terraform", lib.default_str(object.get(d, "namespace", ""), lib.namespace(o)), d.name) if {
	is_string(d.name)
	d.name != ""
}

deny contains lib.result(rule_id, r, sprintf("spec.dependsOn[%d]", [i]), msg) if {
	some r in lib.terraforms
	some i, d in deps(r.obj)
	not dep_key(r.obj, d)
	msg := sprintf(
		"Terraform %q has a dependsOn entry without a name; set spec.dependsOn[%d].name to the Terraform it waits for",
		[lib.name(r.obj), i],
	)
}

deny contains lib.result(rule_id, r, sprintf("spec.dependsOn[%d].namespace", [i]), msg) if {
	some r in lib.terraforms
	some i, d in deps(r.obj)
	ns := d.namespace
	is_string(ns)
	ns != ""
	ns != lib.namespace(r.obj)
	msg := sprintf(
		"Terraform %q depends on %q in namespace %q, outside its own namespace %q; tf-controller refuses cross-namespace dependencies: move both into one namespace and drop the namespace field",
		[lib.name(r.obj), d.name, ns, lib.namespace(r.obj)],
	)
}

deny contains lib.result(rule_id, r, sprintf("spec.dependsOn[%d].name", [i]), msg) if {
	not lib.single_document
	some r in lib.terraforms
	some i, d in deps(r.obj)
	k := dep_key(r.obj, d)
	same_namespace(r.obj, d)
	not is_terraform(k)
	msg := sprintf(
		"Terraform %q depends on %q, but no Terraform of that name is in namespace %q; fix spec.dependsOn[%d].name or add that Terraform",
		[lib.name(r.obj), d.name, lib.namespace(r.obj), i],
	)
}

same_namespace(o, d) if lib.default_str(object.get(d, "namespace", ""), lib.namespace(o)) == lib.namespace(o)

is_terraform(k) if lib.kind(lib.index[k].obj) == "Terraform"

# ---- cycles

# dependency_graph: Terraform key -> keys of the Terraforms it depends on
# (only Terraforms with dependencies are nodes; the others end a path). The
# outer keys come from the edges themselves: comprehension indexing falls
# back to a full scan for a key without matches.
_edges := {[lib.key(r.obj), dk] | some r in lib.terraforms; some d in deps(r.obj); dk := dep_key(r.obj, d)}

_dependents := {e[0] | some e in _edges}

_depended_on := {e[1] | some e in _edges}

dependency_graph := {k: ds |
	some k in _dependents
	ds := {e[1] | some e in _edges; e[0] == k}
}

deny contains lib.result(rule_id, r, sprintf("spec.dependsOn[%d].name", [i]), msg) if {
	some r in lib.terraforms
	own := lib.key(r.obj)

	# Only a Terraform that others depend on can be in a cycle: components,
	# which nothing depends on, skip the reachability walk.
	own in _depended_on
	some i, d in deps(r.obj)
	dk := dep_key(r.obj, d)
	own in graph.reachable(dependency_graph, {dk})
	msg := cycle_message(r, d, own == dk)
}

cycle_message(r, d, true) := sprintf(
	"Terraform %q depends on itself, so it never starts; remove %q from its dependsOn",
	[lib.name(r.obj), d.name],
)

cycle_message(r, d, false) := sprintf(
	"Terraform %q depends on %q, which depends back on it, so neither ever starts; remove the dependsOn entry that closes the cycle",
	[lib.name(r.obj), d.name],
)

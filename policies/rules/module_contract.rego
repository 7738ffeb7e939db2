# METADATA
# scope: package
# title: Terraforms of a stack keep to their module's contract
# description: >-
#   The stack catalogue (templates/stacks/<stack>.yaml) declares every
#   module's contract: its inputs (name, Terraform type, required) and its
#   outputs (name, type); fluxtf renders only what it declares, and this rule
#   holds hand-written Terraforms of a catalogue module (matched by
#   spec.path) to the same contract (lib/catalogue.rego, generated from the
#   catalogue). Denied: a variable (in spec.vars, or a varsKeys entry's
#   target) the module does not declare, which terraform ignores with a
#   warning; a required input that neither spec.vars nor a varsKeys entry
#   sets (not checked when a varsFrom without varsKeys, tfVarsFiles or
#   values may set it), which fails the plan; a varsKeys entry reading a
#   key the Secret's writer (a Terraform of the set with that
#   writeOutputsToSecret) does not write, which tf-controller passes as an
#   empty string (runner/server_generate_tf_vars.go); a varsFrom into an
#   input whose type is not string, because tf-controller passes every
#   varsFrom value as a string and a list arrives as its JSON text
#   ("list of string required"); and a writeOutputsToSecret output the
#   module does not have, which fails the run
#   (controllers/tf_controller_outputs.go).
# custom:
#   id: module-contract
#   severity: deny
#   summary: >-
#     a Terraform of a catalogue module (`spec.path`, e.g.
#     `./jeppesen-eks/modules/efs`) keeps to the module's contract in
#     `templates/stacks/<stack>.yaml` (copied into
#     `policies/lib/catalogue.rego`): every variable (`spec.vars`, or the
#     target of a `varsKeys` entry) is a declared input; every required input
#     is set (unless an unkeyed `varsFrom`, `tfVarsFiles` or `values` may set
#     it); a `varsKeys` key is one the Secret's writer in the set lists in
#     `writeOutputsToSecret` (tf-controller passes a missing key as an empty
#     string); `varsFrom` feeds only `string` inputs (tf-controller passes
#     every value as a string); `writeOutputsToSecret` lists only the
#     module's outputs (a missing one fails the run)
#   fix: >-
#     Pass only the module's declared inputs and set every required one
#     (`fluxtf components` lists the modules; the catalogue has their
#     inputs); read through varsFrom only the outputs the producer lists in
#     writeOutputsToSecret, and only into string inputs: a module reading a
#     list output declares the variable as string and jsondecodes it.
package fluxtf.rules.module_contract

import data.fluxtf.catalogue
import data.fluxtf.lib

rule_id := "module-contract"

_spec(f) := s if {
	s := f.spec
	is_object(s)
} else := {}

_array(x) := x if is_array(x) else := []

# _module(f): the contract of the catalogue module Terraform fact f deploys.
_module(f) := m if {
	p := object.get(_spec(f), "path", "")
	is_string(p)
	m := catalogue.modules[lib.module_key(p)]
}

# Cost: the checks below read a Terraform's vars, varsFrom and outputs,
# hundreds of evaluation steps for each, and a rendered fleet's Terraforms
# differ little in what they read: so they run on one Terraform of each
# shape (lib.tf_contract_shapes: its path, vars, varsFrom less the Secret
# names but with the keys each Secret's writer writes, tfVarsFiles, values
# and outputs, computed by the engine while it builds the input), and on
# every Terraform of a shape only when that one breaks the contract
# (lib.tf_contract_shape_firsts: each shape's first Terraform). A
# Terraform read on the facts' slow path is its own shape.
_shaped := lib.tf_contract_shapes

_broken_shapes := {sh |
	some sh, f in lib.tf_contract_shape_firsts
	_breaks(f, _module(f))
}

# _contracted: [fact, module] of the Terraforms of a catalogue module that
# may break its contract (of a broken shape).
_contracted := [[f, m] |
	count(_broken_shapes) > 0
	some [sh, f] in _shaped
	sh in _broken_shapes
	m := _module(f)
]

_breaks(f, m) if _undeclared_vars(f, m) != []

_breaks(f, m) if _undeclared_reads(f, m) != []

_breaks(f, m) if _string_reads(f, m) != []

_breaks(f, m) if _missing_inputs(f, m) != []

_breaks(f, _) if _unwritten_reads(f) != []

_breaks(f, m) if _unknown_outputs(f, m) != []

# _reads(f): [i, j, key, variable] of every varsKeys entry of a Secret.
_reads(f) := [[i, j, p[0], p[1]] |
	some i, vf in _array(object.get(_spec(f), "varsFrom", []))
	is_object(vf)
	object.get(vf, "kind", "") == "Secret"
	some j, k in _array(object.get(vf, "varsKeys", []))
	is_string(k)
	p := lib.key_pair(k)
]

_in_list(m) := concat(", ", sort(object.keys(m.inputs)))

# _undeclared_vars(f, m): [index, name] of the vars of f that module m
# does not declare.
_undeclared_vars(f, m) := [[i, n] |
	some i, e in _array(object.get(_spec(f), "vars", []))
	n := object.get(e, "name", "")
	is_string(n)
	not m.inputs[n]
]

deny contains lib.result(rule_id, f.r, sprintf("spec.vars[%d].name", [i]), msg) if {
	some [f, m] in _contracted
	some [i, n] in _undeclared_vars(f, m)
	msg := sprintf(
		"Terraform %q sets variable %q, which module %s of stack %s does not declare: terraform ignores it with a warning; remove it or use one of its inputs (%s)",
		[f.name, n, m.name, m.stack, _in_list(m)],
	)
}

# _undeclared_reads(f, m): the varsKeys entries (_reads) of f into a
# variable module m does not declare.
_undeclared_reads(f, m) := [r | some r in _reads(f); not m.inputs[r[3]]]

deny contains lib.result(rule_id, f.r, sprintf("spec.varsFrom[%d].varsKeys[%d]", [r[0], r[1]]), msg) if {
	some [f, m] in _contracted
	some r in _undeclared_reads(f, m)
	msg := sprintf(
		"Terraform %q reads %q into variable %q, which module %s of stack %s does not declare: terraform ignores it with a warning; read only its inputs (%s)",
		[f.name, r[2], r[3], m.name, m.stack, _in_list(m)],
	)
}

# _string_reads(f, m): [entry (_reads), type] of the varsKeys entries of
# f into an input of module m that is not a string.
_string_reads(f, m) := [[r, t] |
	some r in _reads(f)
	t := m.inputs[r[3]].type
	t != "string"
]

deny contains lib.result(rule_id, f.r, sprintf("spec.varsFrom[%d].varsKeys[%d]", [r[0], r[1]]), msg) if {
	some [f, m] in _contracted
	some [r, t] in _string_reads(f, m)
	msg := sprintf(
		"Terraform %q reads %q through varsFrom into %s, an input of type %s: tf-controller hands every varsFrom value over as a string (a list as its JSON text), so the plan fails; declare the input a string in the module and jsondecode it",
		[f.name, r[2], r[3], t],
	)
}

# _opaque(f): something may set variables the rule cannot see.
_opaque(f) if {
	some vf in _array(object.get(_spec(f), "varsFrom", []))
	not is_array(object.get(vf, "varsKeys", null))
}

_opaque(f) if {
	some vf in _array(object.get(_spec(f), "varsFrom", []))
	object.get(vf, "kind", "") != "Secret"
}

_opaque(f) if count(_array(object.get(_spec(f), "tfVarsFiles", []))) > 0

_opaque(f) if object.get(_spec(f), "values", null) != null

_set(f) := {n | some e in _array(object.get(_spec(f), "vars", [])); n := object.get(e, "name", "")} | {r[3] | some r in _reads(f)}

# _missing_inputs(f, m): the required inputs of module m that f sets
# neither in spec.vars nor through varsKeys, sorted (none when something
# may set variables the rule cannot see).
_missing_inputs(f, m) := [] if {
	_opaque(f)
} else := missing if {
	set := _set(f)
	missing := sort([n | some n, spec in m.inputs; spec.required; not n in set])
}

deny contains lib.result(rule_id, f.r, "spec.vars", msg) if {
	some [f, m] in _contracted
	missing := _missing_inputs(f, m)
	count(missing) > 0
	msg := sprintf(
		"Terraform %q does not set the required input(s) %s of module %s of stack %s: the plan fails (No value for required variable); set them in spec.vars or read them through varsFrom",
		[f.name, concat(", ", missing), m.name, m.stack],
	)
}

# _writes(ks, k): a writer writing the keys ks writes key k (or its
# type, k__type, beside an output it writes).
_writes(ks, k) if k in ks

_writes(ks, k) if {
	endswith(k, "__type")
	trim_suffix(k, "__type") in ks
}

# _unwritten_reads(f): [entry (_reads), Secret name, writer] of the
# varsKeys entries of f reading a key the Secret's writer does not write.
_unwritten_reads(f) := [[r, vf.name, w] |
	some r in _reads(f)
	vf := _spec(f).varsFrom[r[0]]
	w := lib.secret_writers[sprintf("%s/%s", [f.ns, vf.name])]
	not _writes(w[2], r[2])
]

deny contains lib.result(rule_id, f.r, sprintf("spec.varsFrom[%d].varsKeys[%d]", [r[0], r[1]]), msg) if {
	some [f, _] in _contracted
	some [r, name, w] in _unwritten_reads(f)
	msg := sprintf(
		"Terraform %q reads key %q of Secret %q, which Terraform %q does not write (its writeOutputsToSecret: %s): tf-controller passes an empty string; read one of those keys or add the output there",
		[f.name, r[2], name, w[1], concat(", ", sort(w[2]))],
	)
}

# _unknown_outputs(f, m): [index, output] of the writeOutputsToSecret
# outputs of f that module m does not have.
_unknown_outputs(f, m) := [[j, n] |
	some j, o in _array(object.get(object.get(_spec(f), "writeOutputsToSecret", {}), "outputs", []))
	is_string(o)
	n := lib.key_pair(o)[0]
	not m.outputs[n]
]

deny contains lib.result(rule_id, f.r, sprintf("spec.writeOutputsToSecret.outputs[%d]", [j]), msg) if {
	some [f, m] in _contracted
	some [j, n] in _unknown_outputs(f, m)
	msg := sprintf(
		"Terraform %q writes output %q to its Secret, which module %s of stack %s does not have: tf-controller fails the run (output not found); list only its outputs (%s)",
		[f.name, n, m.name, m.stack, concat(", ", sort(object.keys(m.outputs)))],
	)
}

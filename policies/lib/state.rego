# What the Terraforms under check say of their state and of the Secrets
# they pass outputs through: the facts the rules state-key-unique and
# module-contract read of every Terraform, part of package fluxtf.lib.
# The engine computes them in Go while it builds the input
# (input.facts.tf_state_keys, tf_contract_shapes, secret_writers;
# policies/facts_state.go) when it gave the Terraforms' facts (tf); the
# derivations here are the reference (FLUXTF_SLOW=facts, conftest, a
# hand-made input), which TestEngineStateFactsMatchTheLibrary holds them
# equal to.
package fluxtf.lib

import data.fluxtf.catalogue

# tf_state_keys: [state key, fact] of every Terraform (tf_facts, in order)
# whose state key can be told (state_key).
tf_state_keys := _given("tf_state_keys") if {
	_given("tf_state_keys")
} else := [[k, f] | some f in tf_facts; k := state_key(f)]

# state_key(f): where the Terraform of fact f keeps its state, read as
# tf-controller writes its backend (controllers/tf_controller_backend.go);
# undefined when that cannot be told (the backend disabled, another
# backend type):
#
#   - a customConfiguration (a non-empty string): the backend block's type
#     and location attributes (s3: bucket and key, and in a workspace other
#     than "default" the object key the s3 backend writes,
#     <workspace_key_prefix, "env:" when unset>/<workspace>/<key>; gcs:
#     bucket and prefix; azurerm: storage_account_name, container_name and
#     key);
#   - none (absent or ""): the kubernetes backend in the object's namespace,
#     with its secretSuffix (the name when unset);
#
# each with the workspace ("default" when unset). (Cost: the fact is read
# with refs, undefined where object.get would give its default, rather
# than through helper functions: every function call allocates its
# bindings.)
state_key(f) := k if {
	b := f.spec.backendConfig
	cfg := b.customConfiguration
	is_string(cfg)
	cfg != ""
	not b.disable == true
	a := _backend_attrs(cfg)
	t := a.backend
	w := _workspace(f.spec)
	k := sprintf("%s://%s (workspace %s)", [t, _backend_location(t, a, w), w])
} else := k if {
	not _custom_backend(f)
	not f.spec.backendConfig.disable == true
	k := sprintf("kubernetes://%s/%s (workspace %s)", [f.ns, _secret_suffix(f), _workspace(f.spec)])
}

# _backend_attrs(cfg): the backend type (under "backend") and the quoted
# values of the location attributes of a backend block, read in one pass;
# undefined when the block gives one attribute two values (terraform
# refuses it: "Attribute redefined"), so that such a block has no state key.
_backend_attrs(cfg) := {m[1]: m[2] | some m in ms} if {
	ms := regex.find_all_string_submatch_n(`(?m)^\s*(backend|bucket|key|prefix|storage_account_name|container_name|workspace_key_prefix)\s*=?\s*"([^"]*)"`, cfg, -1)
	count({m[1] | some m in ms}) == count({[m[1], m[2]] | some m in ms})
}

# _backend_location(t, a, w): where a backend of type t with attributes a
# keeps the state of workspace w. The s3 backend keeps a workspace other
# than "default" at <workspace_key_prefix>/<workspace>/<key> ("env:" when
# workspace_key_prefix is unset), so that two objects of one bucket and
# key in one workspace but of different prefixes do not share a state.
_backend_location("s3", a, "default") := concat("/", [object.get(a, "bucket", ""), object.get(a, "key", "")])

_backend_location("s3", a, w) := concat("/", [object.get(a, "bucket", ""), object.get(a, "workspace_key_prefix", "env:"), w, object.get(a, "key", "")]) if {
	w != "default"
}

_backend_location("gcs", a, _) := concat("/", [object.get(a, "bucket", ""), object.get(a, "prefix", "")])

_backend_location("azurerm", a, _) := concat("/", [object.get(a, "storage_account_name", ""), object.get(a, "container_name", ""), object.get(a, "key", "")])

_workspace(spec) := w if {
	w := spec.workspace
	is_string(w)
	w != ""
} else := "default"

# _custom_backend(f): spec.backendConfig.customConfiguration is set (not
# ""). (A rule, so that its negation is true where the field is absent.)
_custom_backend(f) if f.spec.backendConfig.customConfiguration != ""

# _secret_suffix(f): spec.backendConfig.secretSuffix when it is a
# non-empty string, else the name.
_secret_suffix(f) := s if {
	s := f.spec.backendConfig.secretSuffix
	is_string(s)
	s != ""
} else := f.name

# tf_contract_shapes: [shape, fact] of every Terraform (tf_facts, in
# order). The shape of a fact is what module-contract's checks read of it,
# so that they run on one Terraform of each shape: for a fact of the fast
# path (its vars all named objects, f.y.n) whose varsFrom is a list of
# objects each with a kind, varsKeys and a Secret some Terraform of the
# set writes (secret_writers), its spec's path, tfVarsFiles, values and
# writeOutputsToSecret.outputs as written, its var layout (f.y) and, for
# each varsFrom entry, its kind, varsKeys and the keys its Secret's writer
# writes (not the Secret's name); for any other, the fact itself.
tf_contract_shapes := _given("tf_contract_shapes") if {
	_given("tf_contract_shapes")
} else := [[_contract_shape(f), f] | some f in tf_facts]

_contract_shape(f) := [json.filter(s, ["path", "tfVarsFiles", "values", "writeOutputsToSecret/outputs"]), f.y, vshape] if {
	_ = f.y.n
	s := f.spec
	vfs := object.get(s, "varsFrom", [])
	is_array(vfs)
	vshape := [[vf.kind, vf.varsKeys, secret_writers[concat("/", [f.ns, vf.name])][2]] | some vf in vfs]
	count(vshape) == count(vfs)
} else := f

# secret_writers: namespace/name of a Secret -> [namespace/name, name of
# the Terraform writing it, the keys it writes] of every
# writeOutputsToSecret whose keys are known: the outputs it lists (their
# aliases), or with none listed every output of its module's contract.
# When two Terraforms write one Secret, the first of tf_facts stands.
secret_writers := w if {
	w := _engine_facts.secret_writers
	is_object(w)
} else := {w[0]: w | some w in _writers} if {
	count(_secrets) == count(_writers)
} else := {k: w |
	some k in _secrets
	w := [v | some v in _writers; v[0] == k][0]
}

_writers := [[concat("/", [f.ns, n]), f.name, ks] |
	some f in tf_facts
	w := f.spec.writeOutputsToSecret
	is_object(w)
	n := w.name
	is_string(n)
	ks := _written(object.get(w, "outputs", []), object.get(f.spec, "path", ""))
]

_secrets := {w[0] | some w in _writers}

# _written(outputs, p): the keys a writeOutputsToSecret listing outputs
# writes, of a Terraform of spec.path p: a function of values that the
# Terraforms of one component share, so that it runs once per component.
_written(outputs, p) := {key_pair(o)[1] | some o in outputs; is_string(o)} if {
	count(_a(outputs)) > 0
} else := object.keys(m.outputs) if {
	is_string(p)
	m := catalogue.modules[module_key(p)]
}

# key_pair(k): [Secret key, variable] of a varsKeys entry "key" or
# "key:var" (and [output, key] of a writeOutputsToSecret output
# "output:key").
key_pair(k) := [parts[0], parts[1]] if {
	parts := split(k, ":")
	count(parts) == 2
} else := [k, k]

# module_key(p): the key of catalogue.modules for a Terraform's spec.path
# (no leading "./" nor trailing "/").
module_key(p) := trim_suffix(trim_prefix(p, "./"), "/")

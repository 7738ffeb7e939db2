# Summaries of the Terraforms' and GitRepositories' facts that single
# rules read, each a walk over every object the rule made itself: the
# source keys (source-ref-resolves), the state keys (state-key-unique),
# the distinct component versions (release-order), the account ids
# (account-by-tier), whether every name is valid (names-valid), the bases
# by a var's value and the component versions beside their bases'
# Kubernetes version (efs-min-nodes, runner-reachability,
# component-compatibility), the bases runner-reachability warns about;
# part of package fluxtf.lib. The engine computes them in Go while it
# builds the input (input.facts, policies/facts_summaries.go,
# facts_compat.go, facts_reach.go) with the facts
# they are made of; the derivations here are the reference
# (FLUXTF_SLOW=facts, conftest, a hand-made input), which
# TestEngineSummariesMatchTheLibrary holds them equal to.
package fluxtf.lib

# tf_source_keys: the distinct keys of the Terraforms' sources (f.src.key;
# none for a Terraform without a sourceRef).
tf_source_keys := _given_set("tf_source_keys") if {
	_given("tf")
	_given_set("tf_source_keys")
} else := {f.src.key | some f in tf_facts}

# tf_state_key_set: the distinct state keys of tf_state_keys;
# tf_state_key_names: [state key, name] of each of them, in order.
tf_state_key_set := _given_set("tf_state_key_set") if {
	_given("tf_state_keys")
	_given_set("tf_state_key_set")
} else := {p[0] | some p in tf_state_keys}

tf_state_key_names := _given("tf_state_key_names") if {
	_given("tf_state_keys")
	_given("tf_state_key_names")
} else := [[p[0], p[1].name] | some p in tf_state_keys]

# common_tf_version_keys: the distinct [stack, tier, component, version]
# of common_tf_versions with a stack and a tier;
# baseline_common_tf_version_keys: the same of the baseline.
common_tf_version_keys := _given_set("tf_version_keys") if {
	_versions_given
	_given_set("tf_version_keys")
} else := _version_keys(common_tf_versions)

baseline_common_tf_version_keys := _given_set("baseline_tf_version_keys") if {
	_baseline_versions_given
	_given_set("baseline_tf_version_keys")
} else := _version_keys(baseline_common_tf_versions)

_version_keys(vs) := {e |
	some e in {[v.stack, v.f.x.tier, v.f.x.comp, v.value] | some v in vs}
	e[0] != ""
	e[1] != ""
}

# _versions_given: common_tf_versions is the engine's tf_versions (the
# conditions of _common_tf_versions_by_shape and common_tf_versions).
_versions_given if {
	_given("tf_versions")
	count(common_tf_facts) == count(tf_facts)
	_versions_by_shape(common_tf_shapes)
}

_baseline_versions_given if {
	_given("baseline_tf_versions")
	count(baseline_common_tf_facts) == count(baseline_tf_facts)
	_versions_by_shape(_baseline_common_tf_shapes)
}

# common_tf_account_ids: the distinct [account_id value, tier] of the
# common family's Terraforms that set account_id inline.
common_tf_account_ids := _given_set("tf_account_ids") if {
	_given("tf")
	_given_set("tf_account_ids")
	count(common_tf_facts) == count(tf_facts)
} else := {[f.vs[i].value, f.x.tier] | some f in common_tf_facts; i := f.y.vm.account_id}

# names_valid_pattern: a DNS-1123 label of at most 63 characters.
names_valid_pattern := `^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`

# names_all_valid: the Terraforms and GitRepositories have names and
# every one matches names_valid_pattern, told by one match of the
# pattern repeated over the names joined by newlines (which no valid name
# has; a name with one splits into more parts than there are names):
# matching the names one by one costs a regex.match each.
names_all_valid if {
	_given("tf")
	_given("git")
	_engine_facts.names_valid == true
}

names_all_valid if {
	not _given_names_valid
	names := [f.name | some f in array.concat(tf_facts, git_facts)]
	joined := concat("\n", names)
	count(split(joined, "\n")) == count(names)
	regex.match(_valid_names, joined)
}

_given_names_valid if {
	_given("tf")
	_given("git")
	is_boolean(_engine_facts.names_valid)
}

_valid_label := trim_suffix(trim_prefix(names_valid_pattern, "^"), "$")

_valid_names := concat("", ["^", _valid_label, "(\n", _valid_label, ")*$"])

# tf_spec_values: the distinct [tier, field, value] of the Terraforms'
# spec fields approvePlan, force and destroyResourcesOnDeletion (those
# set), so that a rule can see once whether any Terraform of a tier sets
# one to a value it looks for (prod-safeguards, approve-plan-valid).
tf_spec_values := _given_set("tf_spec_values") if {
	_given("tf")
	_given_set("tf_spec_values")
} else := {[f.x.tier, k, v] | some f in tf_facts; some k in _spec_fields; v := f.spec[k]}

_spec_fields := ["approvePlan", "force", "destroyResourcesOnDeletion"]

# tf_custom_backend_missing_tiers: the tiers of the Terraforms without a
# spec.backendConfig.customConfiguration (absent or "") (state-backend).
tf_custom_backend_missing_tiers := _given_set("tf_custom_backend_missing_tiers") if {
	_given("tf")
	_given_set("tf_custom_backend_missing_tiers")
} else := {f.x.tier | some f in tf_facts; object.get(f, ["spec", "backendConfig", "customConfiguration"], "") == ""}

# tf_contract_shape_firsts: each distinct contract shape of
# tf_contract_shapes -> the first Terraform of that shape (module-contract
# checks one Terraform of each shape).
tf_contract_shape_firsts := _given_object("tf_contract_shape_firsts") if {
	_given("tf_contract_shapes")
	_given_object("tf_contract_shape_firsts")
} else := {sh: f |
	some sh in {p[0] | some p in tf_contract_shapes}
	f := [g | some [x, g] in tf_contract_shapes; x == sh][0]
}

# common_tf_version_values: the distinct values of common_tf_versions
# (component-version-pinned judges each once).
common_tf_version_values := _given_set("tf_version_values") if {
	_versions_given
	_given_set("tf_version_values")
} else := {v.value | some v in common_tf_versions}

# tf_spec_keys: the distinct keys of the Terraforms' specs of those a
# rule looks for only in some Terraforms (no-inline-secrets: a runner pod
# template, a Terraform Cloud block).
tf_spec_keys := _given_set("tf_spec_keys") if {
	_given("tf")
	_given_set("tf_spec_keys")
} else := {k | some f in tf_facts; some k in _spec_keys; _ = f.spec[k]}

_spec_keys := ["runnerPodTemplate", "cloud"]

# eks_bases_by_os: the value of the last os var (inline) of the eks
# family's base Terraforms -> their facts, in order (os-supported reads
# the bases of the few values it does not take as they are).
eks_bases_by_os := _given_object("base_by_os") if {
	_given("base_facts")
	_given_object("base_by_os")
	_eks_all_tf
} else := {os: fs |
	some os in {p[1] | some p in eks_base_oses}
	fs := [f | some f in eks_base_facts; i := f.y.vm.os; f.vs[i].value == os]
}

# eks_version_k8s: the component versions of the eks family
# (eks_tf_versions) beside the Kubernetes version (the inline value of the
# last kubernetes_version var) of each base Terraform of the same source
# key and target, grouped by what a rule judges of them: [version stack,
# component, version, kubernetes_version] -> the set of [version entry,
# base fact, index of the base's kubernetes_version var]
# (component-compatibility judges each group once, and reads its pairs
# only when it fires).
eks_version_k8s := _given_object("version_k8s") if {
	_versions_given
	_eks_all_tf
	_given_object("version_k8s")
} else := {key: ps |
	some key in {p.key | some p in _eks_version_k8s}
	ps := {p.v | some p in _eks_version_k8s; p.key == key}
}

_eks_version_k8s := [{"key": [e.vstack, e.f.x.comp, e.value, b.v], "v": [e, b.f, b.i]} |
	some e in eks_tf_versions
	sk := e.f.src.key
	tg := e.f.x.target
	some b in _eks_k8s_bases_at[[sk, tg]]
]

# _eks_k8s_bases_at: [source key, target] -> {"f", "i", "v"} of the eks
# base Terraforms there with an inline kubernetes_version (index i, value v).
_eks_k8s_bases_at := {[sk, tg]: bs |
	some x in _eks_k8s_bases
	sk := x.sk
	tg := x.tg
	bs := [y.b | some y in _eks_k8s_bases; y.sk == sk; y.tg == tg]
}

_eks_k8s_bases := [{"sk": f.src.key, "tg": f.x.target, "b": {"f": f, "i": i, "v": v}} |
	some f in eks_base_facts
	i := f.y.vm.kubernetes_version
	v := f.vs[i].value
]

# eks_bases_by_node_groups: the value of the last node_groups var (inline)
# of the eks family's base Terraforms -> their facts, in order
# (efs-min-nodes judges each value once, and reads the EFS Terraforms only
# when one falls short).
eks_bases_by_node_groups := _given_object("base_by_node_groups") if {
	_given("base_facts")
	_given_object("base_by_node_groups")
	_eks_all_tf
} else := {v: fs |
	some v in {x.v | some x in _eks_base_node_groups}
	fs := [x.f | some x in _eks_base_node_groups; x.v == v]
}

_eks_base_node_groups := [{"v": v, "f": f} |
	some f in eks_base_facts
	i := f.y.vm.node_groups
	v := f.vs[i].value
]

# eks_bases_by_endpoint_access: the same of the last
# cluster_endpoint_public_access var (runner-reachability reads the bases
# of each of its two values).
eks_bases_by_endpoint_access := _given_object("base_by_endpoint_access") if {
	_given("base_facts")
	_given_object("base_by_endpoint_access")
	_eks_all_tf
} else := {v: fs |
	some v in {x.v | some x in _eks_base_endpoint_access}
	fs := [x.f | some x in _eks_base_endpoint_access; x.v == v]
}

_eks_base_endpoint_access := [{"v": v, "f": f} |
	some f in eks_base_facts
	i := f.y.vm.cluster_endpoint_public_access
	v := f.vs[i].value
]

# eks_unreached_bases: the facts, in order, of the bases of
# eks_bases_by_endpoint_access[false] (a private API endpoint) that
# components depend on (component_dependencies) and whose object has no
# annotation fluxtf.io/runner-access (runner_access_annotation) with more
# than white space: the bases runner-reachability warns about (the engine
# picks them, policies/facts_reach.go).
eks_unreached_bases := _given("base_unreached") if {
	_given("base_facts")
	_given("base_unreached")
	_eks_all_tf
} else := [f |
	some f in object.get(eks_bases_by_endpoint_access, false, [])
	component_dependencies[f.key]
	not _runner_annotated(f)
]

runner_access_annotation := "fluxtf.io/runner-access"

# _runner_annotated(f): base f has a non-empty runner_access_annotation
# (annotation spelt out; asked only of the bases that would warn).
_runner_annotated(f) if {
	a := f.r.obj.metadata.annotations[runner_access_annotation]
	is_string(a)
	trim_space(a) != ""
}

package fluxtf.rules.source_ref_resolves_test

import data.fluxtf.rules.source_ref_resolves as rule
import data.fluxtf.test as t

test_clean_env_passes if {
	count(rule.deny) == 0 with input as t.input_of(t.env("uat"))
}

test_unresolved_source_ref_denied if {
	tf := json.patch(t.base("uat"), [{"op": "replace", "path": "/spec/sourceRef/name", "value": "jeppesen-eks-uta"}])
	res := rule.deny with input as t.input_of([t.source("uat"), tf])
	count(res) == 1
	some x in res
	x.field == "spec.sourceRef.name"
	x.kind == "Terraform"
	contains(x.msg, "jeppesen-eks-uta")
	contains(x.msg, "in namespace \"flux-system\"")
}

test_unresolved_source_ref_without_namespace_names_none if {
	tf := json.patch(t.base("uat"), [
		{"op": "remove", "path": "/metadata/namespace"},
		{"op": "remove", "path": "/spec/sourceRef/namespace"},
		{"op": "replace", "path": "/spec/sourceRef/name", "value": "jeppesen-eks-uta"},
	])
	res := rule.deny with input as t.input_of([t.source("uat"), tf])
	count(res) == 1
	some x in res
	endswith(split(x.msg, ",")[0], "uses GitRepository \"jeppesen-eks-uta\" as its source")
	not contains(x.msg, "namespace")
}

test_source_ref_namespace_defaults_to_terraforms if {
	tf := json.patch(t.base("uat"), [{"op": "remove", "path": "/spec/sourceRef/namespace"}])
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), tf])

	# In another namespace the default no longer finds the source.
	tf2 := json.patch(tf, [{"op": "replace", "path": "/metadata/namespace", "value": "infra"}])
	t.fields(rule.deny) == {"spec.sourceRef.name"} with input as t.input_of([t.source("uat"), tf2])
}

test_missing_namespaces_match_each_other if {
	g := json.patch(t.source("uat"), [{"op": "remove", "path": "/metadata/namespace"}])
	tf := json.patch(t.base("uat"), [
		{"op": "remove", "path": "/metadata/namespace"},
		{"op": "remove", "path": "/spec/sourceRef/namespace"},
	])
	count(rule.deny) == 0 with input as t.input_of([g, tf])
}

test_source_ref_kind_matters if {
	tf := json.patch(t.base("uat"), [{"op": "replace", "path": "/spec/sourceRef/kind", "value": "OCIRepository"}])
	t.fields(rule.deny) == {"spec.sourceRef.name"} with input as t.input_of([t.source("uat"), tf])
}

test_missing_source_ref_denied if {
	tf := json.patch(t.base("uat"), [{"op": "remove", "path": "/spec/sourceRef"}])
	t.fields(rule.deny) == {"spec"} with input as t.input_of([t.source("uat"), tf])
}

test_single_document_skips_resolution if {
	count(rule.deny) == 0 with input as t.base("uat")
}

# Any Terraform, of the stack or not: a dangling source is never planned.
test_other_teams_terraform_checked if {
	tf := {
		"apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform",
		"metadata": {"name": "dns", "namespace": "team-a"},
		"spec": {"approvePlan": "auto", "interval": "10m", "path": "./terraform/dns", "sourceRef": {"kind": "GitRepository", "name": "team-a-infra"}},
	}
	res := rule.deny with input as t.input_of([tf])
	t.fields(res) == {"spec.sourceRef.name"}
	some x in res
	x.rule == "source-ref-resolves"
	t.rules_fired == {"source-ref-resolves"} with input as t.input_of([tf])
}

test_other_source_kinds_resolve if {
	o := {"apiVersion": "source.toolkit.fluxcd.io/v1beta2", "kind": "OCIRepository", "metadata": {"name": "helloworld-oci", "namespace": "flux-system"}}
	tf := json.patch(t.base("uat"), [
		{"op": "replace", "path": "/spec/sourceRef/kind", "value": "OCIRepository"},
		{"op": "replace", "path": "/spec/sourceRef/name", "value": "helloworld-oci"},
	])
	count(rule.deny) == 0 with input as t.input_of([o, tf])
}

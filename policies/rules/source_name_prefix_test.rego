package fluxtf.rules.source_name_prefix_test

import data.fluxtf.rules.source_name_prefix as rule
import data.fluxtf.test as t

renamed(name) := [
	json.patch(t.source("uat"), [{"op": "replace", "path": "/metadata/name", "value": name}]),
	json.patch(t.base("uat"), [{"op": "replace", "path": "/spec/sourceRef/name", "value": name}]),
]

test_clean_env_passes if {
	count(rule.deny) == 0 with input as t.input_of(t.env("uat"))
}

test_eks_source_with_other_name_denied if {
	res := rule.deny with input as t.input_of(renamed("eks-modules-uat"))
	count(res) == 1
	some x in res
	x.rule == "source-name-prefix"
	x.field == "metadata.name"
	x.kind == "GitRepository"
	x.name == "eks-modules-uat"
	contains(x.msg, "\"jeppesen-eks-uat\"")
	t.rules_fired == {"source-name-prefix"} with input as t.input_of(renamed("eks-modules-uat"))
}

test_prefix_elsewhere_in_name_denied if {
	res := rule.deny with input as t.input_of(renamed("digx-jeppesen-eks-uat"))
	t.fields(res) == {"metadata.name"}
}

test_eks_source_detected_by_terraform_use if {
	# No label, no telling name or URL: the EKS Terraform's use makes it an EKS source.
	g := json.patch(t.source("uat"), [
		{"op": "replace", "path": "/metadata/name", "value": "modules-uat"},
		{"op": "replace", "path": "/metadata/labels", "value": {"fluxtf.io/tier": "uat"}},
	])
	tf := json.patch(t.base("uat"), [{"op": "replace", "path": "/spec/sourceRef/name", "value": "modules-uat"}])
	res := rule.deny with input as t.input_of([g, tf])
	t.fields(res) == {"metadata.name"}
}

test_non_eks_source_with_any_name_passes if {
	g := {
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
		"metadata": {"name": "flux-system", "namespace": "flux-system"},
		"spec": {"interval": "1m0s", "ref": {"branch": "main"}, "url": "ssh://git@github.com/digx/fleet.git"},
	}
	tf := {
		"apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform",
		"metadata": {"name": "dns", "namespace": "flux-system"},
		"spec": {"approvePlan": "auto", "interval": "10m", "path": "./terraform/dns", "sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
	}
	count(rule.deny) == 0 with input as t.input_of([g, tf])
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

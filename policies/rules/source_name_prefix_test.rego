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

# Only the stack's GitRepositories: a name token is no evidence.
test_other_sources_with_eks_token_pass if {
	g := {
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
		"metadata": {"name": "platform-eks", "namespace": "flux-system"},
		"spec": {"interval": "1m0s", "ref": {"branch": "main"}, "url": "https://github.com/acme/platform-eks-apps"},
	}
	count(rule.deny) == 0 with input as t.input_of([g])
	count(t.findings) == 0 with input as t.input_of([g])
}

# Another stack's GitRepository is held to its own prefix, not jeppesen-eks.
test_other_stack_checked_with_its_prefix if {
	count(rule.deny) == 0 with input as t.input_of(t.ocm_env("uat"))
	g := json.patch(t.source("uat"), [
		{"op": "replace", "path": "/metadata/name", "value": "ocm-modules-uat"},
		{"op": "replace", "path": "/metadata/labels/fluxtf.io~1stack", "value": "ocm-client"},
	])
	res := rule.deny with input as t.input_of([g])
	count(res) == 1
	some x in res
	contains(x.msg, "holds the ocm-client module stack")
	contains(x.msg, "\"ocm-client-uat\"")
}

# The prefix comes from the annotation the generator writes from the
# catalogue's sourcePrefix.
test_source_prefix_annotation if {
	g := t.with_annotations(t.ocm_source("uat"), {"fluxtf.io/source-prefix": "ocm-fn"})
	res := rule.deny with input as t.input_of([g])
	some x in res
	contains(x.msg, "does not start with \"ocm-fn\"")
}

# A stack label fluxtf does not know, without the policies annotation,
# puts the object in no family: not checked.
test_unknown_stack_label_passes if {
	g := json.patch(t.source("uat"), [
		{"op": "replace", "path": "/metadata/name", "value": "apps-uat"},
		{"op": "replace", "path": "/metadata/labels/fluxtf.io~1stack", "value": "team-apps"},
	])
	count(rule.deny) == 0 with input as t.input_of([g])
}

test_source_named_like_the_stack_denied if {
	# no label: the URL names the stack
	g := {
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
		"metadata": {"name": "modules", "namespace": "flux-system"},
		"spec": {"interval": "1m0s", "ref": {"tag": "v4.2.0"}, "url": "https://github.com/digx/jeppesen-eks.git"},
	}
	t.fields(rule.deny) == {"metadata.name"} with input as t.input_of([g])
}

test_dangling_source_ref_is_not_this_rule if {
	tf := json.patch(t.base("uat"), [{"op": "replace", "path": "/spec/sourceRef/name", "value": "jeppesen-eks-uta"}])
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), tf])
	t.rules_fired == {"source-ref-resolves"} with input as t.input_of([t.source("uat"), tf])
}

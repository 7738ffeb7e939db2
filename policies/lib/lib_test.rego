package fluxtf.lib_test

import data.fluxtf.lib
import data.fluxtf.test as t

# ---- input shapes

test_fluxtf_shape if {
	rs := lib.records with input as t.input_of(t.env("uat"))
	count(rs) == 2
	{r.path | some r in rs} == {"f0.yaml", "f1.yaml"}
	not lib.has_baseline with input as t.input_of(t.env("uat"))
	lib.repository_url == "github.com/digx/fluxtf" with input as t.input_of(t.env("uat"))
}

test_conftest_combine_shape if {
	inp := [
		{"path": "clusters/uat/gitrepository.yaml", "contents": t.source("uat")},
		{"path": "clusters/uat/multi.yaml", "contents": [t.base("uat"), t.efs("uat"), null, "text"]},
		{"path": "clusters/uat/kustomization.yaml", "contents": {"resources": ["a.yaml"]}},
	]
	rs := lib.records with input as inp
	count(rs) == 3
	{[r.path, r.obj.kind] | some r in rs} == {
		["clusters/uat/gitrepository.yaml", "GitRepository"],
		["clusters/uat/multi.yaml", "Terraform"],
	}
	lib.combined with input as inp
	not lib.single_document with input as inp
	not lib.has_baseline with input as inp
}

test_conftest_combine_shape_runs_rules if {
	inp := [
		{"path": "gitrepository.yaml", "contents": t.source("uat")},
		{"path": "eks.yaml", "contents": t.with_var(t.base("uat"), "os", "AL2")},
	]
	t.findings == {["al2-end-of-support", "spec.vars[4].value"]} with input as inp
}

test_single_document_shape if {
	rs := lib.records with input as t.base("uat")
	count(rs) == 1
	[r | some r in rs][0].path == ""
	lib.single_document with input as t.base("uat")
}

test_single_document_skips_resolution if {
	# Plain conftest sees one document: the source cannot be looked up.
	count(t.findings) == 0 with input as t.base("uat")
}

test_baseline_records if {
	inp := t.with_baseline(t.env("uat"), [t.base("uat")])
	lib.has_baseline with input as inp
	count(lib.baseline_records) == 1 with input as inp
	tw := lib.twin({"path": "x", "obj": t.base("uat")}) with input as inp
	tw.obj.metadata.name == t.base_name("uat")
	not lib.twin({"path": "x", "obj": t.source("uat")}) with input as inp
}

test_empty_baseline_is_a_baseline if {
	inp := t.with_baseline(t.env("uat"), [])
	lib.has_baseline with input as inp
	count(lib.baseline_records) == 0 with input as inp
}

test_skips_non_objects_and_kindless if {
	inp := {"files": [
		{"path": "a", "contents": [1, "x", {"kind": ""}, {"apiVersion": "v1"}, {"kind": "ConfigMap", "metadata": {"name": "c"}}]},
		{"path": "b", "contents": null},
	]}
	rs := lib.records with input as inp
	{r.obj.kind | some r in rs} == {"ConfigMap"}
}

test_duplicate_keys_do_not_conflict if {
	inp := {"files": [{"path": "a", "contents": t.base("uat")}, {"path": "b", "contents": t.with_var(t.base("uat"), "os", "AL2")}]}
	count(lib.index) == 1 with input as inp
	count(lib.records) == 2 with input as inp
}

test_objects_by_kind if {
	inp := t.input_of(t.all_tiers)
	count(lib.terraforms) == 3 with input as inp
	count(lib.gitrepositories) == 3 with input as inp
	count(lib.objects("Kustomization")) == 0 with input as inp
}

# ---- keys and namespaces

test_key_missing_namespace_is_empty if {
	lib.key({"kind": "Terraform", "metadata": {"name": "a"}}) == "Terraform//a"
	lib.key({"kind": "Terraform", "metadata": {"name": "a", "namespace": "x"}}) == "Terraform/x/a"
}

test_source_ref_defaults if {
	tf := {"kind": "Terraform", "metadata": {"name": "a", "namespace": "ns1"}, "spec": {"sourceRef": {"name": "src"}}}
	lib.source_ref(tf) == {"kind": "GitRepository", "namespace": "ns1", "name": "src", "key": "GitRepository/ns1/src"}
	tf2 := {"kind": "Terraform", "metadata": {"name": "a"}, "spec": {"sourceRef": {"kind": "OCIRepository", "name": "src", "namespace": "other"}}}
	lib.source_ref_key(tf2) == "OCIRepository/other/src"
	tf3 := {"kind": "Terraform", "metadata": {"name": "a"}, "spec": {"sourceRef": {"kind": "GitRepository", "name": "src"}}}
	lib.source_ref_key(tf3) == "GitRepository//src"
}

# ---- tier

test_tier_label if lib.tier({"metadata": {"name": "x-dev", "labels": {"fluxtf.io/tier": "prod"}}}) == "prod"

test_tier_environment_fallback if {
	lib.tier({"metadata": {"name": "x", "labels": {"fluxtf.io/environment": "uat"}}}) == "uat"
}

test_tier_invalid_label_falls_back if {
	lib.tier({"metadata": {"name": "eks-dev", "labels": {"fluxtf.io/tier": "staging", "fluxtf.io/environment": "uat-2"}}}) == "dev"
}

test_tier_name_fallback if {
	lib.tier({"metadata": {"name": "eks-dev"}}) == "dev"
	lib.tier({"metadata": {"name": "jeppesen-eks-uat"}}) == "uat"
	lib.tier({"metadata": {"name": "uat-digx-uat-eu-west-1-eks"}}) == "uat"
	lib.tier({"metadata": {"name": "prod-digx-prod-eu-eu-west-1-eks"}}) == "prod"
}

test_tier_none if {
	not lib.tier({"metadata": {"name": "production-eks"}})
	not lib.tier({"metadata": {"name": "dev-to-prod"}})
	not lib.tier({"metadata": {}})
}

# ---- component, base, stack

test_component if {
	lib.component({"metadata": {"labels": {"fluxtf.io/component": "efs"}}, "spec": {"path": "./x/karpenter"}}) == "efs"
	lib.component({"spec": {"path": "./jeppesen-eks/modules/karpenter"}}) == "karpenter"
	lib.component({"spec": {"path": "./jeppesen-eks/modules/karpenter/"}}) == "karpenter"
	lib.component({"spec": {"path": "./jeppesen-eks/base"}}) == "base"
	not lib.component({"spec": {"path": "./"}})
	not lib.component({"spec": {}})
}

test_is_base if {
	lib.is_base(t.base("uat"))
	lib.is_base({"kind": "Terraform", "spec": {"path": "./jeppesen-eks/base"}})
	lib.is_base({"kind": "Terraform", "spec": {"path": "./infra", "vars": [{"name": "kubernetes_version", "value": "1.29"}]}})
	not lib.is_base(t.efs("uat"))
	not lib.is_base({"kind": "Terraform", "metadata": {"labels": {"fluxtf.io/component": "karpenter"}}, "spec": {"vars": [{"name": "kubernetes_version", "value": "1.29"}]}})
	not lib.is_base(t.source("uat"))
}

test_var if {
	v := lib.var(t.base("uat"), "kubernetes_version")
	v == {"index": 2, "value": "1.29", "field": "spec.vars[2].value"}
	not lib.var(t.base("uat"), "nope")
	o := {"spec": {"vars": [{"name": "a", "value": 1}, {"name": "a", "value": 2}, {"name": "b", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}}
	lib.var(o, "a").value == 2
	lib.var(o, "a").index == 1
	lib.var_entry(o, "b").index == 2
	not lib.var(o, "b")
}

test_eks_source_detection if {
	lib.is_eks_source(t.source("uat"))
	lib.is_eks_source({"kind": "GitRepository", "metadata": {"name": "x", "labels": {"app.kubernetes.io/managed-by": "fluxtf"}}})
	lib.is_eks_source({"kind": "GitRepository", "metadata": {"name": "modules"}, "spec": {"url": "https://github.com/digx/jeppesen-eks"}})
	lib.is_eks_source({"kind": "GitRepository", "metadata": {"name": "digx-jeppesen-eks"}})
	not lib.is_eks_source({"kind": "GitRepository", "metadata": {"name": "flux-system"}, "spec": {"url": "ssh://git@github.com/digx/fleet"}})
	not lib.is_eks_source({"kind": "GitRepository", "metadata": {"name": "weeks"}})

	# a name token is no evidence (issue 11 item 12)
	not lib.is_eks_source({"kind": "GitRepository", "metadata": {"name": "platform-eks"}})
	not lib.is_eks_source({"kind": "GitRepository", "metadata": {"name": "jeppesen-eks-x", "labels": {"fluxtf.io/stack": "ocm-client"}}})
}

test_eks_source_by_use if {
	g := {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "metadata": {"name": "modules", "namespace": "flux-system"}, "spec": {"url": "ssh://git@github.com/digx/infrastructure.git"}}
	tf := {"kind": "Terraform", "metadata": {"name": "a", "namespace": "flux-system"}, "spec": {"path": "./jeppesen-eks/base", "sourceRef": {"kind": "GitRepository", "name": "modules"}}}
	lib.is_eks_source(g) with input as t.input_of([g, tf])
	not lib.is_eks_source(g) with input as t.input_of([g])
}

test_stack if {
	lib.stack(t.source("uat")) == "jeppesen-eks"
	lib.stack({"kind": "GitRepository", "metadata": {"name": "jeppesen-eks-uat"}}) == "jeppesen-eks"
	not lib.stack({"kind": "GitRepository", "metadata": {"name": "eks-uat"}})
	lib.stack({"kind": "Terraform", "metadata": {"name": "x"}, "spec": {"path": "./jeppesen-eks/base"}}) == "jeppesen-eks"
	lib.stack({"kind": "GitRepository", "metadata": {"name": "a", "labels": {"fluxtf.io/stack": "ocm-client"}}}) == "ocm-client"
	not lib.stack({"kind": "GitRepository", "metadata": {"name": "apps"}})
}

# ---- stack membership: the stack's rules look at the stack's objects only.

_app_git(name, branch) := {
	"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
	"metadata": {"name": name, "namespace": "apps"},
	"spec": {"interval": "1m0s", "ref": {"branch": branch}, "url": sprintf("https://github.com/acme/%s", [name])},
}

_team_tf(name, source) := {
	"apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform",
	"metadata": {"name": name, "namespace": "apps"},
	"spec": {
		"interval": "10m", "path": "./terraform", "sourceRef": {"kind": "GitRepository", "name": source},
		"vars": [{"name": "kubernetes_version", "value": "1.27"}, {"name": "os", "value": "AL2"}],
	},
}

test_stack_facts_of_a_rendered_set_are_all_facts if {
	inp := t.input_of(t.all_tiers)
	lib.stack_tf_facts == lib.tf_facts with input as inp
	lib.stack_git_facts == lib.git_facts with input as inp
	count(lib.stack_base_facts) == 3 with input as inp
}

test_stack_facts_leave_out_others if {
	objs := array.concat(t.env("uat"), [_app_git("dev-team", "dev-team"), _team_tf("dev-dns", "dev-team")])
	inp := t.input_of(objs)
	{g.name | some g in lib.stack_git_facts} == {"jeppesen-eks-uat"} with input as inp
	{f.name | some f in lib.stack_tf_facts} == {t.base_name("uat")} with input as inp
	{f.name | some f in lib.stack_base_facts} == {t.base_name("uat")} with input as inp
	count(lib.git_facts) == 2 with input as inp
}

test_stack_membership_by_use_and_path if {
	# an unlabelled GitRepository used by a Terraform whose path is the stack's
	g := _app_git("modules", "alpha")
	tf := json.patch(_team_tf("base", "modules"), [{"op": "replace", "path": "/spec/path", "value": "./jeppesen-eks/base"}])
	inp := t.input_of([g, tf])
	{x.name | some x in lib.stack_git_facts} == {"modules"} with input as inp
	{x.name | some x in lib.stack_tf_facts} == {"base"} with input as inp

	# an unlabelled Terraform using the stack's GitRepository
	tf2 := json.patch(_team_tf("extra", t.source_name("uat")), [{"op": "add", "path": "/spec/sourceRef/namespace", "value": "flux-system"}])
	{x.name | some x in lib.stack_tf_facts} == {"extra"} with input as t.input_of([t.source("uat"), tf2])
}

test_baseline_stack_facts if {
	inp := t.with_baseline(t.env("uat"), [_app_git("dev-team", "main"), t.source("uat"), t.base("uat"), _team_tf("x", "dev-team")])
	{g.name | some g in lib.baseline_stack_git_facts} == {"jeppesen-eks-uat"} with input as inp
	{f.name | some f in lib.baseline_stack_base_facts} == {t.base_name("uat")} with input as inp
}

# A multi-tenant fleet: an application team's GitRepository named dev-team
# following branch dev-team, and its Terraform with old versions and AL2,
# are nobody's stack: no stack rule fires.
test_other_teams_objects_get_no_stack_finding if {
	objs := [_app_git("dev-team", "dev-team"), _app_git("prod-apps", "main"), _team_tf("prod-dns", "prod-apps"), _team_tf("dev-eks", "dev-team")]
	count(t.findings) == 0 with input as t.input_of(objs)
	count(t.findings) == 0 with input as t.with_baseline(objs, [json.patch(_team_tf("prod-dns", "prod-apps"), [{"op": "replace", "path": "/spec/vars/0/value", "value": "1.25"}])])
}

test_account_fallback if {
	lib.account({"metadata": {"labels": {"fluxtf.io/account": "digx-uat"}}}) == "digx-uat"
	lib.account({"metadata": {"labels": {"fluxtf.io/target": "digx-prod-eu-eu-central-1"}}}) == "digx-prod-eu"
	lib.account({"metadata": {"labels": {"fluxtf.io/target": "digx-dev-us-east-1"}}}) == "digx-dev"
	not lib.account({"metadata": {"labels": {"fluxtf.io/target": "digx-dev"}}})
}

# ---- URLs

test_normalize_url if {
	lib.normalize_url("ssh://git@github.com/digx/infrastructure.git") == "github.com/digx/infrastructure"
	lib.normalize_url("https://GitHub.com/Digx/Infrastructure/") == "github.com/digx/infrastructure"
	lib.normalize_url("git@github.com:digx/infrastructure.git") == "github.com/digx/infrastructure"
	lib.normalize_url("ssh://git@github.com:22/digx/infrastructure") == "github.com/digx/infrastructure"
	lib.normalize_url("github.com/digx/infrastructure") == "github.com/digx/infrastructure"
}

# ---- versions

test_semver if {
	lib.semver_norm("v4.2.0") == "4.2.0"
	lib.semver_norm("4.2") == "4.2.0"
	lib.semver_norm(1.1) == "1.1.0"
	not lib.semver_norm("latest")
	lib.semver_parse("v4.2.1-rc.1+build.5") == {"major": 4, "minor": 2, "patch": 1, "pre": "rc.1", "text": "4.2.1-rc.1+build.5"}
	lib.semver_compare("v4.2.0", "4.10.0") == -1
	lib.semver_compare("v4.2.0", "4.2.0-rc.1") == 1
	lib.semver_compare("v4.2.0", "4.2.0") == 0
}

test_exact_semver if {
	lib.is_exact_semver("v4.2.0")
	lib.is_exact_semver("4.2.0-rc.1")
	not lib.is_exact_semver("v4.2")
	not lib.is_exact_semver(">=4.0.0")
	not lib.is_exact_semver("latest")
}

test_k8s_minor if {
	lib.k8s_minor("1.29") == 29
	lib.k8s_minor("v1.30.2") == 30
	lib.k8s_minor(1.29) == 29
	lib.k8s_minor(1.3) == 30
	not lib.k8s_minor("2.1")
	not lib.k8s_minor("latest")
}

# ---- fields and results

test_nearest_field if {
	o := {"metadata": {"name": "a"}, "spec": {}}
	lib.nearest_field(o, ["metadata", "annotations"]) == "metadata"
	lib.nearest_field(o, ["spec", "ref", "tag"]) == "spec"
	lib.nearest_field({}, ["spec", "ref"]) == ""
	lib.nearest_field({"spec": {"ref": {}}}, ["spec", "ref"]) == "spec.ref"
}

test_result_shape if {
	r := {"path": "clusters/uat/eks.yaml", "obj": t.base("uat")}
	lib.result("x", r, "spec.vars[1].value", "m") == {
		"msg": "m", "rule": "x", "path": "clusters/uat/eks.yaml",
		"apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform",
		"name": "uat-digx-uat-eu-west-1-eks", "namespace": "flux-system", "field": "spec.vars[1].value",
	}
	lib.result("x", {"path": "p", "obj": {"kind": "K"}}, null, "m") == {
		"msg": "m", "rule": "x", "path": "p", "apiVersion": "", "kind": "K", "name": "", "namespace": "", "field": "",
	}
}

# ---- the clean environments the rule tests start from are clean.

test_clean_envs if {
	count(t.findings) == 0 with input as t.input_of(t.env("dev"))
	count(t.findings) == 0 with input as t.input_of(t.env("uat"))
	count(t.findings) == 0 with input as t.input_of(t.env("prod"))
	count(t.findings) == 0 with input as t.input_of(array.concat(t.all_tiers, [t.efs("dev"), t.karpenter("dev", "1.1.0"), t.efs("uat"), t.karpenter("uat", "1.1.0")]))
	count(t.findings) == 0 with input as t.with_baseline(t.all_tiers, t.all_tiers)
}

# ---- baseline twins by stable identity

# as_env(o, env): o rendered for another environment name (a renamed
# environment): new name, environment label and cluster_name.
as_env(o, env) := json.patch(o, [
	{"op": "replace", "path": "/metadata/name", "value": concat("-", [env, o.metadata.name])},
	{"op": "replace", "path": "/metadata/labels/fluxtf.io~1environment", "value": env},
])

test_twins_by_identity_across_renames if {
	now := [as_env(t.source("uat"), "x"), as_env(t.base("uat"), "x")]
	inp := t.with_baseline(now, t.env("uat"))
	tw := lib.twins with input as inp
	tw[sprintf("Terraform/flux-system/x-%s", [t.base_name("uat")])].name == t.base_name("uat")
	tw["GitRepository/flux-system/x-jeppesen-eks-uat"].name == "jeppesen-eks-uat"
	count(lib.untwinned_baseline) == 0 with input as inp
}

test_shared_identity_uses_the_environment if {
	# two environments in one account and region: the environment label tells them apart
	other := as_env(t.with_var(t.base("uat"), "kubernetes_version", "1.27"), "x")
	inp := t.with_baseline([t.base("uat"), other], [t.base("uat"), other])
	tw := lib.twins with input as inp
	tw[lib.key(t.base("uat"))].name == t.base_name("uat")
	tw[lib.key(other)].name == other.metadata.name
}

test_shared_identity_and_environment_use_the_name if {
	copy := json.patch(t.base("uat"), [{"op": "replace", "path": "/metadata/name", "value": "copy"}])
	inp := t.with_baseline([t.base("uat"), copy], [t.base("uat")])
	tw := lib.twins with input as inp
	tw[lib.key(t.base("uat"))].name == t.base_name("uat")
	not tw[lib.key(copy)]
}

test_identity_change_is_no_twin if {
	moved := t.with_var(t.base("uat"), "account_id", "999999999999")
	inp := t.with_baseline([moved], [t.base("uat")])
	count(lib.twins) == 0 with input as inp
	[b.name | some b in lib.untwinned_baseline] == [t.base_name("uat")] with input as inp
}

test_twin_leftovers_name_the_identities_of_step_two if {
	# a renamed environment: its objects and its baseline ones are left
	# over by step 1, with the same identities
	now := [as_env(t.base("uat"), "x")]
	inp := t.with_baseline(now, [t.base("uat")])
	l := lib.twin_leftovers with input as inp
	count(l.cur) == 1
	l.cur == l.base
	# matched by step 1: nothing is left over
	same := lib.twin_leftovers with input as t.with_baseline([t.base("uat")], [t.base("uat")])
	same == {"cur": set(), "base": set()}
	not lib.twin_leftovers with input as t.input_of([t.base("uat")])
}

test_no_twins_without_baseline if {
	count(lib.twins) == 0 with input as t.input_of(t.env("uat"))
	count(lib.untwinned_baseline) == 0 with input as t.input_of(t.env("uat"))
}

test_environment_renamed_beside_another_in_its_account if {
	# dev and x share account and region; x is renamed to y: the first step
	# leaves y's objects, the second finds x's by identity
	dev := t.base("uat")
	x := as_env(t.base("uat"), "x")
	y := as_env(t.base("uat"), "y")
	tw := lib.twins with input as t.with_baseline([dev, y], [dev, x])
	tw[lib.key(y)].name == x.metadata.name
	tw[lib.key(dev)].name == dev.metadata.name
}

test_environment_renamed_among_two_leftovers_has_no_twin if {
	# x and z both gone, y new, all in one account and region: ambiguous
	x := as_env(t.base("uat"), "x")
	z := as_env(t.base("uat"), "z")
	y := as_env(t.base("uat"), "y")
	count(lib.twins) == 0 with input as t.with_baseline([y], [x, z])
}

test_one_key_twice_with_other_labels_no_conflict if {
	# the same object given twice, the copies labelled for other accounts
	a := t.base("uat")
	b := t.with_var(t.base("uat"), "account_id", "999999999999")
	tw := lib.twins with input as t.with_baseline([a, b], [a])
	tw[lib.key(a)].name == a.metadata.name
	tw2 := lib.twins with input as t.with_baseline([a, b], [a, b])
	count(tw2) == 0 # two documents of one key that disagree: no twin, and no error
}

# ---- eks_base_k8s: every eks base's kubernetes_version, read once

# the bases' entries, with the index of the last inline entry and its minor
# (a number 1.3 is a YAML-mangled 1.30); a base whose version is valueFrom,
# or no Kubernetes minor, has none, and no component is listed
test_eks_base_k8s if {
	objs := [
		t.base("dev"),
		t.add_var(t.base("uat"), {"name": "kubernetes_version", "value": 1.3}),
		t.add_var(t.base("prod"), {"name": "kubernetes_version", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}),
		t.with_var(t.base("prod"), "kubernetes_version", "latest"),
		t.efs("dev"),
	]
	inp := t.input_of(objs)
	es := lib.eks_base_k8s with input as inp
	{[e.f.name, e.index, e.value, e.minor] | some e in es} == {
		[t.base_name("dev"), 2, "1.30", 30],
		[t.base_name("uat"), 6, 1.3, 30],
	}
	by := lib.eks_base_k8s_by_minor with input as inp
	object.keys(by) == {30}
	{e.f.name | some e in by[30]} == {t.base_name("dev"), t.base_name("uat")}
}

# ---- source_prefix: the annotation when it is a non-blank string, else
# the stack's name (annotation's rules, read by reference)

test_source_prefix if {
	g := {"x": {"stack": "ocm-client"}, "r": {"obj": t.source("uat")}}
	lib.source_prefix(g) == "ocm-client"
	lib.source_prefix(object.union(g, {"x": {"stack": ""}})) == "jeppesen-eks"
	lib.source_prefix(with_prefix(g, "ocm-fn")) == "ocm-fn"
	lib.source_prefix(with_prefix(g, "  ")) == "ocm-client"
	lib.source_prefix(with_prefix(g, 3)) == "ocm-client"
	lib.source_prefix(object.union(g, {"r": {"obj": json.patch(t.source("uat"), [{"op": "add", "path": "/metadata/annotations", "value": ["fluxtf.io/source-prefix"]}])}})) == "ocm-client"
}

with_prefix(g, p) := object.union(g, {"r": {"obj": t.with_annotations(t.source("uat"), {"fluxtf.io/source-prefix": p})}})

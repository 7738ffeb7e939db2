package fluxtf.api_test

import data.fluxtf.api
import data.fluxtf.test as t

uat := array.concat(t.env("uat"), [t.karpenter("uat", "1.1.0")])

test_terraform_record_fields if {
	some o in api.terraforms_of("karpenter") with input as t.input_of(uat)
	o.kind == "Terraform"
	o.name == "uat-digx-uat-eu-west-1-karpenter"
	o.namespace == "flux-system"
	o.key == "Terraform/flux-system/uat-digx-uat-eu-west-1-karpenter"
	o.path == "f2.yaml"
	o.tier == "uat"
	o.stack == "jeppesen-eks"
	o.component == "karpenter"
	o.base == false
	o.target == "digx-uat-eu-west-1"
	o.source.kind == "GitRepository"
	o.source.name == "jeppesen-eks-uat"
	o.baseline == false
	o.object.metadata.name == o.name
}

test_kinds if {
	objs := array.concat(uat, [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "uat-settings", "namespace": "apps"}}])
	{o.kind | some o in api.objects} == {"Terraform", "GitRepository", "ConfigMap"} with input as t.input_of(objs)
	count(api.terraforms) == 2 with input as t.input_of(objs)
	count(api.base_terraforms) == 1 with input as t.input_of(objs)
	[o.tier | some o in api.objects_of("ConfigMap")] == ["uat"] with input as t.input_of(objs)
	[o.stack | some o in api.objects_of("ConfigMap")] == [""] with input as t.input_of(objs)
	[o.url | some o in api.gitrepositories] == ["ssh://git@github.com/digx/infrastructure.git"] with input as t.input_of(objs)
	api.by_key("ConfigMap/apps/uat-settings").name == "uat-settings" with input as t.input_of(objs)
}

test_var_and_version if {
	some o in api.terraforms_of("karpenter") with input as t.input_of(uat)
	v := api.version(o)
	v.value == "1.1.0"
	v.field == sprintf("spec.vars[%d].value", [v.index])
	api.var(o, api.version_var("jeppesen-eks", "karpenter")) == v
	api.has_var(o, "account_id")
	not api.var(o, "no_such_var")
}

test_version_var_from_catalogue if {
	api.version_var("jeppesen-eks", "karpenter") == data.fluxtf.catalogue.modules["jeppesen-eks/modules/karpenter"].versionVar
	not api.version_var("jeppesen-eks", "eks")
}

test_source if {
	some o in api.terraforms_of("karpenter") with input as t.input_of(uat)
	api.source(o).kind == "GitRepository" with input as t.input_of(uat)
	api.source(o).tier == "uat" with input as t.input_of(uat)
}

test_twin_across_a_rename if {
	k := json.patch(t.karpenter("uat", "1.1.0"), [{"op": "replace", "path": "/metadata/name", "value": "uat-main-karpenter"}])
	inp := t.with_baseline(array.concat(t.env("uat"), [k]), array.concat(t.env("uat"), [t.karpenter("uat", "0.37.0")]))
	some o in api.terraforms_of("karpenter") with input as inp
	tw := api.twin(o) with input as inp
	tw.baseline == true
	tw.name == "uat-digx-uat-eu-west-1-karpenter"
	api.version(tw).value == "0.37.0"
	api.has_baseline with input as inp
}

test_no_twin_without_baseline if {
	some o in api.terraforms_of("karpenter") with input as t.input_of(uat)
	not api.twin(o) with input as t.input_of(uat)
	not api.has_baseline with input as t.input_of(uat)
}

test_removed if {
	inp := t.with_baseline(t.env("uat"), uat)
	[o.component | some o in api.removed] == ["karpenter"] with input as inp
}

test_finding_and_result if {
	some o in api.terraforms_of("karpenter") with input as t.input_of(uat)
	f := api.finding(o, "spec.vars", "msg")
	f == {"msg": "msg", "path": "f2.yaml", "apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform", "name": o.name, "namespace": "flux-system", "field": "spec.vars"}
	api.result("my-rule", o, "", "m").rule == "my-rule"
}

# A user policy sees one document at a time (conftest's input): the
# records are that document's.
test_single_document_input if {
	k := t.karpenter("uat", "1.1.0")
	[o.component | some o in api.terraforms] == ["karpenter"] with input as k
	[o.path | some o in api.objects] == [""] with input as k
}

# With --combine, conftest's [{path, contents}] list.
test_combined_input if {
	inp := [{"path": "a.yaml", "contents": t.karpenter("uat", "1.1.0")}, {"path": "b.yaml", "contents": t.source("uat")}]
	{[o.kind, o.path] | some o in api.objects} == {["Terraform", "a.yaml"], ["GitRepository", "b.yaml"]} with input as inp
}

test_in_family_follows_the_annotation if {
	eks := {"kind": "Terraform", "metadata": {"name": "a", "labels": {"fluxtf.io/stack": "acme"}, "annotations": {"fluxtf.io/policies": "common,eks"}}}
	ocm := {"kind": "Terraform", "metadata": {"name": "b", "labels": {"fluxtf.io/stack": "ocm-client"}}}
	api.in_family({"object": eks}, "eks")
	not api.in_family({"object": ocm}, "eks")
}

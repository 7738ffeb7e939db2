# Package fluxtf.test builds the manifests the rule tests start from: a clean
# mini-environment per tier, shaped like the generator's output
# (fixtures/clusters), which no rule finds anything in. Tests change one
# thing and check what fires. Only loaded with the tests (*_test.rego).
package fluxtf.test

import data.fluxtf.lib

ns := "flux-system"

region := "eu-west-1"

accounts := {
	"dev": {"account": "digx-dev", "id": "210987654321"},
	"uat": {"account": "digx-uat", "id": "111111111111"},
	"prod": {"account": "digx-prod-eu", "id": "333333333333"},
}

refs := {"dev": {"branch": "alpha"}, "uat": {"tag": "v4.2.0"}, "prod": {"tag": "v4.1.3"}}

k8s := {"dev": "1.30", "uat": "1.29", "prod": "1.29"}

oses := {"dev": "AL2023", "uat": "BOTTLEROCKET", "prod": "BOTTLEROCKET"}

target(t) := sprintf("%s-%s", [accounts[t].account, region])

labels(t) := {
	"app.kubernetes.io/managed-by": "fluxtf",
	"fluxtf.io/environment": t,
	"fluxtf.io/stack": "jeppesen-eks",
	"fluxtf.io/tier": t,
}

tf_labels(t, comp) := object.union(labels(t), {
	"fluxtf.io/account": accounts[t].account,
	"fluxtf.io/component": comp,
	"fluxtf.io/region": region,
	"fluxtf.io/target": target(t),
})

source_name(t) := sprintf("jeppesen-eks-%s", [t])

source(t) := {
	"apiVersion": "source.toolkit.fluxcd.io/v1",
	"kind": "GitRepository",
	"metadata": {"name": source_name(t), "namespace": ns, "labels": labels(t)},
	"spec": {
		"interval": "10m0s",
		"ref": refs[t],
		"secretRef": {"name": "flux-git-auth"},
		"url": "ssh://git@github.com/digx/infrastructure.git",
	},
}

base_name(t) := sprintf("%s-%s-eks", [t, target(t)])

# prod waits for manual approval (approvePlan omitted), like the generator's prod.
approve("prod") := {}

approve(t) := {"approvePlan": "auto"} if t != "prod"

# backend(name): an S3 state backend with a key of the object's own, like
# the generator's (uat and prod must not keep the in-cluster default).
backend(name) := {"backendConfig": {"customConfiguration": sprintf(
	"backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"%s.tfstate\"\n  region       = \"eu-west-1\"\n  use_lockfile = true\n}\n",
	[name],
)}}

base(t) := {
	"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
	"kind": "Terraform",
	"metadata": {"name": base_name(t), "namespace": ns, "labels": tf_labels(t, "eks")},
	"spec": object.union_n([approve(t), backend(base_name(t)), {
		"interval": "10m0s",
		"path": "./jeppesen-eks/base",
		"sourceRef": {"kind": "GitRepository", "name": source_name(t), "namespace": ns},
		"vars": [
			{"name": "account_id", "value": accounts[t].id},
			{"name": "cluster_name", "value": sprintf("%s-%s", [t, target(t)])},
			{"name": "kubernetes_version", "value": k8s[t]},
			{"name": "node_groups", "value": {"system": {"instance_types": ["m6i.large"], "max_size": 5, "min_size": 2}}},
			{"name": "os", "value": oses[t]},
			{"name": "region", "value": region},
		],
		"writeOutputsToSecret": {"name": sprintf("%s-outputs", [base_name(t)]), "outputs": sort(object.keys(contract("./jeppesen-eks/base").outputs))},
	}]),
}

component_name(t, comp) := sprintf("%s-%s-%s", [t, target(t), comp])

component(t, comp, extra) := {
	"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
	"kind": "Terraform",
	"metadata": {"name": component_name(t, comp), "namespace": ns, "labels": tf_labels(t, comp)},
	"spec": object.union_n([approve(t), backend(component_name(t, comp)), {
		"dependsOn": [{"name": base_name(t)}],
		"interval": "10m0s",
		"path": sprintf("./jeppesen-eks/modules/%s", [comp]),
		"sourceRef": {"kind": "GitRepository", "name": source_name(t), "namespace": ns},
		"vars": complete(
			array.concat([{"name": "account_id", "value": accounts[t].id}, {"name": "region", "value": region}], extra),
			sprintf("./jeppesen-eks/modules/%s", [comp]),
			t, comp,
		),
		"varsFrom": [{"kind": "Secret", "name": sprintf("%s-outputs", [base_name(t)]), "varsKeys": sort(contract(sprintf("./jeppesen-eks/modules/%s", [comp])).reads)}],
	}]),
}

# contract(path): the catalogue's contract of the module at path (none for
# a module the catalogue does not have).
contract(path) := m if {
	m := data.fluxtf.catalogue.modules[trim_prefix(path, "./")]
} else := {"inputs": {}, "outputs": {}, "reads": ["cluster_name"]}

# complete(vars, path, t, comp): vars, then a value for every other required
# input of the module at path that it does not read through varsFrom, so
# that the objects keep to the module's contract (module-contract); the
# component's version variable gets a pinned release its compatibility rows
# allow on tier t's Kubernetes minor (component-version-pinned,
# component-compatibility).
complete(vars, path, t, comp) := array.concat(vars, [{"name": n, "value": filler(t, comp, n)} |
	some n, spec in contract(path).inputs
	spec.required
	not n in {v.name | some v in vars}
	not n in {r | some r in contract(path).reads}
])

filler(t, comp, n) := version_for(t, comp) if {
	n == lib.catalogue_versions["jeppesen-eks"][comp]["var"]
} else := "x"

# version_for(t, comp): the newest compatibility row's first version that
# supports tier t's Kubernetes minor, else 1.0.0 (a component without rows).
version_for(t, comp) := rows[count(rows) - 1].from if {
	m := to_number(split(k8s[t], ".")[1])
	rows := [r | some r in lib.catalogue_versions["jeppesen-eks"][comp].rows; r.min <= m; m <= r.max]
	count(rows) > 0
} else := "1.0.0"

karpenter(t, version) := component(t, "karpenter", [{"name": "karpenter_version", "value": version}])

efs(t) := component(t, "efs", [{"name": "encrypted", "value": true}])

# env(t): a clean environment of tier t: its GitRepository and base Terraform.
env(t) := [source(t), base(t)]

# all_tiers: dev, uat and prod together, in promotion order.
all_tiers := array.concat(array.concat(env("dev"), env("uat")), env("prod"))

# ---- edits

with_var(o, n, v) := object.union(o, {"spec": {"vars": [set_var(e, n, v) | some e in o.spec.vars]}})

set_var(e, n, v) := object.union(object.remove(e, ["value"]), {"value": v}) if e.name == n

set_var(e, n, _) := e if e.name != n

without_var(o, n) := object.union(o, {"spec": {"vars": [e | some e in o.spec.vars; e.name != n]}})

add_var(o, e) := object.union(o, {"spec": {"vars": array.concat(o.spec.vars, [e])}})

with_labels(o, l) := object.union(o, {"metadata": {"labels": l}})

# without_labels(o, ks): o with labels ks removed (union cannot remove keys).
without_labels(o, ks) := json.patch(o, [{"op": "replace", "path": "/metadata/labels", "value": object.remove(lib.labels(o), ks)}])

with_annotations(o, a) := object.union(o, {"metadata": {"annotations": a}})

with_ref(o, ref) := json.patch(o, [{"op": "replace", "path": "/spec/ref", "value": ref}])

with_spec(o, s) := object.union(o, {"spec": s})

# var_field(o, n): the field of var n in o.
var_field(o, n) := lib.var(o, n).field

# ---- inputs

files(objs) := [{"path": sprintf("f%d.yaml", [i]), "contents": o} | some i, o in objs]

input_of(objs) := {"files": files(objs), "context": {"repositoryURL": "github.com/digx/fluxtf"}}

with_baseline(objs, bobjs) := object.union(input_of(objs), {"baseline": files(bobjs)})

# ---- every rule's results, with input set by the caller.

findings contains [x.rule, x.field] if {
	some p
	x := data.fluxtf.rules[p].deny[_]
}

findings contains [x.rule, x.field] if {
	some p
	x := data.fluxtf.rules[p].warn[_]
}

rules_fired := {f[0] | some f in findings}

fields(results) := {x.field | some x in results}

# result_keys: every result object has exactly the contract's keys.
result_keys := {"msg", "rule", "path", "apiVersion", "kind", "name", "namespace", "field"}

# located: every rule's results as [rule, path, field].
located contains [x.rule, x.path, x.field] if {
	some p
	x := data.fluxtf.rules[p].deny[_]
}

located contains [x.rule, x.path, x.field] if {
	some p
	x := data.fluxtf.rules[p].warn[_]
}

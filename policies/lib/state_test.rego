# The state and contract facts of state.rego, as the library derives them
# (the reference the engine's Go facts are held equal to).
package fluxtf.lib_state_test

import data.fluxtf.lib
import data.fluxtf.test as t

# fact(spec): a Terraform fact of that spec, named a in namespace n.
fact(spec) := {"name": "a", "ns": "n", "spec": spec}

custom(cfg) := {"backendConfig": {"customConfiguration": cfg}}

test_state_key_of_each_backend_type if {
	lib.state_key(fact(custom("backend \"s3\" {\n  bucket = \"b\"\n  key    = \"k\"\n}\n"))) == "s3://b/k (workspace default)"
	lib.state_key(fact(custom("backend \"gcs\" {\n\tbucket=\"b\"\n\tprefix \"p\"\n}\n"))) == "gcs://b/p (workspace default)"
	lib.state_key(fact(custom("backend \"azurerm\" {\n  storage_account_name = \"s\"\n  container_name = \"c\"\n  key = \"k\"\n}\n"))) == "azurerm://s/c/k (workspace default)"
	not lib.state_key(fact(custom("backend \"consul\" {\n  path = \"x\"\n}\n")))
}

test_state_key_of_the_kubernetes_backend if {
	lib.state_key(fact({})) == "kubernetes://n/a (workspace default)"
	lib.state_key(fact({"backendConfig": {"secretSuffix": "s"}, "workspace": "w"})) == "kubernetes://n/s (workspace w)"
	lib.state_key(fact({"backendConfig": {"secretSuffix": ""}, "workspace": ""})) == "kubernetes://n/a (workspace default)"
	lib.state_key(fact(custom(""))) == "kubernetes://n/a (workspace default)"
}

test_no_state_key_when_disabled if {
	not lib.state_key(fact({"backendConfig": {"disable": true}}))
	not lib.state_key(fact({"backendConfig": {"disable": true, "customConfiguration": "backend \"s3\" {\n  key = \"k\"\n}\n"}}))
}

test_no_state_key_when_an_attribute_has_two_values if {
	not lib.state_key(fact(custom("backend \"s3\" {\n  key = \"a\"\n  key = \"b\"\n}\n")))
	lib.state_key(fact(custom("backend \"s3\" {\n  key = \"a\"\n  key = \"a\"\n}\n"))) == "s3:///a (workspace default)"
}

test_tf_state_keys_of_the_input if {
	ks := lib.tf_state_keys with input as t.input_of(t.env("dev"))
	[k | some [k, _] in ks] == [sprintf("s3://digx-terraform-state/%s.tfstate (workspace default)", [t.base_name("dev")])]
}

test_key_pair if {
	lib.key_pair("a") == ["a", "a"]
	lib.key_pair("a:b") == ["a", "b"]
	lib.key_pair("a:b:c") == ["a:b:c", "a:b:c"]
}

# A Secret's writer writes the aliases of the outputs it lists, or with
# none listed its module's outputs; the first writer of a Secret stands.
test_secret_writers if {
	w := {"name": "s", "outputs": ["x:y", "z", 3]}
	ws := lib.secret_writers with lib.tf_facts as [
		fact({"writeOutputsToSecret": w}),
		{"name": "b", "ns": "n", "spec": {"writeOutputsToSecret": {"name": "s", "outputs": ["q"]}}},
		{"name": "c", "ns": "n", "spec": {"path": "./jeppesen-eks/base", "writeOutputsToSecret": {"name": "e"}}},
		{"name": "d", "ns": "n", "spec": {"path": "./nowhere", "writeOutputsToSecret": {"name": "f"}}},
	]
	ws["n/s"] == ["n/s", "a", {"y", "z"}]
	ws["n/e"][2] == object.keys(data.fluxtf.catalogue.modules["jeppesen-eks/base"].outputs)
	not ws["n/f"]
}

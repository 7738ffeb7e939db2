package fluxtf.lib_summaries_test

import data.fluxtf.lib
import data.fluxtf.test as t

# lib.fact_result of a Terraform's or GitRepository's fact is lib.result of
# its record, on the facts' fast path and on their slow path (a numeric
# name, no apiVersion or a numeric one, no namespace, a GitRepository
# without a url).
test_fact_result_is_result if {
	objs := [
		t.base("uat"),
		t.source("uat"),
		json.patch(t.base("prod"), [{"op": "replace", "path": "/metadata/name", "value": 7}]),
		json.patch(t.base("dev"), [{"op": "remove", "path": "/apiVersion"}]),
		json.patch(t.efs("uat"), [{"op": "replace", "path": "/apiVersion", "value": 3}]),
		json.patch(t.efs("prod"), [{"op": "remove", "path": "/metadata/namespace"}]),
		json.patch(t.source("prod"), [{"op": "remove", "path": "/spec/url"}]),
	]
	facts := array.concat(lib.tf_facts, lib.git_facts) with input as t.input_of(objs)
	count(facts) == count(objs)
	every f in facts {
		lib.fact_result("r", f, "spec", "m") == lib.result("r", f.r, "spec", "m")
	}
	count(lib.tf_slow_facts) > 0 with input as t.input_of(objs)
	count(lib.git_slow_facts) > 0 with input as t.input_of(objs)
}

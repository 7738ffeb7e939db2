package fluxtf.rules.names_valid_test

import data.fluxtf.lib
import data.fluxtf.rules.names_valid as rule
import data.fluxtf.test as t

named(o, n) := json.patch(o, [{"op": "replace", "path": "/metadata/name", "value": n}])

test_clean_names_pass if {
	count(rule.deny) == 0 with input as t.input_of(t.all_tiers)
}

test_upper_case_denied if {
	objs := [t.source("uat"), named(t.base("uat"), "uat-digx-uat-eu-west-1-EKS")]
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "names-valid"
	x.field == "metadata.name"
	contains(x.msg, "\"uat-digx-uat-eu-west-1-eks\"")
	t.rules_fired == {"names-valid"} with input as t.input_of(objs)
}

test_underscore_and_dot_denied if {
	count(rule.deny) == 1 with input as t.input_of([named(t.base("uat"), "uat_eks")])
	count(rule.deny) == 1 with input as t.input_of([named(t.base("uat"), "uat.eks")])
	count(rule.deny) == 1 with input as t.input_of([named(t.base("uat"), "-uat-eks")])
	count(rule.deny) == 1 with input as t.input_of([named(t.base("uat"), "uat-eks-")])
}

test_length if {
	n63 := concat("", ["a", concat("", [x | some _ in numbers.range(1, 62); x := "b"])])
	count(n63) == 63
	count(rule.deny) == 0 with input as t.input_of([named(t.base("uat"), n63)])
	n64 := concat("", [n63, "c"])
	res := rule.deny with input as t.input_of([named(t.base("uat"), n64)])
	some x in res
	contains(x.msg, "64 characters")
}

test_git_repository_checked if {
	t.fields(rule.deny) == {"metadata.name"} with input as t.input_of([named(t.source("uat"), "Jeppesen-EKS")])
}

test_other_kinds_ignored if {
	count(rule.deny) == 0 with input as t.input_of([{"kind": "ConfigMap", "metadata": {"name": "Not_Valid"}}])
}

test_missing_name_denied if {
	o := json.patch(t.base("uat"), [{"op": "remove", "path": "/metadata/name"}])
	t.fields(rule.deny) == {"metadata"} with input as t.input_of([o])
}

# lib.names_all_valid (one match over the joined names) holds exactly when no name
# needs a look of its own: a newline inside a name, which would join into
# two valid-looking names, and a name too long among valid ones both fail
# it, and the rule still denies them.
test_all_valid_joined_names if {
	lib.names_all_valid with input as t.input_of(t.all_tiers)
	split_name := [t.source("uat"), named(t.base("uat"), "uat\neks")]
	not lib.names_all_valid with input as t.input_of(split_name)
	count(rule.deny) == 1 with input as t.input_of(split_name)
	long := concat("", [x | some _ in numbers.range(1, 64); x := "a"])
	not lib.names_all_valid with input as t.input_of([t.source("uat"), named(t.base("uat"), long)])
	count(rule.deny) == 1 with input as t.input_of([t.source("uat"), named(t.base("uat"), long)])
}

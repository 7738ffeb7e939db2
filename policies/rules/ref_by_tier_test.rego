package fluxtf.rules.ref_by_tier_test

import data.fluxtf.rules.ref_by_tier as rule
import data.fluxtf.test as t

env_with_ref(tier, ref) := [t.with_ref(t.source(tier), ref), t.base(tier)]

test_clean_tiers_pass if {
	count(rule.deny) == 0 with input as t.input_of(t.all_tiers)
}

test_dev_other_branch_denied if {
	res := rule.deny with input as t.input_of(env_with_ref("dev", {"branch": "main"}))
	count(res) == 1
	some x in res
	x.field == "spec.ref.branch"
	contains(x.msg, "\"main\"")
	contains(x.msg, "alpha")
	t.rules_fired == {"ref-by-tier"} with input as t.input_of(env_with_ref("dev", {"branch": "main"}))
}

test_dev_tag_passes if {
	count(rule.deny) == 0 with input as t.input_of(env_with_ref("dev", {"tag": "v4.3.0-rc.1"}))
}

test_dev_ref_name_other_branch_denied if {
	t.fields(rule.deny) == {"spec.ref.name"} with input as t.input_of(env_with_ref("dev", {"name": "refs/heads/feature-x"}))
}

test_uat_branch_denied if {
	res := rule.deny with input as t.input_of(env_with_ref("uat", {"branch": "alpha"}))
	t.fields(res) == {"spec.ref.branch"}
	some x in res
	contains(x.msg, "(uat)")
}

test_prod_semver_range_denied if {
	t.fields(rule.deny) == {"spec.ref.semver"} with input as t.input_of(env_with_ref("prod", {"semver": ">=4.1.0"}))
}

test_prod_commit_denied if {
	t.fields(rule.deny) == {"spec.ref.commit"} with input as t.input_of(env_with_ref("prod", {"commit": "b8e362c206e3d0cbb7ed22ced771a0056455a2fb"}))
}

test_uat_tag_not_semver_denied if {
	t.fields(rule.deny) == {"spec.ref.tag"} with input as t.input_of(env_with_ref("uat", {"tag": "latest"}))
	t.fields(rule.deny) == {"spec.ref.tag"} with input as t.input_of(env_with_ref("uat", {"tag": "v4.2"}))
}

test_tag_without_v_denied_with_the_fix if {
	res := rule.deny with input as t.input_of(env_with_ref("uat", {"tag": "4.2.0"}))
	t.fields(res) == {"spec.ref.tag"}
	some x in res
	contains(x.msg, `tag the release "v4.2.0"`)
}

test_tag_with_build_metadata_denied if {
	t.fields(rule.deny) == {"spec.ref.tag"} with input as t.input_of(env_with_ref("uat", {"tag": "v4.2.0+build.7"}))
	t.fields(rule.deny) == {"spec.ref.name"} with input as t.input_of(env_with_ref("prod", {"name": "refs/tags/4.1.3"}))
}

test_prod_prerelease_denied if {
	res := rule.deny with input as t.input_of(env_with_ref("prod", {"tag": "v4.3.0-rc.2"}))
	t.fields(res) == {"spec.ref.tag"}
	some x in res
	contains(x.msg, "pre-release v4.3.0-rc.2 (rc.2)")
	contains(x.msg, "v4.3.0 once uat")
}

test_uat_prerelease_passes if {
	count(rule.deny) == 0 with input as t.input_of(env_with_ref("uat", {"tag": "v4.3.0-rc.1"}))
}

test_uat_ref_name_tag_passes if {
	count(rule.deny) == 0 with input as t.input_of(env_with_ref("uat", {"name": "refs/tags/v4.2.0"}))
	t.fields(rule.deny) == {"spec.ref.name"} with input as t.input_of(env_with_ref("uat", {"name": "refs/heads/main"}))
}

test_missing_ref_denied if {
	g := json.patch(t.source("prod"), [{"op": "remove", "path": "/spec/ref"}])
	res := rule.deny with input as t.input_of([g, t.base("prod")])
	t.fields(res) == {"spec"}
	some x in res
	contains(x.msg, "default branch")
}

test_tier_from_name_when_unlabelled if {
	g := json.patch(t.source("uat"), [
		{"op": "replace", "path": "/metadata/labels", "value": {"fluxtf.io/stack": "jeppesen-eks"}},
		{"op": "replace", "path": "/spec/ref", "value": {"branch": "alpha"}},
	])
	t.fields(rule.deny) == {"spec.ref.branch"} with input as t.input_of([g])
}

test_untiered_source_skipped if {
	g := {
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
		"metadata": {"name": "flux-system", "namespace": "flux-system"},
		"spec": {"interval": "1m0s", "ref": {"branch": "main"}, "url": "ssh://git@github.com/digx/fleet.git"},
	}
	count(rule.deny) == 0 with input as t.input_of([g])
}

# The ocm-client stack's GitRepositories follow the same tiers.
test_ocm_client_prod_branch_denied if {
	g := t.with_ref(t.ocm_source("prod"), {"branch": "main"})
	res := rule.deny with input as t.input_of([g, t.ocm_app("prod")])
	t.fields(res) == {"spec.ref.branch"}
	count(rule.deny) == 0 with input as t.input_of(t.ocm_env("prod"))
	count(rule.deny) == 0 with input as t.input_of(t.ocm_env("dev"))
}

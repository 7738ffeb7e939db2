package fluxtf.lib_release_test

import data.fluxtf.lib

# semver.org, item 11: each version is below the next.
semver_org_order := [
	"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
	"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
	"2.0.0", "2.1.0", "2.1.1",
]

test_semver_org_precedence if {
	every i in numbers.range(0, count(semver_org_order) - 2) {
		lib.semver_compare(semver_org_order[i], semver_org_order[i + 1]) == -1
		lib.semver_compare(semver_org_order[i + 1], semver_org_order[i]) == 1
	}
}

# Named cases: what a platform team meets.
precedence_cases := [
	{"name": "rc.2 above rc.1", "a": "v4.3.0-rc.2", "b": "v4.3.0-rc.1", "want": 1},
	{"name": "release above its pre-releases", "a": "v4.3.0", "b": "v4.3.0-rc.2", "want": 1},
	{"name": "a hotfix pre-release is a step down", "a": "v4.2.0-hotfix.1", "b": "v4.2.0", "want": -1},
	{"name": "numeric identifiers compare as numbers", "a": "1.0.0-rc.10", "b": "1.0.0-rc.9", "want": 1},
	{"name": "numeric below alphanumeric", "a": "1.0.0-1", "b": "1.0.0-alpha", "want": -1},
	{"name": "alphanumeric in ASCII order", "a": "1.0.0-Beta", "b": "1.0.0-alpha", "want": -1},
	{"name": "longer list wins on a common prefix", "a": "1.0.0-alpha.1.1", "b": "1.0.0-alpha.1", "want": 1},
	{"name": "build metadata is ignored", "a": "1.0.0+20130313144700", "b": "1.0.0+exp.sha.5114f85", "want": 0},
	{"name": "build metadata on a pre-release is ignored", "a": "1.0.0-beta+exp.sha.5114f85", "b": "1.0.0-beta", "want": 0},
	{"name": "numbers, not text", "a": "v4.10.0", "b": "v4.9.9", "want": 1},
	{"name": "v prefix ignored", "a": "v1.2.3", "b": "1.2.3", "want": 0},
]

test_precedence_cases if {
	every c in precedence_cases {
		lib.semver_compare(c.a, c.b) == c.want
	}
}

test_version_ranks if {
	r := lib.version_ranks({"v4.3.0", "v4.3.0-rc.1", "v4.3.0-rc.2", "v4.2.0", "v4.2.0+build.1", "latest"})
	r["v4.2.0"] == 0
	r["v4.2.0+build.1"] == 0
	r["v4.3.0-rc.1"] == 1
	r["v4.3.0-rc.2"] == 2
	r["v4.3.0"] == 3
	not r.latest
	lib.branch_key > max({x | some x in r})
}

test_tag_form if {
	lib.tag_form_ok("v4.2.0")
	lib.tag_form_ok("v4.3.0-rc.1")
	not lib.tag_form_ok("4.2.0")
	not lib.tag_form_ok("v4.2.0+build.1")
	not lib.tag_form_ok("v04.2.0")
	not lib.tag_form_ok("v4.2")
	lib.tag_form_fix("4.2.0") == "v4.2.0"
	lib.tag_form_fix("V4.2.0+b.1") == "v4.2.0"
	not lib.tag_form_fix("v4.2.0")
}

test_pinned_version if {
	lib.pinned_version("1.1.0")
	lib.pinned_version("v1.37.0-eksbuild.1")
	not lib.pinned_version("latest")
	not lib.pinned_version("~1.1")
	not lib.pinned_version("1.x")
	not lib.pinned_version("1.1")
	not lib.pinned_version(">=1.0.0")
}

test_prerelease if {
	lib.prerelease("v4.3.0-rc.1") == "rc.1"
	not lib.prerelease("v4.3.0")
	not lib.prerelease("v4.3.0+build.1")
}

test_migration_step if {
	lib.migration_step("0.37 -> 1.0") == {"from": "0.37", "to": "1.0"}
	lib.migration_step("v4->v5") == {"from": "v4", "to": "v5"}
	not lib.migration_step("done")
	not lib.migration_step("true")
	not lib.migration_step(" -> 1.0")
}

test_version_line if {
	lib.version_line("0.37.2", false) == "0.37"
	lib.version_line("1.0.8", false) == "1.0"
	lib.version_line("1.1.0", false) == "1.0"
	lib.version_line("v5.0.0", true) == "5"
	lib.step_end("v5", true) == "5"
	lib.step_end("1.0", false) == "1.0"
	lib.step_end("0.37", false) == "0.37"
}

test_rollback_of if {
	o := {"metadata": {"annotations": {"fluxtf.io/rollback": "v4.1.0: v4.2.0 breaks IRSA (INC-1234)"}}}
	lib.rollback_of(o) == {"to": "v4.1.0", "reason": "v4.2.0 breaks IRSA (INC-1234)"}
	not lib.rollback_of({"metadata": {"annotations": {"fluxtf.io/rollback": "no colon"}}})
}

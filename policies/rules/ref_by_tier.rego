# METADATA
# scope: package
# title: Branch refs only in dev (alpha); uat and prod pin exact semver tags
# description: >-
#   All changes to the jeppesen-eks stack go through the `alpha` branch first,
#   and stable releases are tags. Dev is where the branch is tested, so only a
#   dev GitRepository may follow a branch, and only `alpha`. UAT and production
#   must run a reviewed, immutable release: an exact semver tag (`v4.2.0`) that
#   UAT has integration-tested before production takes it. A branch, a
#   `semver` range, a commit or a missing ref (Flux then follows the default
#   branch) would let an untested change reach UAT or production on the next
#   reconcile. The tier is read from `fluxtf.io/tier`, else
#   `fluxtf.io/environment`, else a `dev`/`uat`/`prod` token of the name.
#   The jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), and those of every other
#   stack in the `common` policy family (ocm-client), never an application's
#   or another team's.
# custom:
#   id: ref-by-tier
#   severity: deny
#   summary: >-
#     branch refs only in dev and only `alpha`; uat and prod reference an
#     exact semver tag (no branch, `semver` range, commit or missing ref);
#     every tag has the form `vMAJOR.MINOR.PATCH[-pre]` (no build metadata;
#     `4.2.0` is refused with `v4.2.0`); prod pins no pre-release; every stack
#     of the `common` family
#   fix: >-
#     In dev set `spec.ref.branch: alpha` (or a tag); in uat and prod replace
#     the branch, semver range or commit with `spec.ref.tag` set to the exact
#     release tag, such as `v4.2.0`.
#   specFix: >-
#     In the dev spec set `source.branch: alpha` (or a tag); in uat and prod
#     set `source.tag` to the exact release; render.
package fluxtf.rules.ref_by_tier

import data.fluxtf.lib

rule_id := "ref-by-tier"

ref_kinds := {"branch", "tag", "semver", "commit", "name"}

# The rules below depend on a GitRepository's tier and spec.ref alone (and
# on its name for the message). Distinct [tier, ref] pairs are few, so each
# is checked once: a pair that is plainly fine (dev follows only the alpha
# branch; uat and prod pin only an exact semver tag) gives no finding, and
# the rules look only at the GitRepositories of the other pairs.
_refs := {[x.tier, x.ref] | some x in lib.tiered_git_shapes}

_unclear := {p | some p in _refs; p[0] != ""; not plainly_fine(p[0], p[1])}

plainly_fine("dev", ref) if ref == {"branch": "alpha"}

plainly_fine("uat", ref) if {
	object.keys(ref) == {"tag"}
	lib.tag_form_ok(ref.tag)
}

plainly_fine("prod", ref) if {
	object.keys(ref) == {"tag"}
	lib.tag_form_ok(ref.tag)
	not lib.prerelease(ref.tag)
}

_tiered contains [f.r, f.x.tier] if {
	count(_unclear) > 0
	some f in lib.tiered_git_facts
	_unclear[[f.x.tier, f.x.ref]]
}

# ---- dev: only the alpha branch.

deny contains lib.result(rule_id, r, "spec.ref.branch", msg) if {
	some [r, "dev"] in _tiered
	b := lib.git_ref(r.obj).branch
	lib.ref_set(lib.git_ref(r.obj), "branch")
	b != "alpha"
	msg := sprintf(
		"GitRepository %q (dev) follows branch %s; dev may only follow the alpha branch, where every change lands first: set spec.ref.branch to \"alpha\" or pin a tag",
		[lib.name(r.obj), lib.show(b)],
	)
}

deny contains lib.result(rule_id, r, "spec.ref.name", msg) if {
	some [r, "dev"] in _tiered
	n := lib.git_ref(r.obj).name
	is_string(n)
	startswith(n, "refs/heads/")
	n != "refs/heads/alpha"
	msg := sprintf(
		"GitRepository %q (dev) follows %q; dev may only follow the alpha branch: set spec.ref.branch to \"alpha\" or pin a tag",
		[lib.name(r.obj), n],
	)
}

# ---- every tier: a missing ref follows Flux's default branch.

deny contains lib.result(rule_id, r, field, msg) if {
	some [r, t] in _tiered
	ref := lib.git_ref(r.obj)
	not any_ref(ref)
	field := lib.nearest_field(r.obj, ["spec", "ref"])
	msg := sprintf(
		"GitRepository %q (%s) has no spec.ref, so Flux follows the repository's default branch; %s",
		[lib.name(r.obj), t, want(t)],
	)
}

# ---- uat and prod: an exact semver tag and nothing else.

deny contains lib.result(rule_id, r, sprintf("spec.ref.%s", [k]), msg) if {
	some [r, t] in _tiered
	t in {"uat", "prod"}
	ref := lib.git_ref(r.obj)
	some k in ["branch", "semver", "commit"]
	lib.ref_set(ref, k)
	msg := sprintf(
		"GitRepository %q (%s) references %s %s; %s",
		[lib.name(r.obj), t, what[k], lib.show(ref[k]), want(t)],
	)
}

deny contains lib.result(rule_id, r, "spec.ref.name", msg) if {
	some [r, t] in _tiered
	t in {"uat", "prod"}
	ref := lib.git_ref(r.obj)
	lib.ref_set(ref, "name")
	not exact_tag_name(ref.name)
	msg := sprintf(
		"GitRepository %q (%s) references %s; %s",
		[lib.name(r.obj), t, lib.show(ref.name), want(t)],
	)
}

deny contains lib.result(rule_id, r, tag.field, msg) if {
	some [r, t] in _tiered
	t in {"uat", "prod"}
	tag := lib.ref_tag(r.obj)
	not lib.is_exact_semver(tag.tag)
	msg := sprintf(
		"GitRepository %q (%s) pins tag %s, which is not an exact semver release; %s",
		[lib.name(r.obj), t, lib.show(tag.tag), want(t)],
	)
}

# ---- every tier: a tag in the one documented form, vMAJOR.MINOR.PATCH[-pre].

deny contains lib.result(rule_id, r, tag.field, msg) if {
	some [r, t] in _tiered
	tag := lib.ref_tag(r.obj)
	lib.is_exact_semver(tag.tag)
	fix := lib.tag_form_fix(tag.tag)
	msg := sprintf(
		"GitRepository %q (%s) pins tag %s; release tags have one form, vMAJOR.MINOR.PATCH with an optional -pre-release and no build metadata: tag the release %q and pin that",
		[lib.name(r.obj), t, lib.show(tag.tag), fix],
	)
}

# ---- prod: no pre-release.

deny contains lib.result(rule_id, r, tag.field, msg) if {
	some [r, "prod"] in _tiered
	tag := lib.ref_tag(r.obj)
	lib.is_exact_semver(tag.tag)
	pre := lib.prerelease(tag.tag)
	p := lib.semver_parse(tag.tag)
	msg := sprintf(
		"GitRepository %q (prod) pins the pre-release %s (%s); production runs only releases: pin the release tag v%d.%d.%d once uat has run it",
		[lib.name(r.obj), tag.tag, pre, p.major, p.minor, p.patch],
	)
}

# A ref with only fields this rule does not know (or empty values) in uat/prod.
deny contains lib.result(rule_id, r, "spec.ref", msg) if {
	some [r, t] in _tiered
	t in {"uat", "prod"}
	ref := lib.git_ref(r.obj)
	any_ref(ref)
	not lib.ref_tag(r.obj)
	not other_ref(ref)
	msg := sprintf("GitRepository %q (%s) pins no tag; %s", [lib.name(r.obj), t, want(t)])
}

any_ref(ref) if {
	some k in ref_kinds
	lib.ref_set(ref, k)
}

other_ref(ref) if {
	some k in {"branch", "semver", "commit", "name"}
	lib.ref_set(ref, k)
}

exact_tag_name(n) if {
	is_string(n)
	startswith(n, "refs/tags/")
	lib.is_exact_semver(trim_prefix(n, "refs/tags/"))
}

what := {"branch": "branch", "semver": "the semver range", "commit": "commit"}

want("dev") := "set spec.ref.branch to \"alpha\" or pin a tag"

want(t) := sprintf("%s must pin an exact release: set spec.ref.tag to a semver tag such as \"v4.2.0\" and remove the other ref fields", [t]) if t != "dev"

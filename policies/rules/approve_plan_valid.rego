# METADATA
# scope: package
# title: approvePlan is a known value and manual approval does not loop
# description: >-
#   tf-controller knows `approvePlan: auto` (apply every plan), an empty or
#   omitted value (plan, then wait for manual approval), `disable`
#   (drift detection only) and a plan id `plan-<branch>-<hash>` copied from
#   the pending plan to approve it; anything else (`manual`, `true`, a typo)
#   is taken as a plan id that never matches, so the Terraform waits forever.
#   Manual approval also loops when the Terraform's source repository holds
#   the Terraform manifest itself (tofu-controller#1878): committing the plan
#   id moves the source revision, the controller re-plans under a new plan id
#   and rejects the approval. The rule detects that case when the
#   Terraform's source GitRepository has the URL of the repository being
#   checked (`context.repositoryURL`, normalised as host/owner/repo) or is the
#   bootstrap source `flux-system`, and only when that source follows a
#   moving revision (a branch or a semver range): a source pinned to a tag or
#   a commit does not move when the plan id is committed. A plan id whose
#   reference (`plan-<tag or branch>-<commit>`) is not the one the source
#   GitRepository follows is warned about too: plan ids name the source
#   revision only (tofu-controller#1129), so it never matches.
# related_resources:
#   - ref: https://github.com/flux-iac/tofu-controller/issues/1878
#     description: Manual approval loops when the Terraform CR and its source share a GitRepository
#   - ref: https://github.com/flux-iac/tofu-controller/issues/1129
#     description: Plan ids derive from the source revision only
# custom:
#   id: approve-plan-valid
#   severity: warn
#   summary: >-
#     `approvePlan` is `auto`, empty, `disable` or a `plan-<branch>-<hash>`
#     id; manual approval on a Terraform whose source repository also holds
#     the manifest loops (tofu-controller#1878) when that source follows a
#     branch or semver range (a tag or commit does not move: no warning); a
#     plan id whose ref is not the source GitRepository's tag or branch never
#     matches (plan ids name the source revision only, tofu-controller#1129)
#   fix: >-
#     Set `approvePlan` to `auto`, `disable`, leave it empty, or paste the exact
#     `plan-<branch>-<hash>` id; for manual approval keep the Terraform
#     manifests in another repository than their module source, or approve with
#     `tfctl approve` instead of a commit.
package fluxtf.rules.approve_plan_valid

import data.fluxtf.lib

rule_id := "approve-plan-valid"

named := {"auto", "", "disable"}

plan_id := `^plan-([A-Za-z0-9._/-]+-)?[0-9a-f]{7,10}$`

# An approvePlan of "auto" or "disable" (a fact's x.quiet) gives neither
# warning below (it is valid, and not a manual approval): the rules look
# only at the other Terraforms. (x.quiet is a boolean: reading it is
# cheaper than looking x, an object of a dozen fields, up in _loud.)
_loud := {x | some x in lib.tf_shapes; not x.quiet}

suspects := [f | count(_loud) > 0; some f in lib.tf_facts; f.x.quiet == false]

# _plans: the distinct approvePlan values set (lib.tf_spec_values): the
# rules below read the suspects only when one of them may fire.
_plans := {v | some [_, "approvePlan", v] in lib.tf_spec_values}

_invalid_plans := {v | some v in _plans; not valid(v)}

_plan_ids if {
	some v in _plans
	is_string(v)
	startswith(v, "plan-")
}

# _flux_system_sources: some Terraform's source may be named flux-system
# (its key ends so).
_flux_system_sources if {
	some k in lib.tf_source_keys
	endswith(k, "/flux-system")
}

warn contains lib.result(rule_id, r, "spec.approvePlan", msg) if {
	count(_invalid_plans) > 0
	some f in suspects
	r := f.r
	v := r.obj.spec.approvePlan # (defined when set, to null too)
	not valid(v)
	msg := sprintf(
		"Terraform %q sets approvePlan to %s, which tf-controller reads as a plan id that never matches; set it to \"auto\", \"disable\", \"\" (manual approval) or the exact plan-<branch>-<hash> id",
		[lib.name(r.obj), lib.show(v)],
	)
}

valid(v) if v in named

valid(v) if v == null

valid(v) if {
	is_string(v)
	regex.match(plan_id, v)
}

# manual: plan and wait for an approval (omitted, empty or a plan id).
manual(o) if not o.spec.approvePlan

manual(o) if o.spec.approvePlan == ""

manual(o) if {
	v := o.spec.approvePlan
	is_string(v)
	regex.match(plan_id, v)
}

# self_source(src): why a Terraform whose source_ref is src (null when it
# has none) also holds its manifest.
self_source(src) := sprintf("its source GitRepository %q is the repository these manifests live in (%s)", [src.name, lib.repository_url]) if {
	src.kind == "GitRepository"
	g := lib.fact_index[src.key]
	lib.normalize_url(g.x.url) == lib.repository_url
} else := "its source is flux-system, the repository these manifests live in" if {
	src.kind == "GitRepository"
	src.name == "flux-system"
}

# self_keys: the keys of the GitRepositories whose URL is the repository's
# (each distinct URL normalised once): a manual Terraform can warn below
# only if its source is one of them or is named flux-system.
_self_urls := {u | some x in lib.git_shapes; u := x.url; lib.normalize_url(u) == lib.repository_url}

self_keys := {k |
	count(_self_urls) > 0
	some g in lib.git_facts
	k := g.key
	_self_urls[lib.fact_index[k].x.url]
}

_self_suspects := [f |
	some f in array.concat(
		[f | count(self_keys) > 0; some f in suspects; self_keys[f.src.key]],
		[f | _flux_system_sources; some f in suspects; f.src.name == "flux-system"],
	)
	not pinned_source(f.src)
]

# pinned_source(src): the Terraform's source GitRepository is in the set and
# pins a revision that a commit does not move (a tag or a commit), so
# committing a plan id does not re-plan: the loop of tofu-controller#1878
# needs a moving revision (a branch, a semver range).
pinned_source(src) if {
	g := lib.fact_index[src.key]
	g.kind == "GitRepository"
	pinned_ref(g.x.ref)
}

# Flux's precedence: name, then commit, then semver, then tag, then branch.
pinned_ref(ref) if startswith(ref.name, "refs/tags/")

pinned_ref(ref) if {
	not lib.ref_set(ref, "name")
	lib.ref_set(ref, "commit")
}

pinned_ref(ref) if {
	not lib.ref_set(ref, "name")
	not lib.ref_set(ref, "commit")
	not lib.ref_set(ref, "semver")
	lib.ref_set(ref, "tag")
}

# source_revision_ref(ref): the reference tf-controller puts in the plan ids
# of a GitRepository with spec.ref ref (api/planid/plain_id.go: the part of
# the artifact revision <ref>@sha1:<commit> before the @); undefined when it
# cannot be told (a commit or a semver range).
source_revision_ref(ref) := ref.name if {
	lib.ref_set(ref, "name")
} else := ref.tag if {
	not lib.ref_set(ref, "commit")
	not lib.ref_set(ref, "semver")
	lib.ref_set(ref, "tag")
} else := ref.branch if {
	not lib.ref_set(ref, "commit")
	not lib.ref_set(ref, "semver")
	lib.ref_set(ref, "branch")
}

# An approval of a plan made at another revision than the source's: plan
# ids name the source revision only (tofu-controller#1129), so the plan of
# another tag or branch is never the pending one.
warn contains lib.result(rule_id, f.r, "spec.approvePlan", msg) if {
	_plan_ids
	some f in suspects
	v := f.r.obj.spec.approvePlan
	startswith(v, "plan-") # (a string naming a plan)
	ms := regex.find_all_string_submatch_n(`^plan-(.+)-[0-9a-f]{7,10}$`, v, 1)
	planned := ms[0][1]
	g := lib.fact_index[f.src.key]
	g.kind == "GitRepository"
	current := source_revision_ref(g.x.ref)
	planned != current
	msg := sprintf(
		"Terraform %q approves plan %q, made at %s, but its source %q is at %s: tf-controller names a plan after the source revision only (tofu-controller#1129), so this approval never matches; approve the pending plan of %s (fluxtf approve)",
		[f.name, v, planned, g.name, current, current],
	)
}

warn contains lib.result(rule_id, r, field, msg) if {
	some f in _self_suspects
	r := f.r
	manual(r.obj)
	why := self_source(f.src)
	field := approve_field(r.obj)
	msg := sprintf(
		"Terraform %q waits for manual approval but %s, so committing the plan id moves the source and re-plans forever (tofu-controller#1878); use approvePlan \"auto\" or keep the manifest in another repository than its source",
		[f.name, why],
	)
}

approve_field(o) := "spec.approvePlan" if {
	"approvePlan" in object.keys(object.get(o, "spec", {}))
} else := "spec.sourceRef.name"

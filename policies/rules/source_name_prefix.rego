# METADATA
# scope: package
# title: A stack's sources are named with its prefix (jeppesen-eks…, ocm-client…)
# description: >-
#   The platform's Git reference naming convention says that sources of the
#   EKS module stack start with `jeppesen-eks`, and those of every other
#   stack with that stack's own prefix (its catalogue's `sourcePrefix`,
#   rendered into the annotation `fluxtf.io/source-prefix`; `ocm-client` for
#   the ocm-client stack): dashboards, alerts, RBAC and
#   the promotion tooling find the stack's GitRepositories by that prefix, so a
#   GitRepository that carries the stack under another name escapes them. The
#   rule checks the stack's GitRepositories only: those labelled
#   `fluxtf.io/stack: jeppesen-eks` (or, without a stack label,
#   `app.kubernetes.io/managed-by: fluxtf`), those whose name or URL contains
#   `jeppesen-eks`, and those a Terraform of the stack (that stack label, or
#   a `spec.path` containing `jeppesen-eks`) uses. An application's or
#   another team's GitRepository is not looked at, whatever its name. The
#   GitRepositories of other stacks are those labelled with the stack whose
#   policy families (`fluxtf.io/policies`) include `common`. (A
#   `sourceRef` that names no object is rule `source-ref-resolves`.)
# custom:
#   id: source-name-prefix
#   severity: deny
#   summary: >-
#     a stack's GitRepositories are named with its prefix: `jeppesen-eks…`;
#     another stack's of the `common` family (`ocm-client…`) with
#     `fluxtf.io/source-prefix`
#   fix: >-
#     Rename the GitRepository so that its name starts with its stack's
#     prefix (for example `jeppesen-eks-uat` or `ocm-client-uat`) and point
#     the Terraforms' `spec.sourceRef.name` at it.
package fluxtf.rules.source_name_prefix

import data.fluxtf.lib

rule_id := "source-name-prefix"

# A GitRepository of a stack under another name.
deny contains lib.result(rule_id, g.r, "metadata.name", msg) if {
	some g in lib.tiered_git_facts
	n := g.name
	prefix := lib.source_prefix(g)
	not startswith(n, prefix)
	n != ""
	msg := sprintf(
		"GitRepository %q holds the %s module stack but its name does not start with %q; rename it to %q and update the Terraforms' spec.sourceRef.name",
		[n, lib.stack_name_of(g), prefix, suggestion(g.r.obj, prefix)],
	)
}

# suggestion: a conforming name for the GitRepository o of a stack whose
# prefix is prefix.
suggestion(o, prefix) := sprintf("%s-%s", [prefix, lib.tier(o)]) if {
	lib.tier(o)
} else := concat("-", ["jeppesen", lib.name(o)]) if {
	prefix == "jeppesen-eks"
	startswith(lib.name(o), "eks")
} else := sprintf("%s-%s", [prefix, lib.name(o)])

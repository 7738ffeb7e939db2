# METADATA
# scope: package
# title: The stack's sources are named jeppesen-eks…
# description: >-
#   The platform's Git reference naming convention says that sources of the
#   EKS module stack start with `jeppesen-eks`: dashboards, alerts, RBAC and
#   the promotion tooling find the stack's GitRepositories by that prefix, so a
#   GitRepository that carries the stack under another name escapes them. The
#   rule checks the stack's GitRepositories only: those labelled
#   `fluxtf.io/stack: jeppesen-eks` (or, without a stack label,
#   `app.kubernetes.io/managed-by: fluxtf`), those whose name or URL contains
#   `jeppesen-eks`, and those a Terraform of the stack (that stack label, or
#   a `spec.path` containing `jeppesen-eks`) uses. An application's or
#   another team's GitRepository is not looked at, whatever its name. (A
#   `sourceRef` that names no object is rule `source-ref-resolves`.)
# custom:
#   id: source-name-prefix
#   severity: deny
#   summary: >-
#     the stack's GitRepositories are named `jeppesen-eks…`
#   fix: >-
#     Rename the GitRepository so that its name starts with `jeppesen-eks`
#     (for example `jeppesen-eks-uat`) and point the Terraforms'
#     `spec.sourceRef.name` at it.
package fluxtf.rules.source_name_prefix

import data.fluxtf.lib

rule_id := "source-name-prefix"

prefix := "jeppesen-eks"

# A GitRepository of the stack under another name.
deny contains lib.result(rule_id, g.r, "metadata.name", msg) if {
	some g in lib.stack_git_facts
	n := g.name
	not startswith(n, prefix)
	n != ""
	msg := sprintf(
		"GitRepository %q holds the jeppesen-eks module stack but its name does not start with %q; rename it to %q and update the Terraforms' spec.sourceRef.name",
		[n, prefix, suggestion(g.r.obj)],
	)
}

# suggestion: a conforming name for the GitRepository o.
suggestion(o) := sprintf("%s-%s", [prefix, lib.tier(o)]) if {
	lib.tier(o)
} else := concat("-", ["jeppesen", lib.name(o)]) if {
	startswith(lib.name(o), "eks")
} else := sprintf("%s-%s", [prefix, lib.name(o)])

# METADATA
# scope: package
# title: Runners can reach the clusters they install into
# description: >-
#   tf-controller runs every plan in a runner pod of the management
#   cluster. The component modules (Karpenter, Istio, …) install into the
#   target cluster through its API endpoint, which the base stack keeps
#   private (`cluster_endpoint_public_access: false`): a runner reaches it
#   only over a network path to the cluster's VPC (VPC peering, Transit
#   Gateway, or runners in that VPC). A base Terraform with a private
#   endpoint that components depend on, and no annotation
#   `fluxtf.io/runner-access` saying how the runners get there, is warned
#   about: its components would time out on the first apply. A public
#   endpoint (`cluster_endpoint_public_access: true`) with no
#   `cluster_endpoint_public_access_cidrs`, or one listing `0.0.0.0/0`, is
#   warned about too: the cluster API is open to the internet.
# custom:
#   id: runner-reachability
#   severity: warn
#   summary: >-
#     a base Terraform with a private API endpoint
#     (`cluster_endpoint_public_access: false`) that components depend on says
#     how runners reach it (annotation `fluxtf.io/runner-access`); a public
#     endpoint lists `cluster_endpoint_public_access_cidrs` without
#     `0.0.0.0/0`
#   fix: >-
#     Decide how runners reach the cluster and say so in the spec:
#     `terraform.runnerAccess: private` (or per target) once the management
#     cluster has a network path to the cluster's VPC, or `public` with
#     `terraform.runnerCidrs` listing the management cluster's egress
#     addresses.
package fluxtf.rules.runner_reachability

import data.fluxtf.lib

rule_id := "runner-reachability"

# (lib.fact_result: many clusters may warn. lib.eks_unreached_bases: the
# base Terraforms with a private endpoint that components depend on and
# no annotation fluxtf.io/runner-access, picked by the engine.)
warn contains lib.fact_result(rule_id, f, lib.var_field(f.y.vm.cluster_endpoint_public_access), msg) if {
	some f in lib.eks_unreached_bases
	msg := sprintf(
		"Terraform %q keeps the cluster's API endpoint private, and components install into the cluster from runners in the management cluster, but nothing says how they reach it: give the management cluster a network path to the VPC and set terraform.runnerAccess: private, or runnerAccess: public with terraform.runnerCidrs",
		[f.name],
	)
}

warn contains lib.result(rule_id, f.r, cidr_field(c, i), msg) if {
	some f in lib.eks_bases_by_endpoint_access[true]
	i := f.y.vm.cluster_endpoint_public_access
	c := _cidrs(f)
	open_to_all(c)
	msg := sprintf(
		"Terraform %q makes the cluster's API endpoint public to every address; list only the runners' egress addresses in cluster_endpoint_public_access_cidrs (terraform.runnerCidrs)",
		[f.name],
	)
}

# _cidrs(f): lib.fvar of cluster_endpoint_public_access_cidrs, or null.
_cidrs(f) := c if {
	c := lib.fvar(f, "cluster_endpoint_public_access_cidrs")
} else := null

# open_to_all(c): the cidrs c (_cidrs) let every address in.
open_to_all(null)

open_to_all(c) if "0.0.0.0/0" in c.value

# cidr_field(c, i): the cidrs' field, else the endpoint var's (index i).
cidr_field(null, i) := lib.var_field(i)

cidr_field(c, _) := lib.var_field(c.index) if c != null

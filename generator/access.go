package generator

import (
	"fmt"
	"net/netip"

	"github.com/invopop/jsonschema"

	"github.com/digx/fluxtf/internal/contract"
)

// RunnerAccess is how the tf-runner pods, which run in the management
// cluster, reach a target cluster's API endpoint: the component modules
// install into the cluster through it.
type RunnerAccess string

// Runner access modes.
const (
	// AccessPrivate: the endpoint stays private (the base stack's default,
	// cluster_endpoint_public_access false) and the platform provides a
	// network path from the management cluster to the cluster's VPC (VPC
	// peering, Transit Gateway, or runners in that VPC).
	AccessPrivate RunnerAccess = "private"
	// AccessPublic: the endpoint is public, limited to
	// terraform.runnerCidrs (the management cluster's egress addresses).
	AccessPublic RunnerAccess = "public"
)

// JSONSchema describes RunnerAccess for editors.
func (RunnerAccess) JSONSchema() *jsonschema.Schema {
	return enumSchema("private: runners reach the private API endpoint over a network path (peering, Transit Gateway); public: the endpoint is public, limited to terraform.runnerCidrs.", "private", "public")
}

// access is the runner access of a target.
func access(e *Environment, t Target) RunnerAccess {
	if t.RunnerAccess != "" {
		return t.RunnerAccess
	}
	return e.Terraform.RunnerAccess
}

// runnerAccess checks terraform.runnerAccess, runnerCidrs and the targets'
// overrides.
func (c *checker) runnerAccess(e *Environment) {
	valid := func(path string, a RunnerAccess) {
		if a != "" && a != AccessPrivate && a != AccessPublic {
			c.add(path, "must be private or public, got %q", a)
		}
	}
	valid("terraform.runnerAccess", e.Terraform.RunnerAccess)
	public := false
	for i, t := range e.Targets {
		valid(fmt.Sprintf("targets[%d].runnerAccess", i), t.RunnerAccess)
		if access(e, t) == AccessPublic {
			public = true
			if _, ok := e.Cluster.Vars[contract.VarEndpointPublicAccess]; ok {
				c.add("cluster.vars["+contract.VarEndpointPublicAccess+"]", "is set by fluxtf when a target's runnerAccess is public; remove it")
			}
			if _, ok := e.Cluster.Vars[contract.VarEndpointPublicCIDRs]; ok {
				c.add("cluster.vars["+contract.VarEndpointPublicCIDRs+"]", "is set by fluxtf from terraform.runnerCidrs when a target's runnerAccess is public; remove it")
			}
		}
	}
	for i, cidr := range e.Terraform.RunnerCIDRs {
		p := fmt.Sprintf("terraform.runnerCidrs[%d]", i)
		pf, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil:
			c.add(p, "%q is not a CIDR block such as 203.0.113.10/32", cidr)
		case pf.Bits() == 0:
			c.add(p, "%s opens the cluster API to the whole internet; list the management cluster's egress addresses", cidr)
		}
	}
	if public && len(e.Terraform.RunnerCIDRs) == 0 {
		c.add("terraform.runnerCidrs", "is required when a target's runnerAccess is public: the management cluster's egress addresses (NAT gateway IPs) the endpoint admits")
	}
}

// accessVars sets the base stack's endpoint variables of a public target.
func accessVars(e *Environment, t Target, v map[string]any) {
	if access(e, t) == AccessPublic {
		v[contract.VarEndpointPublicAccess] = true
		v[contract.VarEndpointPublicCIDRs] = append([]string(nil), e.Terraform.RunnerCIDRs...)
	}
}

package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/digx/fluxtf/policies"
)

// policyLimits are the flags bounding the user policies' evaluation
// (validate and check).
type policyLimits struct {
	timeout time.Duration
	memory  string
}

func (p *policyLimits) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.DurationVar(&p.timeout, "policy-timeout", policies.DefaultPolicyTimeout, "time your own policies may run (--policy) before the run stops with exit 2")
	f.StringVar(&p.memory, "policy-memory", "512Mi", "memory your own policies may add to the process (--policy; a Kubernetes quantity: 256Mi, 2Gi) before the run stops with exit 2")
}

// limits reads the flags.
func (p *policyLimits) limits() (policies.Limits, error) {
	if p.timeout <= 0 {
		return policies.Limits{}, fmt.Errorf("--policy-timeout must be positive, got %s", p.timeout)
	}
	q, err := resource.ParseQuantity(p.memory)
	if err != nil || q.Value() <= 0 {
		return policies.Limits{}, fmt.Errorf("--policy-memory must be a positive size such as 512Mi or 2Gi, got %q", p.memory)
	}
	return policies.Limits{Timeout: p.timeout, Memory: q.Value()}, nil
}

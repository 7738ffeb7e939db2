package generator

import (
	"fmt"

	"github.com/digx/fluxtf/templates"
)

// Approval approves the pending plan of a target's Terraform objects: it
// renders spec.approvePlan: <plan> on them, which tf-controller applies
// when the object's pending plan has exactly that id.
type Approval struct {
	// Target is the target's name (targets[].name, default <account>-<region>).
	Target string `json:"target"`
	// Component limits the approval to one Terraform object: a component's name, or the base module's (eks, or "base"). Default: every object of the target.
	Component string `json:"component,omitempty"`
	// Plan is the plan id tf-controller shows for the pending plan, plan-<tag or branch>-<10 hex digits of the commit>.
	Plan string `json:"plan"`
}

// planIDRE matches the plan ids tf-controller makes from a source revision
// <ref>@sha1:<commit> (api/planid/plain_id.go in tofu-controller):
// plan-<ref>-<the commit's first 10 hex digits>. tf-controller re-plans
// before a manual apply and then compares the whole id, so a shortened id
// never applies.
// (planIDRE, in patterns.go, is that shape.)

// ParsePlanID splits a plan id into the source reference (tag or branch)
// and the commit prefix it was planned at.
func ParsePlanID(id string) (ref, commit string, err error) {
	m := planIDRE.FindStringSubmatch(id)
	if m == nil {
		return "", "", fmt.Errorf("%q is not a tf-controller plan id: copy it from the Terraform's pending plan (kubectl get terraform NAME -o jsonpath='{.status.plan.pending}'), such as plan-v4.2.0-1a2b3c4d5e", id)
	}
	return m[1], m[2], nil
}

// Ref is the reference a plan id of the source names:
// its tag, or its branch.
func (s Source) Ref() string {
	if s.Tag != "" {
		return s.Tag
	}
	return s.Branch
}

// StaleApproval says why an approval's plan cannot be the pending plan of
// the environment's source, or "" when it may be: tf-controller names a
// plan after the source revision only (tofu-controller#1129), so a plan of
// another tag or branch never matches.
func StaleApproval(e *Environment, a Approval) string {
	ref, _, err := ParsePlanID(a.Plan)
	if err != nil {
		return err.Error()
	}
	if want := e.Source.Ref(); ref != want {
		return fmt.Sprintf("plan %s was made at %s, but the source is at %s: it never matches a pending plan; approve the plan tf-controller shows for %s", a.Plan, ref, want, want)
	}
	return ""
}

// approvalFor is the plan id approved for a target's object of a
// component: an approval naming the component wins over one for the whole
// target.
func approvalFor(e *Environment, st *templates.Stack, target, component string) string {
	plan := ""
	for _, a := range e.Approvals {
		if a.Target != target {
			continue
		}
		c := a.Component
		if c == "base" {
			c = st.Base.Name
		}
		switch c {
		case component:
			return a.Plan
		case "":
			plan = a.Plan
		}
	}
	return plan
}

// approvals checks the approvals against the targets and the stack.
func (c *checker) approvals(e *Environment, st *templates.Stack) {
	if len(e.Approvals) == 0 {
		return
	}
	targets := map[string]bool{}
	for _, t := range e.Targets {
		targets[t.ID()] = true
	}
	seen := map[[2]string]int{}
	for i, a := range e.Approvals {
		p := fmt.Sprintf("approvals[%d]", i)
		if e.Terraform.ApprovePlan == ApproveAuto {
			c.add(p, "approves a plan, but terraform.approvePlan is auto, which applies every plan; remove the approval or set approvePlan: manual")
		}
		if !targets[a.Target] {
			c.add(p+".target", "no target is named %q%s", a.Target, closest(a.Target, sortedKeys(targets)))
		}
		comp := a.Component
		if comp == "base" {
			comp = st.Base.Name
		}
		if comp != "" && comp != st.Base.Name {
			if ec, ok := e.Components[comp]; !ok || !ec.On() {
				c.add(p+".component", "component %q is not enabled; name an enabled component or %s (the base stack)", a.Component, st.Base.Name)
			}
		}
		if _, _, err := ParsePlanID(a.Plan); err != nil {
			c.add(p+".plan", "%s", err.Error())
		}
		k := [2]string{a.Target, comp}
		if j, dup := seen[k]; dup {
			c.add(p, "approves the same objects as approvals[%d]; keep one", j)
		}
		seen[k] = i
	}
}

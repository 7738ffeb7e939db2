package main

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/approve"
	"github.com/digx/fluxtf/templates"
)

type approveOptions struct {
	env       string
	target    string
	component string
	specs     string
	out       string
	templates string
}

func newApproveCmd(s streams) *cobra.Command {
	o := &approveOptions{}
	cmd := &cobra.Command{
		Use:   "approve --env ENV --target TARGET [--component C] PLAN_ID",
		Short: "Approve a pending tf-controller plan through Git: record its id in the spec and render",
		Long: `Approve records the approval of a pending plan in the environment's spec
(an entry of its approvals list, for the target and, with --component, one
component; without it, every Terraform of the target) and renders the
environment, whose Terraform objects then carry approvePlan: PLAN_ID.
Review the diff, commit the spec and the output together, and tf-controller
applies the plan whose id matches.

PLAN_ID is what tf-controller shows for the pending plan
(kubectl get terraform NAME -o jsonpath='{.status.plan.pending}'):
plan-<tag or branch>-<first 10 hex digits of the commit>. tf-controller
names plans after the source revision only (tofu-controller#1129): a plan
of another tag or branch than the spec's source never matches, and is
reported as a warning.

The spec keeps its comments and layout: only the plan id, or the lines of a
new entry, change.`,
		Example: `  fluxtf approve --env prod --target digx-prod-eu-eu-west-1 plan-v4.2.0-1a2b3c4d5e
  fluxtf approve --env prod --target digx-prod-eu-eu-west-1 --component karpenter plan-v4.2.0-1a2b3c4d5e`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return runApprove(s, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.env, "env", "e", "", "environment whose spec records the approval")
	_ = cmd.RegisterFlagCompletionFunc("env", completeEnvs)
	f.StringVar(&o.target, "target", "", "target of the Terraform objects (targets[].name, default <account>-<region>)")
	f.StringVar(&o.component, "component", "", "only this component's Terraform (or the base module's name); default every object of the target")
	_ = cmd.RegisterFlagCompletionFunc("component", completeComponents)
	addSpecsFlag(cmd, &o.specs)
	addOutFlag(cmd, &o.out)
	addNoOutputFlag(cmd)
	addTemplatesFlag(cmd, &o.templates)
	_ = cmd.MarkFlagRequired("env")
	_ = cmd.MarkFlagRequired("target")
	return cmd
}

func runApprove(s streams, o *approveOptions, plan string) error {
	opts := approve.Options{SpecsDir: o.specs, OutDir: o.out, Env: o.env, Target: o.target, Component: o.component, Plan: plan}
	if o.templates != "" {
		set, err := templates.WithOverrides(o.templates)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		opts.Templates = set
	}
	res, err := approve.Approve(opts)
	var ie *approve.InputError
	switch {
	case errors.As(err, &ie):
		return &exitError{code: exitInput, err: err}
	case err != nil:
		return &exitError{code: exitInput, err: err}
	}
	for _, w := range res.Warnings {
		statusf(s.err, "fluxtf: warning: %s", w)
	}
	verb := "approved"
	if !res.Changed {
		verb = "already approved"
	}
	statusf(s.err, "fluxtf: %s %s in %s:%d for %s", verb, plan, res.File, res.Line, strings.Join(res.Objects, ", "))
	statusf(s.err, "fluxtf: rendered %s into %s: %s; review the diff and commit the spec and the output together", o.env, o.out, summary(res.Render))
	return nil
}

// Package approve records the approval of a pending tf-controller plan in
// an environment spec (`fluxtf approve`): it adds or updates the entry of
// the spec's `approvals` list for a target (and optionally one component),
// editing the file's text in place so that its comments and layout stay as
// they were, checks the result loads, and renders the environment, whose
// Terraform objects then carry `approvePlan: <plan id>`.
//
// tf-controller names a plan after the source revision only,
// plan-<tag or branch>-<first 10 hex digits of the commit>
// (api/planid/plain_id.go in tofu-controller; tofu-controller#1129), and
// applies an approved plan only when a fresh plan before the apply has the
// same id (controllers/tf_controller_reconcile.go). An approval of a plan
// made at another tag or branch than the spec's source never applies; it
// is reported as a warning.
package approve

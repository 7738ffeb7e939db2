package generator

import (
	"testing"
)

// TestRunnerSettingsRender: terraform.runnerPod, tfstate, driftDetection
// and alwaysCleanupRunnerPod reach every Terraform object.
func TestRunnerSettingsRender(t *testing.T) {
	t.Parallel()
	prod := testProd + `terraform:
  serviceAccountName: tf-runner-prod
  driftDetection: false
  alwaysCleanupRunnerPod: false
  tfstate: {forceUnlock: "yes", lockIdentifier: f2ab685b-f84d-ac0b-a125-378a22877e8d}
  runnerPod:
    annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::999999999999:role/tf-runner"}
    labels: {team: platform}
    nodeSelector: {node.kubernetes.io/role: platform}
    tolerations: [{key: platform, operator: Exists, effect: NoSchedule}]
    resources: {requests: {cpu: 250m}, limits: {memory: 2Gi}}
`
	dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": prod})
	tfs := terraforms(t, dir, "prod")
	if len(tfs) != 6 {
		t.Fatalf("%d Terraforms, want 6", len(tfs))
	}
	for name, tf := range tfs {
		s := tf.Spec
		tp := s.RunnerPodTemplate
		switch {
		case s.ServiceAccountName != "tf-runner-prod":
			t.Errorf("%s: serviceAccountName %q", name, s.ServiceAccountName)
		case !s.DisableDriftDetection:
			t.Errorf("%s: drift detection on", name)
		case s.AlwaysCleanupRunnerPod == nil || *s.AlwaysCleanupRunnerPod:
			t.Errorf("%s: alwaysCleanupRunnerPod %v", name, s.AlwaysCleanupRunnerPod)
		case s.TFState == nil || s.TFState.ForceUnlock != "yes" || s.TFState.LockIdentifier != "f2ab685b-f84d-ac0b-a125-378a22877e8d":
			t.Errorf("%s: tfstate %+v", name, s.TFState)
		case tp.Metadata.Annotations["eks.amazonaws.com/role-arn"] != "arn:aws:iam::999999999999:role/tf-runner" || tp.Metadata.Labels["team"] != "platform":
			t.Errorf("%s: runner pod metadata %+v", name, tp.Metadata)
		case tp.Spec.NodeSelector["node.kubernetes.io/role"] != "platform" || len(tp.Spec.Tolerations) != 1 || tp.Spec.Tolerations[0].Operator != "Exists":
			t.Errorf("%s: runner pod scheduling %+v", name, tp.Spec)
		case tp.Spec.Resources == nil || tp.Spec.Resources.Requests.Cpu().String() != "250m" || tp.Spec.Resources.Limits.Memory().String() != "2Gi":
			t.Errorf("%s: runner resources %+v", name, tp.Spec.Resources)
		}
	}
}

func TestRunnerSettingsErrors(t *testing.T) {
	t.Parallel()
	prod := testProd + `terraform:
  tfstate: {forceUnlock: "yes"}
  runnerPod:
    annotations: {"bad key!": x}
    labels: {team: "not a value"}
    tolerations: [{key: platform, operator: Exists, value: x, effect: Never, tolerationSeconds: 5}]
    resources: {requests: {cpu: lots, gpu: "1"}}
`
	wantLoadError(t, "", prod,
		`prod.yaml:12:12: terraform.tfstate.lockIdentifier: is required with forceUnlock: yes`,
		`terraform.runnerPod.annotations[bad key!]: "bad key!" is not an annotation key`,
		`terraform.runnerPod.labels[team]: "not a value" is not a label value`,
		`terraform.runnerPod.tolerations[0].value: must be empty with operator Exists`,
		`terraform.runnerPod.tolerations[0].effect: must be NoSchedule, PreferNoSchedule or NoExecute, got "Never"`,
		`terraform.runnerPod.tolerations[0].tolerationSeconds: applies only with effect NoExecute`,
		`terraform.runnerPod.resources.requests[cpu]: "lots" is not a quantity`,
		`terraform.runnerPod.resources.requests[gpu]: unknown resource "gpu"`,
	)
}

package v1alpha2_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
)

func validTerraform() *v1alpha2.Terraform {
	return &v1alpha2.Terraform{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha2.APIVersion, Kind: v1alpha2.TerraformKind},
		ObjectMeta: metav1.ObjectMeta{Name: "helloworld", Namespace: "flux-system"},
		Spec: v1alpha2.TerraformSpec{
			Interval:  metav1.Duration{Duration: time.Minute},
			SourceRef: v1alpha2.CrossNamespaceSourceReference{Kind: v1alpha2.SourceKindGitRepository, Name: "helloworld"},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// everythingTerraform sets every spec field to a valid value.
func everythingTerraform() *v1alpha2.Terraform {
	tf := validTerraform()
	tf.Spec = v1alpha2.TerraformSpec{
		ApprovePlan:        v1alpha2.ApprovePlanAuto,
		Destroy:            true,
		BackendConfig:      &v1alpha2.BackendConfigSpec{SecretSuffix: "s", Labels: map[string]string{"a": "b"}},
		BackendConfigsFrom: []v1alpha2.BackendConfigsReference{{Kind: v1alpha2.ReferenceKindSecret, Name: "b", Keys: []string{"k"}}},
		Cloud:              &v1alpha2.CloudSpec{Organization: "org", Workspaces: &v1alpha2.CloudWorkspacesSpec{Name: "w"}},
		Workspace:          "default",
		Vars: []v1alpha2.Variable{
			{Name: "region", Value: &apiextensionsv1.JSON{Raw: []byte(`"eu-west-1"`)}},
			{Name: "secret", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{Key: "k"}}},
		},
		VarsFrom:                            []v1alpha2.VarsReference{{Kind: v1alpha2.ReferenceKindConfigMap, Name: "cm"}},
		Values:                              &apiextensionsv1.JSON{Raw: []byte(`{"a":1}`)},
		TfVarsFiles:                         []string{"dev.tfvars"},
		FileMappings:                        []v1alpha2.FileMapping{{SecretRef: v1alpha2.SecretKeyReference{Name: "creds", Key: "k"}, Location: v1alpha2.FileMappingLocationHome, Path: ".aws/credentials"}},
		Interval:                            metav1.Duration{Duration: time.Minute},
		RetryInterval:                       &metav1.Duration{Duration: 10 * time.Second},
		RetryStrategy:                       v1alpha2.RetryStrategyExponentialBackoff,
		MaxRetryInterval:                    &metav1.Duration{Duration: time.Hour},
		Path:                                "./",
		SourceRef:                           v1alpha2.CrossNamespaceSourceReference{Kind: v1alpha2.SourceKindOCIRepository, Name: "pkg", Namespace: "flux-system"},
		ReadInputsFromSecrets:               []v1alpha2.ReadInputsFromSecretSpec{{Name: "out", As: "out"}},
		WriteOutputsToSecret:                &v1alpha2.WriteOutputsToSecretSpec{Name: "outputs", Outputs: []string{"arn"}},
		CliConfigSecretRef:                  &corev1.SecretReference{Name: "cli"},
		HealthChecks:                        []v1alpha2.HealthCheck{{Name: "web", Type: v1alpha2.HealthCheckTypeHTTP, URL: "https://example.com", Timeout: &metav1.Duration{Duration: 20 * time.Second}}},
		ServiceAccountName:                  "tf-runner",
		AlwaysCleanupRunnerPod:              ptr(false),
		RunnerTerminationGracePeriodSeconds: ptr(int64(60)),
		UpgradeOnInit:                       ptr(false),
		RunnerPodTemplate: v1alpha2.RunnerPodTemplate{
			Metadata: v1alpha2.RunnerPodMetadata{Labels: map[string]string{"a": "b"}},
			Spec: v1alpha2.RunnerPodSpec{
				Image:          "ghcr.io/flux-iac/tf-runner",
				Env:            []corev1.EnvVar{{Name: "A", Value: "b"}},
				HostAliases:    []corev1.HostAlias{{IP: "127.0.0.1"}},
				InitContainers: []corev1.Container{{Name: "init"}},
				VolumeMounts:   []corev1.VolumeMount{{Name: "v", MountPath: "/v"}},
				Volumes:        []corev1.Volume{{Name: "v"}},
			},
		},
		TFState:           &v1alpha2.TFStateSpec{ForceUnlock: v1alpha2.ForceUnlockAuto, LockTimeout: &metav1.Duration{}},
		Targets:           []string{"aws_s3_bucket.b"},
		Parallelism:       4,
		StoreReadablePlan: v1alpha2.StoreReadablePlanHuman,
		Plan:              &v1alpha2.PlanSpec{Lock: ptr(false)},
		Webhooks:          []v1alpha2.Webhook{{Stage: v1alpha2.WebhookStagePostPlanning, URL: "https://policy", TestExpression: "${{ .passed }}"}},
		DependsOn:         []v1alpha2.NamespacedObjectReference{{Name: "other"}},
		BranchPlanner:     &v1alpha2.BranchPlanner{EnablePathScope: true},
		Remediation:       &v1alpha2.Remediation{Retries: 3},
	}
	return tf
}

func fieldsOf(errs field.ErrorList) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = string(e.Type) + " " + e.Field
	}
	slices.Sort(out)
	return out
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(tf *v1alpha2.Terraform)
		want   []string // sorted "<error type> <field path>"
	}{
		{name: "minimal", mutate: func(*v1alpha2.Terraform) {}},
		{name: "every field set", mutate: func(tf *v1alpha2.Terraform) { *tf = *everythingTerraform() }},
		{name: "plan ID approval", mutate: func(tf *v1alpha2.Terraform) { tf.Spec.ApprovePlan = "plan-main-b8e362c206" }},
		{name: "missing apiVersion and kind", mutate: func(tf *v1alpha2.Terraform) { tf.TypeMeta = metav1.TypeMeta{} },
			want: []string{"FieldValueRequired apiVersion", "FieldValueRequired kind"}},
		{name: "v1alpha1 apiVersion", mutate: func(tf *v1alpha2.Terraform) { tf.APIVersion = v1alpha2.DeprecatedAPIVersion },
			want: []string{"FieldValueNotSupported apiVersion"}},
		{name: "wrong kind", mutate: func(tf *v1alpha2.Terraform) { tf.Kind = "Kustomization" },
			want: []string{"FieldValueNotSupported kind"}},
		{name: "missing name", mutate: func(tf *v1alpha2.Terraform) { tf.Name = "" },
			want: []string{"FieldValueRequired metadata.name"}},
		{name: "bad name and namespace", mutate: func(tf *v1alpha2.Terraform) { tf.Name, tf.Namespace = "Hello_World", "a.b" },
			want: []string{"FieldValueInvalid metadata.name", "FieldValueInvalid metadata.namespace"}},
		{name: "missing interval and sourceRef", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.Interval = metav1.Duration{}
			tf.Spec.SourceRef = v1alpha2.CrossNamespaceSourceReference{}
		}, want: []string{"FieldValueRequired spec.interval", "FieldValueRequired spec.sourceRef"}},
		{name: "sourceRef kind unsupported, name missing", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.SourceRef = v1alpha2.CrossNamespaceSourceReference{Kind: "HelmRepository"}
		}, want: []string{"FieldValueNotSupported spec.sourceRef.kind", "FieldValueRequired spec.sourceRef.name"}},
		{name: "second varsFrom entry invalid", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.VarsFrom = []v1alpha2.VarsReference{
				{Kind: v1alpha2.ReferenceKindSecret, Name: "ok"},
				{Kind: "Opaque", Name: strings.Repeat("n", 254)},
			}
		}, want: []string{"FieldValueNotSupported spec.varsFrom[1].kind", "FieldValueTooLong spec.varsFrom[1].name"}},
		{name: "name length counts characters, not bytes", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.BackendConfigsFrom = []v1alpha2.BackendConfigsReference{{Kind: v1alpha2.ReferenceKindSecret, Name: strings.Repeat("é", 253)}}
		}},
		{name: "fileMapping invalid", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.FileMappings = []v1alpha2.FileMapping{{Location: "tmp", Path: "a-"}}
		}, want: []string{"FieldValueInvalid spec.fileMappings[0].path", "FieldValueNotSupported spec.fileMappings[0].location", "FieldValueRequired spec.fileMappings[0].secretRef"}},
		{name: "fileMapping secretRef without name", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.FileMappings = []v1alpha2.FileMapping{{Location: v1alpha2.FileMappingLocationWorkspace, Path: "x.tf", SecretRef: v1alpha2.SecretKeyReference{Key: "k"}}}
		}, want: []string{"FieldValueRequired spec.fileMappings[0].secretRef.name"}},
		{name: "enums", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.RetryStrategy = "Linear"
			tf.Spec.StoreReadablePlan = "yaml"
			tf.Spec.TFState = &v1alpha2.TFStateSpec{ForceUnlock: "always"}
			tf.Spec.HealthChecks = []v1alpha2.HealthCheck{{Name: "h", Type: "udp"}}
		}, want: []string{"FieldValueNotSupported spec.healthChecks[0].type", "FieldValueNotSupported spec.retryStrategy",
			"FieldValueNotSupported spec.storeReadablePlan", "FieldValueNotSupported spec.tfstate.forceUnlock"}},
		{name: "required nested fields", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.Cloud = &v1alpha2.CloudSpec{}
			tf.Spec.Webhooks = []v1alpha2.Webhook{{}}
			tf.Spec.WriteOutputsToSecret = &v1alpha2.WriteOutputsToSecretSpec{}
			tf.Spec.DependsOn = []v1alpha2.NamespacedObjectReference{{Namespace: "x"}}
			tf.Spec.ReadInputsFromSecrets = []v1alpha2.ReadInputsFromSecretSpec{{}}
		}, want: []string{"FieldValueRequired spec.cloud.organization", "FieldValueRequired spec.cloud.workspaces",
			"FieldValueRequired spec.dependsOn[0].name", "FieldValueRequired spec.readInputsFromSecrets[0].as",
			"FieldValueRequired spec.readInputsFromSecrets[0].name", "FieldValueRequired spec.webhooks[0].stage",
			"FieldValueRequired spec.webhooks[0].testExpression", "FieldValueRequired spec.webhooks[0].url",
			"FieldValueRequired spec.writeOutputsToSecret.name"}},
		{name: "var valueFrom selectors", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.Vars = []v1alpha2.Variable{{ValueFrom: &corev1.EnvVarSource{
				ConfigMapKeyRef:  &corev1.ConfigMapKeySelector{},
				FieldRef:         &corev1.ObjectFieldSelector{},
				FileKeyRef:       &corev1.FileKeySelector{},
				ResourceFieldRef: &corev1.ResourceFieldSelector{},
				SecretKeyRef:     &corev1.SecretKeySelector{},
			}}}
		}, want: []string{"FieldValueRequired spec.vars[0].name",
			"FieldValueRequired spec.vars[0].valueFrom.configMapKeyRef.key", "FieldValueRequired spec.vars[0].valueFrom.fieldRef.fieldPath",
			"FieldValueRequired spec.vars[0].valueFrom.fileKeyRef.key", "FieldValueRequired spec.vars[0].valueFrom.fileKeyRef.path",
			"FieldValueRequired spec.vars[0].valueFrom.fileKeyRef.volumeName", "FieldValueRequired spec.vars[0].valueFrom.resourceFieldRef.resource",
			"FieldValueRequired spec.vars[0].valueFrom.secretKeyRef.key"}},
		{name: "runner pod list items", mutate: func(tf *v1alpha2.Terraform) {
			tf.Spec.RunnerPodTemplate.Spec = v1alpha2.RunnerPodSpec{
				Env:            []corev1.EnvVar{{Value: "x"}},
				HostAliases:    []corev1.HostAlias{{}},
				InitContainers: []corev1.Container{{Image: "busybox"}},
				VolumeMounts:   []corev1.VolumeMount{{}},
				Volumes:        []corev1.Volume{{}},
			}
		}, want: []string{"FieldValueRequired spec.runnerPodTemplate.spec.env[0].name", "FieldValueRequired spec.runnerPodTemplate.spec.hostAliases[0].ip",
			"FieldValueRequired spec.runnerPodTemplate.spec.initContainers[0].name", "FieldValueRequired spec.runnerPodTemplate.spec.volumeMounts[0].mountPath",
			"FieldValueRequired spec.runnerPodTemplate.spec.volumeMounts[0].name", "FieldValueRequired spec.runnerPodTemplate.spec.volumes[0].name"}},
		{name: "status is never validated", mutate: func(tf *v1alpha2.Terraform) {
			tf.Status.Conditions = []metav1.Condition{{Type: "not a valid type!", Status: "Maybe"}}
			tf.Status.Inventory = &v1alpha2.ResourceInventory{}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tf := validTerraform()
			tc.mutate(tf)
			got := fieldsOf(tf.Validate())
			if !slices.Equal(got, tc.want) {
				t.Errorf("Validate() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidateAsV1alpha1(t *testing.T) {
	t.Parallel()
	v1 := func() *v1alpha2.Terraform {
		tf := validTerraform()
		tf.APIVersion = v1alpha2.DeprecatedAPIVersion
		return tf
	}
	tests := []struct {
		name string
		tf   func() *v1alpha2.Terraform
		want []string
	}{
		{name: "plain v1alpha1", tf: v1},
		{name: "v1alpha2 apiVersion", tf: validTerraform, want: []string{"FieldValueNotSupported apiVersion"}},
		{name: "spec checks still apply", tf: func() *v1alpha2.Terraform {
			tf := v1()
			tf.Spec.SourceRef.Kind = "Git"
			return tf
		}, want: []string{"FieldValueNotSupported spec.sourceRef.kind"}},
		{name: "every v1alpha2-only field set", tf: func() *v1alpha2.Terraform {
			tf := everythingTerraform()
			tf.APIVersion = v1alpha2.DeprecatedAPIVersion
			tf.Spec.WriteOutputsToSecret.Labels = map[string]string{"a": "b"}
			tf.Spec.WriteOutputsToSecret.Annotations = map[string]string{"a": "b"}
			tf.Spec.RunnerPodTemplate.Spec.PriorityClassName = "high"
			tf.Spec.RunnerPodTemplate.Spec.Resources = &corev1.ResourceRequirements{}
			tf.Spec.RunnerPodTemplate.Spec.SecurityContext = &corev1.SecurityContext{}
			tf.Spec.PlanOnly = true
			return tf
		}, want: func() []string {
			var out []string
			for _, p := range v1alpha2.AddedFieldPaths() {
				out = append(out, "FieldValueForbidden spec."+p)
			}
			slices.Sort(out)
			return out
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := fieldsOf(tc.tf().ValidateAsV1alpha1())
			if !slices.Equal(got, tc.want) {
				t.Errorf("ValidateAsV1alpha1() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFindV1alpha2OnlyFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{name: "none", doc: "spec: {interval: 1m, tfstate: {forceUnlock: auto}, writeOutputsToSecret: {name: o}}"},
		{name: "explicit zero values count", doc: "spec: {planOnly: false, upgradeOnInit: true, tfVarsFiles: []}",
			want: []string{"FieldValueForbidden spec.planOnly", "FieldValueForbidden spec.tfVarsFiles", "FieldValueForbidden spec.upgradeOnInit"}},
		{name: "nested", doc: "spec: {tfstate: {lockTimeout: 0s}, runnerPodTemplate: {spec: {hostAliases: []}}, writeOutputsToSecret: {name: o, labels: {}}}",
			want: []string{"FieldValueForbidden spec.runnerPodTemplate.spec.hostAliases", "FieldValueForbidden spec.tfstate.lockTimeout", "FieldValueForbidden spec.writeOutputsToSecret.labels"}},
		{name: "no spec", doc: "kind: Terraform"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var doc map[string]any
			if err := yaml.Unmarshal([]byte(tc.doc), &doc); err != nil {
				t.Fatal(err)
			}
			if got := fieldsOf(v1alpha2.FindV1alpha2OnlyFields(doc)); !slices.Equal(got, tc.want) {
				t.Errorf("FindV1alpha2OnlyFields() = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMarshalRoundTrip checks the wire format choices: explicit false/0s survive
// encoding, unset optional structs are omitted, and decoding is strict.
func TestMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		tf          func() *v1alpha2.Terraform
		contains    []string
		notContains []string
	}{
		{name: "minimal", tf: validTerraform,
			contains:    []string{`"interval":"1m0s"`, `"sourceRef":{"kind":"GitRepository","name":"helloworld"}`},
			notContains: []string{"runnerPodTemplate", "upgradeOnInit", `"plan"`, `"lock"`}},
		{name: "explicit false and zero duration", tf: everythingTerraform,
			contains: []string{`"upgradeOnInit":false`, `"alwaysCleanupRunnerPod":false`, `"lockTimeout":"0s"`, `"plan":{"lock":false}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := tc.tf()
			data, err := yaml.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			js, err := yaml.YAMLToJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.contains {
				if !strings.Contains(string(js), s) {
					t.Errorf("encoding lacks %s:\n%s", s, js)
				}
			}
			for _, s := range tc.notContains {
				if strings.Contains(string(js), s) {
					t.Errorf("encoding contains %s:\n%s", s, js)
				}
			}
			var out v1alpha2.Terraform
			if err := yaml.UnmarshalStrict(data, &out); err != nil {
				t.Fatalf("strict decode of own encoding: %v", err)
			}
			if errs := out.Validate(); len(errs) > 0 {
				t.Errorf("decoded object invalid: %v", errs)
			}
		})
	}
}

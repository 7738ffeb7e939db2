package generator

import (
	"fmt"

	"github.com/invopop/jsonschema"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
)

// RunnerPod is what the tf-runner pods of every Terraform object of the
// environment get: IRSA annotations, labels, resources and scheduling.
// It maps onto the Terraform's spec.runnerPodTemplate.
type RunnerPod struct {
	// Annotations of the runner pods, such as eks.amazonaws.com/role-arn for IRSA.
	Annotations map[string]string `json:"annotations,omitempty"`
	// Labels of the runner pods.
	Labels map[string]string `json:"labels,omitempty"`
	// Resources are the runner container's requests and limits (cpu, memory, ephemeral-storage).
	Resources *RunnerResources `json:"resources,omitempty"`
	// NodeSelector constrains the nodes the runner pods run on.
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// Tolerations let the runner pods run on tainted nodes.
	Tolerations []Toleration `json:"tolerations,omitempty"`
}

// RunnerResources are quantities by resource name, such as cpu: 500m.
type RunnerResources struct {
	// Requests are what the runner container asks for.
	Requests map[string]string `json:"requests,omitempty"`
	// Limits are what the runner container may use at most.
	Limits map[string]string `json:"limits,omitempty"`
}

// Toleration is a Kubernetes toleration of the runner pods.
type Toleration struct {
	// Key of the taint (empty with operator Exists: every taint).
	Key string `json:"key,omitempty"`
	// Operator is Equal (default) or Exists.
	Operator string `json:"operator,omitempty" jsonschema:"enum=Equal,enum=Exists"`
	// Value of the taint, with operator Equal.
	Value string `json:"value,omitempty"`
	// Effect is NoSchedule, PreferNoSchedule or NoExecute (empty: all).
	Effect string `json:"effect,omitempty" jsonschema:"enum=NoSchedule,enum=PreferNoSchedule,enum=NoExecute"`
	// TolerationSeconds bounds how long a NoExecute taint is tolerated.
	TolerationSeconds *int64 `json:"tolerationSeconds,omitempty"`
}

// ForceUnlock is tf-controller's tfstate.forceUnlock.
type ForceUnlock string

// JSONSchema describes ForceUnlock for editors.
func (ForceUnlock) JSONSchema() *jsonschema.Schema {
	return enumSchema("no (tf-controller's default): never force-unlock; yes: unlock the lock tfstate.lockIdentifier names, once; auto: unlock whenever a lock is found (only when nothing else uses the state).", "no", "yes", "auto")
}

// TFState controls tf-controller's handling of a stuck state lock.
type TFState struct {
	// ForceUnlock is no, yes (with lockIdentifier) or auto.
	ForceUnlock ForceUnlock `json:"forceUnlock,omitempty"`
	// LockIdentifier is the lock id to unlock with forceUnlock yes, from the error "Lock Info: ID: ...".
	LockIdentifier string `json:"lockIdentifier,omitempty"`
}

var resourceNames = map[string]bool{"cpu": true, "memory": true, "ephemeral-storage": true}

// runner checks the runner settings of terraform.
func (c *checker) runner(t *TerraformSettings) {
	if rp := t.RunnerPod; rp != nil {
		const p = "terraform.runnerPod"
		for _, k := range sortedKeys(rp.Annotations) {
			if errs := validation.IsQualifiedName(k); len(errs) > 0 {
				c.add(p+".annotations["+k+"]", "%q is not an annotation key: an optional DNS prefix and '/', then letters, digits, '-', '_' and '.'", k)
			}
		}
		c.labels(p+".labels", rp.Labels)
		c.labels(p+".nodeSelector", rp.NodeSelector)
		if r := rp.Resources; r != nil {
			for _, part := range []struct {
				name string
				m    map[string]string
			}{{"requests", r.Requests}, {"limits", r.Limits}} {
				for _, k := range sortedKeys(part.m) {
					f := p + ".resources." + part.name + "[" + k + "]"
					if !resourceNames[k] {
						c.add(f, "unknown resource %q; use cpu, memory or ephemeral-storage", k)
					} else if _, err := resource.ParseQuantity(part.m[k]); err != nil {
						c.add(f, "%q is not a quantity such as 500m or 1Gi", part.m[k])
					}
				}
			}
		}
		for i, tol := range rp.Tolerations {
			f := fmt.Sprintf("%s.tolerations[%d]", p, i)
			switch tol.Operator {
			case "", "Equal":
			case "Exists":
				if tol.Value != "" {
					c.add(f+".value", "must be empty with operator Exists")
				}
			default:
				c.add(f+".operator", "must be Equal or Exists, got %q", tol.Operator)
			}
			switch tol.Effect {
			case "", "NoSchedule", "PreferNoSchedule", "NoExecute":
			default:
				c.add(f+".effect", "must be NoSchedule, PreferNoSchedule or NoExecute, got %q", tol.Effect)
			}
			if tol.TolerationSeconds != nil && tol.Effect != "NoExecute" {
				c.add(f+".tolerationSeconds", "applies only with effect NoExecute")
			}
			if tol.Key != "" && len(validation.IsQualifiedName(tol.Key)) > 0 {
				c.add(f+".key", "%q is not a taint key", tol.Key)
			}
		}
	}
	if s := t.TFState; s != nil {
		switch s.ForceUnlock {
		case "", "no", "auto":
			if s.LockIdentifier != "" && s.ForceUnlock != "auto" {
				c.add("terraform.tfstate.lockIdentifier", "is used only with forceUnlock: yes")
			}
		case "yes":
			if s.LockIdentifier == "" {
				c.add("terraform.tfstate.lockIdentifier", "is required with forceUnlock: yes: the lock id from the error (Lock Info: ID: ...)")
			} else if !lockIDRE.MatchString(s.LockIdentifier) {
				c.add("terraform.tfstate.lockIdentifier", "%q is not a Terraform lock id such as f2ab685b-f84d-ac0b-a125-378a22877e8d", s.LockIdentifier)
			}
		default:
			c.add("terraform.tfstate.forceUnlock", "must be no, yes or auto, got %q", s.ForceUnlock)
		}
	}
}

var lockIDRE = lazyRE(`^[0-9a-fA-F-]{8,64}$`)

func (c *checker) labels(path string, m map[string]string) {
	for _, k := range sortedKeys(m) {
		if len(validation.IsQualifiedName(k)) > 0 {
			c.add(path+"["+k+"]", "%q is not a label key: an optional DNS prefix and '/', then letters, digits, '-', '_' and '.'", k)
		} else if len(validation.IsValidLabelValue(m[k])) > 0 {
			c.add(path+"["+k+"]", "%q is not a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit", m[k])
		}
	}
}

// runnerPodTemplate is the runner pod template of an environment's
// Terraform objects (terraform.runnerImage and terraform.runnerPod).
func runnerPodTemplate(t *TerraformSettings) infrav1.RunnerPodTemplate {
	var tp infrav1.RunnerPodTemplate
	tp.Spec.Image = t.RunnerImage
	if rp := t.RunnerPod; rp != nil {
		tp.Metadata.Annotations = copyMap(rp.Annotations)
		tp.Metadata.Labels = copyMap(rp.Labels)
		tp.Spec.NodeSelector = copyMap(rp.NodeSelector)
		for _, tol := range rp.Tolerations {
			tp.Spec.Tolerations = append(tp.Spec.Tolerations, corev1.Toleration{
				Key: tol.Key, Operator: corev1.TolerationOperator(tol.Operator), Value: tol.Value,
				Effect: corev1.TaintEffect(tol.Effect), TolerationSeconds: tol.TolerationSeconds,
			})
		}
		if r := rp.Resources; r != nil && (len(r.Requests) > 0 || len(r.Limits) > 0) {
			tp.Spec.Resources = &corev1.ResourceRequirements{Requests: quantities(r.Requests), Limits: quantities(r.Limits)}
		}
	}
	return tp
}

// applyRunner sets the runner settings of a Terraform object; its runner
// pod template is objs' of the environment (shared by its objects) when
// they are reused, else its own.
func applyRunner(tf *infrav1.Terraform, t *TerraformSettings, objs *tfReuse) {
	if objs == nil {
		tf.Spec.RunnerPodTemplate = runnerPodTemplate(t)
	} else {
		if objs.runnerOf != t {
			objs.runner, objs.runnerOf = runnerPodTemplate(t), t
		}
		tf.Spec.RunnerPodTemplate = objs.runner
	}
	if s := t.TFState; s != nil && (s.ForceUnlock != "" || s.LockIdentifier != "") {
		tf.Spec.TFState = &infrav1.TFStateSpec{ForceUnlock: infrav1.ForceUnlock(s.ForceUnlock), LockIdentifier: s.LockIdentifier}
	}
	if t.DriftDetection != nil && !*t.DriftDetection {
		tf.Spec.DisableDriftDetection = true
	}
	if t.AlwaysCleanupRunnerPod != nil {
		v := *t.AlwaysCleanupRunnerPod
		tf.Spec.AlwaysCleanupRunnerPod = &v
	}
}

func copyMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// quantities parses checked quantities; nil for none.
func quantities(m map[string]string) corev1.ResourceList {
	if len(m) == 0 {
		return nil
	}
	out := corev1.ResourceList{}
	for k, v := range m {
		out[corev1.ResourceName(k)] = resource.MustParse(v)
	}
	return out
}

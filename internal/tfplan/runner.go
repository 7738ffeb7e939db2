package tfplan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
)

// TypeSuffix ends the Secret key that holds the type of a non-string
// output (tofu-controller: api/typeinfo/type_info.go).
const TypeSuffix = "__type"

// Secrets are Secret data by Secret name (one namespace).
type Secrets map[string]map[string][]byte

// TFVars is generated.auto.tfvars.json as tf-controller's runner writes it
// (runner/server_generate_tf_vars.go, GenerateVarsForTF): every spec.vars
// value as it is, then every varsFrom key, overriding, as a JSON string of
// the Secret's bytes (utils/json_encode_bytes.go). A varsKey the Secret
// lacks becomes "" there, silently; TFVars passes "" too and reports it in
// missing, so that a caller can fail on it.
func TFVars(tf *infrav1.Terraform, secrets Secrets) (data []byte, missing []string, err error) {
	switch {
	case tf.Spec.Values != nil || len(tf.Spec.ReadInputsFromSecrets) > 0:
		return nil, nil, fmt.Errorf("values and readInputsFromSecrets are not reproduced")
	case len(tf.Spec.TfVarsFiles) > 0:
		return nil, nil, fmt.Errorf("tfVarsFiles are not reproduced (the interface module has no source files)")
	case tf.Spec.Workspace != "" && tf.Spec.Workspace != "default":
		return nil, nil, fmt.Errorf("workspace %s is not reproduced", tf.Spec.Workspace)
	}
	vars := map[string]json.RawMessage{}
	for _, v := range tf.Spec.Vars {
		if v.ValueFrom != nil {
			return nil, nil, fmt.Errorf("variable %s: valueFrom is not reproduced", v.Name)
		}
		raw := json.RawMessage("null")
		if v.Value != nil && len(v.Value.Raw) > 0 {
			raw = json.RawMessage(v.Value.Raw)
		}
		vars[v.Name] = raw
	}
	for _, vf := range tf.Spec.VarsFrom {
		if vf.Kind != infrav1.ReferenceKindSecret {
			return nil, nil, fmt.Errorf("varsFrom %s %s: only Secrets are reproduced", vf.Kind, vf.Name)
		}
		s, ok := secrets[vf.Name]
		if !ok {
			if vf.Optional {
				continue
			}
			return nil, nil, fmt.Errorf("varsFrom: Secret %s does not exist (no Terraform of the set writes it)", vf.Name)
		}
		if vf.VarsKeys == nil {
			for k, val := range s {
				vars[k] = jsonString(val)
			}
			continue
		}
		for _, pattern := range vf.VarsKeys {
			oldKey, newKey, err := renamePattern(pattern)
			if err != nil {
				return nil, nil, err
			}
			val, ok := s[oldKey]
			if !ok {
				missing = append(missing, fmt.Sprintf("varsFrom key %s: Secret %s has no such key, and tf-controller passes an empty string", oldKey, vf.Name))
			}
			vars[newKey] = jsonString(val)
		}
	}
	data, err = json.Marshal(vars)
	return data, missing, err
}

// jsonString is utils.JSONEncodeBytes: the bytes as one JSON string.
func jsonString(b []byte) json.RawMessage {
	raw, _ := json.Marshal(string(b)) // a string always marshals
	return raw
}

// renamePattern splits a varsKeys entry "key" or "key:varName", as
// runner/server_generate_tf_vars.go's parseRenamePattern does.
func renamePattern(p string) (oldKey, newKey string, err error) {
	if !strings.Contains(p, ":") {
		return p, p, nil
	}
	parts := strings.Split(p, ":")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("invalid rename pattern %q", p)
	}
	return parts[0], parts[1], nil
}

// OutputMeta is one output of `terraform output -json`, as tf-controller
// reads it through terraform-exec.
type OutputMeta struct {
	// Sensitive outputs are written like any other.
	Sensitive bool `json:"sensitive"`
	// Type is the output's type in cty's JSON form: "string", ["list","string"].
	Type json.RawMessage `json:"type"`
	// Value is the output's value as JSON.
	Value json.RawMessage `json:"value"`
}

// SecretData is the data of the outputs Secret that tf-controller writes
// for writeOutputsToSecret (controllers/tf_controller_outputs.go,
// writeOutput and filterOutputs): the listed outputs ("output" or
// "output:alias"; none listed: every output), a string as its bare text,
// any other output as its JSON value plus "<name>__type" holding its
// type. A listed output that does not exist fails, as it fails the run.
func SecretData(wots *infrav1.WriteOutputsToSecretSpec, outputs map[string]OutputMeta) (map[string][]byte, error) {
	selected := map[string]OutputMeta{}
	if len(wots.Outputs) == 0 {
		selected = outputs
	}
	for _, mapping := range wots.Outputs {
		if mapping == "" {
			return nil, fmt.Errorf("output mapping cannot be empty")
		}
		name, alias, found := strings.Cut(mapping, ":")
		if !found {
			alias = name
		}
		o, ok := outputs[name]
		if !ok {
			return nil, fmt.Errorf("output not found: %s (tf-controller fails the run writing Secret %s)", name, wots.Name)
		}
		selected[alias] = o
	}
	data := map[string][]byte{}
	for alias, o := range selected {
		if bytes.Equal(bytes.TrimSpace(o.Type), []byte(`"string"`)) {
			var s string
			if err := json.Unmarshal(o.Value, &s); err != nil {
				return nil, fmt.Errorf("output %s: %w", alias, err)
			}
			data[alias] = []byte(s)
			continue
		}
		data[alias] = append([]byte(nil), o.Value...)
		data[alias+TypeSuffix] = append([]byte(nil), o.Type...)
	}
	return data, nil
}

// BackendOverride is backend_override.tf as tf-controller writes it into
// the working folder (controllers/tf_controller_backend.go; the file name
// from runner/server.go, WriteBackendConfig): customConfiguration wrapped
// in a terraform block, else the Kubernetes backend; "" when the backend
// is disabled.
func BackendOverride(tf *infrav1.Terraform) string {
	b := tf.Spec.BackendConfig
	switch {
	case b != nil && b.Disable:
		return ""
	case b != nil && b.CustomConfiguration != "":
		return fmt.Sprintf("\nterraform {\n  %v\n}\n", b.CustomConfiguration)
	case b != nil:
		return fmt.Sprintf(`
terraform {
  backend "kubernetes" {
    secret_suffix     = "%s"
    in_cluster_config = %v
    config_path       = "%s"
    namespace         = "%s"
    labels            = {
      %s
    }
  }
}
`, b.SecretSuffix, b.InClusterConfig, b.ConfigPath, tf.Namespace, labelsHCL(b.Labels))
	}
	return fmt.Sprintf(`
terraform {
  backend "kubernetes" {
    secret_suffix     = "%s"
    in_cluster_config = true
    namespace         = "%s"
    labels            = {
      %s
    }
  }
}
`, tf.Name, tf.Namespace, labelsHCL(nil))
}

// labelsHCL renders backend labels as tf-controller's getLabelsAsHCL does:
// one quoted pair per line, sorted.
func labelsHCL(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = fmt.Sprintf("%q = %q", k, labels[k])
	}
	return strings.Join(lines, "\n      ")
}

package tfplan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/templates"
)

// Object is one rendered Terraform and the catalogue module it deploys.
type Object struct {
	// Terraform is the rendered object.
	Terraform *infrav1.Terraform
	// Stack and Module give the contract of its interface module.
	Stack  *templates.Stack
	Module *templates.Module
}

// Result is what running one object gave.
type Result struct {
	// Name of the Terraform object.
	Name string
	// Err is why it did not plan (or its backend did not initialise).
	Err error
	// Backend says where the backend check found the state, for logs.
	Backend string
	// Secret is the outputs Secret it wrote, when it writes one.
	Secret map[string][]byte
}

// Runner runs the terraform CLI offline: its own CLI configuration with an
// empty filesystem mirror and no direct installation (nothing can be
// downloaded), CHECKPOINT_DISABLE, and a TF_DATA_DIR per object.
type Runner struct {
	terraform string
	root      string
	parallel  int
	env       []string
	aws       *fakeAWS
}

// NewRunner prepares a runner of the terraform binary at path, working
// under root (an empty folder), running at most parallel commands at once.
// Close stops its fake AWS endpoint.
func NewRunner(path, root string, parallel int) (*Runner, error) {
	mirror := filepath.Join(root, "mirror")
	if err := os.MkdirAll(mirror, 0o755); err != nil {
		return nil, err
	}
	cfg := filepath.Join(root, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"*/*/*\"]\n  }\n  direct {\n    exclude = [\"*/*/*\"]\n  }\n}\n", mirror)
	if err := os.WriteFile(cfg, []byte(rc), 0o644); err != nil {
		return nil, err
	}
	if parallel < 1 {
		parallel = 1
	}
	aws := newFakeAWS()
	r := &Runner{terraform: path, root: root, parallel: parallel, aws: aws}
	r.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + root,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_CLI_CONFIG_FILE=" + cfg,
		// the s3 backend talks to the fake AWS endpoint only
		"AWS_ENDPOINT_URL=" + aws.URL(),
		"AWS_ACCESS_KEY_ID=AKIAFAKE",
		"AWS_SECRET_ACCESS_KEY=fake",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_MAX_ATTEMPTS=1",
		// the Kubernetes backend's in-cluster configuration: no API server
		"KUBERNETES_SERVICE_HOST=127.0.0.1",
		"KUBERNETES_SERVICE_PORT=1",
	}
	return r, nil
}

// Close releases the runner's fake AWS endpoint.
func (r *Runner) Close() { r.aws.Close() }

// StateObjects are the S3 state objects ("bucket/key") and RoleARNs the
// s3 backends asked the fake AWS endpoint for, sorted.
func (r *Runner) StateObjects() (objects, roles []string) { return r.aws.seen() }

// Run plans every object, each after the objects it dependsOn (which must
// be in objs), at most r.parallel at a time, and checks every backend. A
// producer is applied (no resources: it only records its outputs in a
// local state) so that its outputs Secret is what tf-controller would
// write, and its consumers' varsFrom read that.
func (r *Runner) Run(ctx context.Context, objs []Object) []Result {
	byName := map[string]int{}
	for i, o := range objs {
		byName[o.Terraform.Name] = i
	}
	results := make([]Result, len(objs))
	done := make([]chan struct{}, len(objs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var mu sync.Mutex
	secrets := Secrets{}
	sem := make(chan struct{}, r.parallel)
	var wg sync.WaitGroup
	for i, o := range objs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[i])
			res := &results[i]
			res.Name = o.Terraform.Name
			for _, d := range o.Terraform.Spec.DependsOn {
				j, ok := byName[d.Name]
				if !ok {
					res.Err = fmt.Errorf("dependsOn %s: no such Terraform in the set", d.Name)
					return
				}
				<-done[j]
				if results[j].Err != nil {
					res.Err = fmt.Errorf("dependsOn %s, which failed", d.Name)
					return
				}
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			mu.Lock()
			snapshot := Secrets{}
			for k, v := range secrets {
				snapshot[k] = v
			}
			mu.Unlock()
			res.Secret, res.Err = r.plan(ctx, o, snapshot)
			if res.Err == nil {
				res.Backend, res.Err = r.backend(ctx, o.Terraform)
			}
			if res.Secret != nil {
				mu.Lock()
				secrets[o.Terraform.Spec.WriteOutputsToSecret.Name] = res.Secret
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return results
}

// plan writes the interface module and the variables file of one object,
// then runs init -backend=false and plan; for a producer also apply and
// output, returning its outputs Secret.
func (r *Runner) plan(ctx context.Context, o Object, secrets Secrets) (map[string][]byte, error) {
	tf := o.Terraform
	dir := filepath.Join(r.root, tf.Name, "module")
	mod, err := InterfaceModule(o.Stack, o.Module)
	if err != nil {
		return nil, err
	}
	vars, missing, err := TFVars(tf, secrets)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, errors.New(strings.Join(missing, "; "))
	}
	mod["generated.auto.tfvars.json"] = string(vars)
	if err := writeModule(dir, mod); err != nil {
		return nil, err
	}
	data := filepath.Join(r.root, tf.Name, "data")
	if _, err := r.tf(ctx, dir, data, "init", "-backend=false", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	out, err := r.tf(ctx, dir, data, "plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan")
	if err != nil {
		return nil, err
	}
	if strings.Contains(out, "undeclared variable") {
		return nil, fmt.Errorf("terraform plan warns of undeclared variables:\n%s", out)
	}
	wots := tf.Spec.WriteOutputsToSecret
	if wots == nil {
		return nil, nil
	}
	if _, err := r.tf(ctx, dir, data, "apply", "-input=false", "-no-color", "-lock=false", "tfplan"); err != nil {
		return nil, err
	}
	raw, err := r.tf(ctx, dir, data, "output", "-json", "-no-color")
	if err != nil {
		return nil, err
	}
	outputs := map[string]OutputMeta{}
	if err := json.Unmarshal([]byte(raw), &outputs); err != nil {
		return nil, fmt.Errorf("terraform output -json: %w", err)
	}
	return SecretData(wots, outputs)
}

// backend initialises the object's backend_override.tf, alone and as
// written, with the backend enabled: the s3 backend against the fake AWS
// endpoint, the Kubernetes backend until it looks for the in-cluster
// credentials a runner pod has and this machine does not (its attributes
// are checked before that).
func (r *Runner) backend(ctx context.Context, tf *infrav1.Terraform) (string, error) {
	override := BackendOverride(tf)
	if override == "" {
		return "disabled", nil
	}
	dir := filepath.Join(r.root, tf.Name, "backend")
	if err := writeModule(dir, Module{"backend_override.tf": override}); err != nil {
		return "", err
	}
	data := filepath.Join(r.root, tf.Name, "backend-data")
	// no -backend-config: terraform then stops checking the file's own
	// attributes; the SDK addresses the IP endpoint path-style by itself
	s3 := strings.Contains(override, `backend "s3"`)
	out, err := r.tf(ctx, dir, data, "init", "-input=false", "-no-color")
	switch {
	case s3 && err == nil:
		return "s3", nil
	case !s3 && err != nil && strings.Contains(out, "/var/run/secrets/kubernetes.io/serviceaccount/token"):
		return "kubernetes (configuration accepted; in-cluster credentials absent)", nil
	case err == nil:
		return "initialised", nil
	}
	return "", fmt.Errorf("backend: %w", err)
}

// tf runs one terraform command in dir and returns its combined output.
func (r *Runner) tf(ctx context.Context, dir, data string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, r.terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), r.env...), "TF_DATA_DIR="+data)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("terraform %s in %s: %w\n%s", args[0], dir, err, out.String())
	}
	return out.String(), nil
}

func writeModule(dir string, mod Module) error {
	names := make([]string, 0, len(mod))
	for n := range mod {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(mod[n]), 0o644); err != nil {
			return err
		}
	}
	return nil
}

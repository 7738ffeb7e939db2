package generator

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/fluxcd/pkg/apis/meta"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/templates"
)

// Object is one generated manifest and the file it goes to, relative to the
// environment's output folder.
type Object struct {
	// Path is slash-separated, such as "digx-uat-eu-west-1/eks.yaml".
	Path string
	// Object is a *sourcev1.GitRepository or an *infrav1.Terraform.
	Object any
}

// ID returns the target's name: its own, or <account>-<region> (for a
// target without an AWS account, <subscription>-<location>).
func (t Target) ID() string {
	if t.Name != "" {
		return t.Name
	}
	if t.Account == "" && t.Azure != nil {
		return t.Azure.Subscription + "-" + t.Azure.Location
	}
	return t.Account + "-" + t.Region
}

// objectName is the name of a target's Terraform object for a module.
func objectName(env, target, module string) string {
	return env + "-" + target + "-" + module
}

// SourceName is the name of the environment's GitRepository.
func SourceName(st *templates.Stack, env string) string {
	return st.SourcePrefix + "-" + env
}

// OutputsSecret is the name of the Secret a Terraform object writes its
// outputs to.
func OutputsSecret(terraformName string) string {
	return terraformName + "-outputs"
}

// Variables fluxtf sets itself, with the spec field they come from; a
// spec's own vars may not shadow them.
var (
	commonVarNames = map[string]string{
		"account_id":      "targets[].accountId",
		"region":          "targets[].region",
		"environment":     "name",
		"assume_role_arn": "terraform.assumeRole",
	}
	baseVarNames = func() map[string]string {
		m := map[string]string{
			contract.VarClusterName:       "targets[].clusterName",
			contract.VarKubernetesVersion: "cluster.kubernetesVersion",
			contract.VarOS:                "cluster.os",
			contract.VarNodeGroups:        "cluster.nodeGroups",
			contract.VarCustomAMIID:       "cluster.customImage.amiId",
			contract.VarImagePipelineARN:  "cluster.customImage.pipelineArn",
			"force_update_version":        "cluster.os (DEFAULT)",
			"tags":                        "the environment",
		}
		for k, v := range commonVarNames {
			m[k] = v
		}
		return m
	}()
)

// Expand turns a loaded environment into its objects, sorted by path.
func Expand(l *Loaded) ([]Object, error) { return expand(l, "", nil) }

// tfReuse hands out the Terraform objects of one environment at a
// time, reusing those of the environment before: Build with FilesOnly or
// SumsOnly keeps none of an environment's objects once its files are
// marshalled, and each Terraform (about 1.4 KB, mostly fields a rendered
// object leaves empty) was a sixth of what a render allocated. A nil
// *tfReuse allocates each one.
type tfReuse struct {
	objs []*infrav1.Terraform
	next int
	// runner is the runner pod template of the environment's settings
	// runnerOf, the same for all its objects (applyRunner): made once,
	// its maps and lists shared
	runner   infrav1.RunnerPodTemplate
	runnerOf *TerraformSettings
}

// get returns a Terraform for terraform to set every field of: a new
// one, or the next one of the environment before.
func (ts *tfReuse) get() *infrav1.Terraform {
	if ts == nil {
		return new(infrav1.Terraform)
	}
	if ts.next == len(ts.objs) {
		ts.objs = append(ts.objs, new(infrav1.Terraform))
	}
	ts.next++
	return ts.objs[ts.next-1]
}

// reuse hands out the objects already handed out again: nothing may hold
// them any more.
func (ts *tfReuse) reuse() {
	if ts != nil {
		ts.next = 0
		ts.runner, ts.runnerOf = infrav1.RunnerPodTemplate{}, nil
	}
}

// expand is Expand; a non-empty only builds just the object at that path
// (with what its name needs: the source and its target's base Terraform),
// as Origin needs, which rendered the whole environment again for each
// environment with a finding. Its Terraform objects come from ts.
func expand(l *Loaded, only string, ts *tfReuse) ([]Object, error) {
	e := &l.Env
	st := l.Stack
	want := func(path string) bool { return only == "" || path == only }
	src := gitRepository(e, st)
	var objs []Object
	if want("gitrepository.yaml") {
		objs = append(objs, Object{Path: "gitrepository.yaml", Object: src})
	}
	for _, t := range e.Targets {
		if only != "" && !strings.HasPrefix(only, t.ID()+"/") {
			continue
		}
		baseName := ""
		common := commonVars(e, t) // (read, never changed, by every module's vars)
		if st.HasBase() {
			base, err := baseTerraform(e, st, t, src.Name, common, ts)
			if err != nil {
				return nil, fmt.Errorf("%s: target %s: %w", l.File, t.ID(), err)
			}
			if path := t.ID() + "/" + st.Base.Name + ".yaml"; want(path) {
				objs = append(objs, Object{Path: path, Object: base})
			}
			baseName = base.Name
		}
		for _, name := range sortedKeys(e.Components) {
			comp := e.Components[name]
			path := t.ID() + "/" + name + ".yaml"
			if !comp.On() || !want(path) {
				continue
			}
			m := st.Component(name)
			tf, err := componentTerraform(e, st, t, m, comp, src.Name, baseName, common, ts)
			if err != nil {
				return nil, fmt.Errorf("%s: target %s: component %s: %w", l.File, t.ID(), name, err)
			}
			objs = append(objs, Object{Path: path, Object: tf})
		}
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Path < objs[j].Path })
	return objs, nil
}

func labels(e *Environment, st *templates.Stack) map[string]string {
	return map[string]string{
		contract.LabelEnvironment: e.Name,
		contract.LabelTier:        string(e.Tier),
		contract.LabelStack:       st.Name,
		contract.LabelManagedBy:   contract.ManagedByValue,
	}
}

func targetLabels(e *Environment, st *templates.Stack, t Target, component string) map[string]string {
	l := labels(e, st)
	l[contract.LabelTarget] = t.ID()
	l[contract.LabelAccount] = t.Account
	l[contract.LabelRegion] = t.Region
	l[contract.LabelComponent] = component
	if t.Azure != nil {
		l[contract.LabelSubscription] = t.Azure.Subscription
		l[contract.LabelLocation] = t.Azure.Location
	}
	return l
}

// stackAnnotations are the annotations of the stack model on every
// object: the policy families that check it.
func stackAnnotations(om *metav1.ObjectMeta, st *templates.Stack) {
	if om.Annotations == nil {
		om.Annotations = map[string]string{}
	}
	om.Annotations[contract.AnnotationPolicies] = st.FamiliesValue()
}

func gitRepository(e *Environment, st *templates.Stack) *sourcev1.GitRepository {
	g := &sourcev1.GitRepository{
		TypeMeta: metav1.TypeMeta{APIVersion: sourcev1.GroupVersion.String(), Kind: sourcev1.GitRepositoryKind},
		ObjectMeta: metav1.ObjectMeta{
			Name:      SourceName(st, e.Name),
			Namespace: e.Namespace,
			Labels:    labels(e, st),
		},
		Spec: sourcev1.GitRepositorySpec{
			URL:            e.Source.URL,
			Reference:      &sourcev1.GitRepositoryRef{Tag: e.Source.Tag, Branch: e.Source.Branch},
			SparseCheckout: append([]string(nil), st.SparseCheckout...),
		},
	}
	if e.Source.Interval != nil {
		g.Spec.Interval = metav1.Duration{Duration: e.Source.Interval.Duration}
	}
	if e.Source.SecretRef != "" {
		g.Spec.SecretRef = &meta.LocalObjectReference{Name: e.Source.SecretRef}
	}
	stackAnnotations(&g.ObjectMeta, st)
	g.Annotations[contract.AnnotationSourcePrefix] = st.SourcePrefix
	if mg := e.Source.MigrationGuide; mg != nil {
		g.Annotations[contract.AnnotationMigrationGuide] = mg.Path
		g.Annotations[contract.AnnotationMigration] = "v" + strings.TrimPrefix(mg.From, "v") + " -> v" + strings.TrimPrefix(mg.To, "v")
	}
	if rb := e.Source.Rollback; rb != nil {
		g.Annotations[contract.AnnotationRollback] = rb.Annotation()
	}
	addWaivers(&g.ObjectMeta, e, "", "")
	addMoved(&g.ObjectMeta, e, "", func(en, _ string) string { return SourceName(st, en) })
	return g
}

// addMoved records an object's former names and the reasons of its moves
// (see Move) in its annotations, where the reviewer and the rule
// identity-moved read them.
func addMoved(om *metav1.ObjectMeta, e *Environment, target string, name func(env, target string) string) {
	from, reason := movedFrom(e, target, name)
	if from == "" {
		return
	}
	if om.Annotations == nil {
		om.Annotations = map[string]string{}
	}
	om.Annotations[contract.AnnotationMovedFrom] = from
	om.Annotations[contract.AnnotationMovedReason] = reason
}

// addWaivers copies the spec's waivers that apply to an object into its
// annotations, where the policy engine reads them.
func addWaivers(om *metav1.ObjectMeta, e *Environment, target, component string) {
	for i, w := range e.Waivers {
		if w.Target != "" && w.Target != target {
			continue
		}
		if w.Component != "" && w.Component != component {
			continue
		}
		if om.Annotations == nil {
			om.Annotations = map[string]string{}
		}
		om.Annotations[contract.WaiverAnnotation(w.Rule)] = contract.FormatWaiver(w.Expires, w.Reason)
		om.Annotations[contract.WaiverSourceAnnotation(w.Rule)] = contract.FormatWaiverSource(e.Name+".yaml", i)
	}
}

func terraform(e *Environment, st *templates.Stack, t Target, name, component, path, source string, objs *tfReuse) *infrav1.Terraform {
	ts := &e.Terraform
	tf := objs.get()
	*tf = infrav1.Terraform{
		TypeMeta: metav1.TypeMeta{APIVersion: infrav1.APIVersion, Kind: infrav1.TerraformKind},
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: e.Namespace,
			Labels:    targetLabels(e, st, t, component),
		},
		Spec: infrav1.TerraformSpec{
			Path:               path,
			SourceRef:          infrav1.CrossNamespaceSourceReference{Kind: infrav1.SourceKindGitRepository, Name: source, Namespace: e.Namespace},
			ServiceAccountName: ts.ServiceAccountName,
		},
	}
	if ts.Interval != nil {
		tf.Spec.Interval = metav1.Duration{Duration: ts.Interval.Duration}
	}
	if ts.RetryInterval != nil {
		tf.Spec.RetryInterval = &metav1.Duration{Duration: ts.RetryInterval.Duration}
	}
	if ts.ApprovePlan == ApproveAuto {
		tf.Spec.ApprovePlan = infrav1.ApprovePlanAuto
	}
	if ts.DestroyResourcesOnDeletion != nil {
		tf.Spec.DestroyResourcesOnDeletion = *ts.DestroyResourcesOnDeletion
	}
	stackAnnotations(&tf.ObjectMeta, st)
	applyRunner(tf, ts, objs)
	if a := access(e, t); a != "" {
		if tf.Annotations == nil {
			tf.Annotations = map[string]string{}
		}
		tf.Annotations[contract.AnnotationRunnerAccess] = string(a)
	}
	tf.Spec.BackendConfig = backendConfig(e, identityOf(e, st, t, component))
	addMoved(&tf.ObjectMeta, e, t.ID(), func(en, tn string) string { return objectName(en, tn, component) })
	if plan := approvalFor(e, st, t.ID(), component); plan != "" {
		tf.Spec.ApprovePlan = infrav1.ApprovePlan(plan)
	}
	return tf
}

// vars builds a variable list sorted by name: the values of m and the
// Secret keys of secrets (valueFrom.secretKeyRef; the checker has made
// sure no name is in both). The values' JSON share one buffer and their
// apiextensionsv1.JSON one slice (varList): four allocations, not two
// per value.
func vars(m map[string]any, secrets map[string]SecretKeyRef) ([]infrav1.Variable, error) {
	pairs := make([]varPair, 0, len(m))
	for k, val := range m {
		pairs = append(pairs, varPair{k, val})
	}
	slices.SortFunc(pairs, func(a, b varPair) int { return strings.Compare(a.name, b.name) })
	return varList(pairs, secrets)
}

// varList is vars of pairs, sorted by name with no name twice.
func varList(pairs []varPair, secrets map[string]SecretKeyRef) ([]infrav1.Variable, error) {
	out := make([]infrav1.Variable, 0, len(pairs)+len(secrets))
	values := make([]apiextensionsv1.JSON, len(pairs))
	buf := make([]byte, 0, 32*len(pairs))
	for i, p := range pairs {
		k := p.name
		start := len(buf)
		b, ok := appendVarJSON(buf, p.value, 0)
		var raw []byte
		if ok {
			buf = b
			raw = buf[start:len(buf):len(buf)]
		} else {
			buf = buf[:start]
			var err error
			if raw, err = varJSON(p.value); err != nil {
				return nil, fmt.Errorf("variable %s: %w", k, err)
			}
		}
		values[i].Raw = raw
		out = append(out, infrav1.Variable{Name: k, Value: &values[i]})
	}
	if len(secrets) == 0 {
		return out, nil // (in order already)
	}
	for _, k := range sortedKeys(secrets) {
		ref := secrets[k]
		out = append(out, infrav1.Variable{Name: k, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: ref.Name}, Key: ref.Key}}})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func commonVars(e *Environment, t Target) map[string]any {
	v := map[string]any{"environment": e.Name}
	if t.AccountID != "" {
		v["account_id"] = t.AccountID
		v["region"] = t.Region
		v["assume_role_arn"] = fmt.Sprintf("arn:aws:iam::%s:role/%s", t.AccountID, e.Terraform.AssumeRole)
	}
	azureVars(t, v)
	return v
}

func baseTerraform(e *Environment, st *templates.Stack, t Target, source string, common map[string]any, objs *tfReuse) (*infrav1.Terraform, error) {
	name := objectName(e.Name, t.ID(), st.Base.Name)
	tf := terraform(e, st, t, name, st.Base.Name, st.Base.Path, source, objs)
	var secrets map[string]SecretKeyRef
	if st.TakesField("cluster") {
		secrets = e.Cluster.Secrets
	}
	var err error
	if tf.Spec.Vars, err = vars(baseVars(e, st, t, common), secrets); err != nil {
		return nil, err
	}
	outs := st.Base.OutputNames()
	sort.Strings(outs)
	tf.Spec.WriteOutputsToSecret = &infrav1.WriteOutputsToSecretSpec{Name: OutputsSecret(name), Outputs: outs}
	addWaivers(&tf.ObjectMeta, e, t.ID(), "base")
	addWaivers(&tf.ObjectMeta, e, t.ID(), st.Base.Name)
	return tf, nil
}

// baseVars are the variables of a target's base Terraform; common are
// the target's commonVars.
func baseVars(e *Environment, st *templates.Stack, t Target, common map[string]any) map[string]any {
	v := map[string]any{}
	for k, val := range st.Base.Vars {
		v[k] = val
	}
	if st.TakesField("cluster") {
		for k, val := range e.Cluster.Vars {
			v[k] = val
		}
	}
	for k, val := range common {
		v[k] = val
	}
	if st.TakesField("cluster") {
		clusterVars(e, t, v)
	}
	if st.TakesField("functionApp") {
		functionAppVars(e, t, v)
	}
	v["tags"] = map[string]string{
		"Environment": e.Name,
		"Tier":        string(e.Tier),
		"Stack":       st.Name,
		"ManagedBy":   "fluxtf",
	}
	return v
}

// clusterVars sets the EKS base module's cluster variables.
func clusterVars(e *Environment, t Target, v map[string]any) {
	clusterName := t.ClusterName
	if clusterName == "" {
		// the names before any rename recorded in moved: a renamed
		// target or environment keeps its cluster
		clusterName = originalEnvName(e) + "-" + originalTargetName(e, t)
	}
	v[contract.VarClusterName] = clusterName
	v[contract.VarKubernetesVersion] = e.Cluster.KubernetesVersion
	v[contract.VarOS] = string(e.Cluster.OS)
	v[contract.VarNodeGroups] = nodeGroups(&e.Cluster)
	switch e.Cluster.OS {
	case OSDefault:
		// DEFAULT is AL2 that always rolls nodes onto the new launch template
		// version, so a rollback is a deterministic re-roll.
		v["force_update_version"] = true
	case OSCustom:
		if ami, pipeline := imageFor(e.Cluster.CustomImage, t.Region); ami != "" {
			v[contract.VarCustomAMIID] = ami
		} else {
			v[contract.VarImagePipelineARN] = pipeline
		}
	}
	accessVars(e, t, v)
}

func componentTerraform(e *Environment, st *templates.Stack, t Target, m *templates.Module, comp Component, source, base string, common map[string]any, objs *tfReuse) (*infrav1.Terraform, error) {
	name := objectName(e.Name, t.ID(), m.Name)
	tf := terraform(e, st, t, name, m.Name, m.Path, source, objs)
	var err error
	if tf.Spec.Vars, err = varList(componentVarPairs(m, comp, common), comp.Secrets); err != nil {
		return nil, err
	}
	var deps []string
	if base != "" {
		deps = append(deps, base)
	}
	for _, d := range m.DependsOn {
		deps = append(deps, objectName(e.Name, t.ID(), d))
	}
	sort.Strings(deps)
	for _, d := range deps {
		tf.Spec.DependsOn = append(tf.Spec.DependsOn, infrav1.NamespacedObjectReference{Name: d})
	}
	if len(m.Reads) > 0 && base != "" {
		keys := append([]string(nil), m.Reads...)
		sort.Strings(keys)
		tf.Spec.VarsFrom = []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: OutputsSecret(base), VarsKeys: keys}}
	}
	if len(m.Outputs) > 0 {
		outs := m.OutputNames()
		sort.Strings(outs)
		tf.Spec.WriteOutputsToSecret = &infrav1.WriteOutputsToSecretSpec{Name: OutputsSecret(name), Outputs: outs}
	}
	if comp.Migration != nil {
		if tf.Annotations == nil {
			tf.Annotations = map[string]string{}
		}
		tf.Annotations[contract.AnnotationMigration] = comp.Migration.Annotation()
	}
	if comp.Rollback != nil {
		if tf.Annotations == nil {
			tf.Annotations = map[string]string{}
		}
		tf.Annotations[contract.AnnotationRollback] = comp.Rollback.Annotation()
	}
	addWaivers(&tf.ObjectMeta, e, t.ID(), m.Name)
	return tf, nil
}

// armFamily matches Graviton instance families: a "g" among the letters
// after the generation digit (m7g, c7gn, r8gd, t4g, im4gn, is4gen, g5g).
var armFamily = lazyRE(`^[a-z]+[0-9]+[a-z-]*g[a-z-]*$`)

func arm64(instanceType string) bool {
	family, _, _ := strings.Cut(instanceType, ".")
	return armFamily.MatchString(family)
}

// amiTypes maps an OS to the EKS AMI type for x86_64 and arm64.
var amiTypes = map[OS][2]string{
	OSAL2:          {"AL2_x86_64", "AL2_ARM_64"},
	OSDefault:      {"AL2_x86_64", "AL2_ARM_64"},
	OSAL2023:       {"AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD"},
	OSBottlerocket: {"BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"},
	OSCustom:       {"CUSTOM", "CUSTOM"},
}

// nodeGroups builds the node_groups variable, keyed by group name. The
// checker has made sure no group mixes architectures.
func nodeGroups(c *Cluster) map[string]any {
	out := map[string]any{}
	for _, ng := range c.NodeGroups {
		ami := amiTypes[c.OS][0]
		if len(ng.InstanceTypes) > 0 && arm64(ng.InstanceTypes[0]) {
			ami = amiTypes[c.OS][1]
		}
		desired := ng.MinSize
		if ng.DesiredSize != nil {
			desired = *ng.DesiredSize
		}
		capacity := ng.CapacityType
		if capacity == "" {
			capacity = OnDemand
		}
		disk := ng.DiskSize
		if disk == 0 {
			disk = 50
		}
		group := map[string]any{
			contract.NodeGroupMinSize: ng.MinSize,
			"max_size":                ng.MaxSize,
			"desired_size":            desired,
			"instance_types":          ng.InstanceTypes,
			"capacity_type":           string(capacity),
			"disk_size":               disk,
			"ami_type":                ami,
		}
		if len(ng.Labels) > 0 {
			group["labels"] = ng.Labels
		}
		out[ng.Name] = group
	}
	return out
}

// componentVars are the variables of a target's Terraform of component m;
// common are the target's commonVars.
func componentVars(m *templates.Module, comp Component, common map[string]any) map[string]any {
	pairs := componentVarPairs(m, comp, common)
	v := make(map[string]any, len(pairs))
	for _, p := range pairs {
		v[p.name] = p.value
	}
	return v
}

// varPair is one variable of a Terraform object and its value.
type varPair struct {
	name  string
	value any
}

// componentVarPairs are componentVars sorted by name, without a map:
// the module's, the component's, common and the version, a later one
// winning over an earlier one of the same name.
func componentVarPairs(m *templates.Module, comp Component, common map[string]any) []varPair {
	pairs := make([]varPair, 0, len(m.Vars)+len(comp.Vars)+len(common)+1)
	for k, val := range m.Vars {
		pairs = append(pairs, varPair{k, val})
	}
	for k, val := range comp.Vars {
		pairs = append(pairs, varPair{k, val})
	}
	for k, val := range common {
		pairs = append(pairs, varPair{k, val})
	}
	if m.VersionVar != "" {
		version := comp.Version
		if version == "" {
			version = m.DefaultVersion
		}
		pairs = append(pairs, varPair{m.VersionVar, version})
	}
	return lastByName(pairs)
}

// lastByName sorts pairs by name and keeps, of those of the same name,
// the last one added.
func lastByName(pairs []varPair) []varPair {
	slices.SortStableFunc(pairs, func(a, b varPair) int { return strings.Compare(a.name, b.name) })
	out := pairs[:0]
	for i, p := range pairs {
		if i+1 < len(pairs) && pairs[i+1].name == p.name {
			continue
		}
		out = append(out, p)
	}
	return out
}

package live

import (
	"fmt"
	"strings"

	"github.com/digx/fluxtf/internal/yamlx"
)

// Limits bound the live file: kubectl's output for thousands of
// Terraforms (without managedFields, kubectl's default) fits with a wide
// margin.
var Limits = yamlx.Limits{MaxBytes: 256 << 20, MaxDepth: 64, MaxAliasNodes: yamlx.DefaultLimits.MaxAliasNodes}

// Kinds the live file may hold, by the API group of their apiVersion.
const (
	terraformGroup = "infra.contrib.fluxcd.io/"
	sourceGroup    = "source.toolkit.fluxcd.io/"
)

// fix is what every error of a file that is not kubectl's output ends with.
const fix = "give --live the output of `kubectl get terraforms,gitrepositories -A -o yaml`"

// Set is the live objects of one file.
type Set struct {
	// File is the file they were read from.
	File string
	// Objects are the Terraforms and GitRepositories, in file order, in
	// their Kubernetes shape with only the fields the policies read:
	// apiVersion, kind, metadata (name, namespace, generation, labels),
	// spec and status (see the package doc). Values are map[string]any,
	// []any, string, int64, float64, bool and nil.
	Objects []map[string]any
}

// Terraforms counts the Terraform objects.
func (s *Set) Terraforms() int {
	n := 0
	for _, o := range s.Objects {
		if o["kind"] == "Terraform" {
			n++
		}
	}
	return n
}

// Load reads and checks a live file. An error names the file and line and
// says what to give instead.
func Load(path string) (*Set, error) {
	docs, err := yamlx.ParseFile(path, Limits)
	if err != nil {
		return nil, fmt.Errorf("--live: %w", err)
	}
	r := &reader{set: &Set{File: path}, seen: map[string]yamlx.Pos{}}
	for _, d := range docs {
		if d.Root == nil {
			continue
		}
		if err := r.document(d.Root); err != nil {
			return nil, err
		}
	}
	return r.set, nil
}

type reader struct {
	set  *Set
	seen map[string]yamlx.Pos // kind/namespace/name -> where first met
}

// bad is an error at n.
func bad(n *yamlx.Node, format string, args ...any) error {
	return fmt.Errorf("--live: %s: %s; %s", n.Pos, fmt.Sprintf(format, args...), fix)
}

// document reads a List or one object.
func (r *reader) document(n *yamlx.Node) error {
	if n.Kind != yamlx.MappingNode {
		return bad(n, "a document is %s, not a Kubernetes object", kindName(n))
	}
	kind, err := str(n, "kind", true)
	if err != nil {
		return err
	}
	if kind != "List" {
		return r.object(n, kind)
	}
	items := n.Get("items")
	if items == nil || items.IsNull() {
		return nil // kubectl's empty List
	}
	if items.Kind != yamlx.SequenceNode {
		return bad(items, "items is %s, not a list", kindName(items))
	}
	for _, it := range items.Content {
		if it.Kind != yamlx.MappingNode {
			return bad(it, "a List item is %s, not a Kubernetes object", kindName(it))
		}
		kind, err := str(it, "kind", true)
		if err != nil {
			return err
		}
		if err := r.object(it, kind); err != nil {
			return err
		}
	}
	return nil
}

// object reads one Terraform or GitRepository.
func (r *reader) object(n *yamlx.Node, kind string) error {
	api, err := str(n, "apiVersion", true)
	if err != nil {
		return err
	}
	var group string
	switch kind {
	case "Terraform":
		group = terraformGroup
	case "GitRepository":
		group = sourceGroup
	default:
		return bad(n, "a %s; --live reads Terraform and GitRepository objects only", kind)
	}
	if !strings.HasPrefix(api, group) {
		return bad(n.Get("apiVersion"), "a %s of apiVersion %q, not %s*", kind, api, group)
	}
	md := n.Get("metadata")
	if md == nil || md.Kind != yamlx.MappingNode {
		return bad(n, "the %s has no metadata", kind)
	}
	name, err := str(md, "name", true)
	if err != nil {
		return err
	}
	ns, err := str(md, "namespace", true)
	if err != nil {
		return err
	}
	gen, err := integer(md, "generation", true)
	if err != nil {
		return err
	}
	id := kind + "/" + ns + "/" + name
	if at, dup := r.seen[id]; dup {
		return bad(n, "%s %s/%s is listed twice (first at line %d)", kind, ns, name, at.Line)
	}
	r.seen[id] = n.Pos
	meta := map[string]any{"name": name, "namespace": ns, "generation": gen}
	if l := md.Get("labels"); l != nil && !l.IsNull() {
		if l.Kind != yamlx.MappingNode {
			return bad(l, "metadata.labels is %s, not a mapping", kindName(l))
		}
		meta["labels"] = l.ToAny()
	}
	obj := map[string]any{"apiVersion": api, "kind": kind, "metadata": meta}
	spec, status := mapping(n, "spec"), mapping(n, "status")
	if spec == nil || spec.Kind != yamlx.MappingNode {
		return bad(n, "%s %s/%s has no spec", kind, ns, name)
	}
	if status != nil && status.Kind != yamlx.MappingNode {
		return bad(status, "status is %s, not a mapping", kindName(status))
	}
	if kind == "Terraform" {
		err = terraform(obj, spec, status)
	} else {
		err = gitRepository(obj, spec, status)
	}
	if err != nil {
		return err
	}
	r.set.Objects = append(r.set.Objects, obj)
	return nil
}

// terraform keeps a Terraform's vars, sourceRef, approvePlan and suspend,
// and the status tf-controller writes (api/v1alpha2/terraform_types.go,
// TerraformStatus).
func terraform(obj map[string]any, spec, status *yamlx.Node) error {
	s := map[string]any{}
	if vars := spec.Get("vars"); vars != nil && !vars.IsNull() {
		if vars.Kind != yamlx.SequenceNode {
			return bad(vars, "spec.vars is %s, not a list", kindName(vars))
		}
		list := make([]any, 0, len(vars.Content))
		for _, v := range vars.Content {
			if v.Kind != yamlx.MappingNode {
				return bad(v, "a spec.vars entry is %s, not a mapping", kindName(v))
			}
			if _, err := str(v, "name", true); err != nil {
				return err
			}
			list = append(list, v.ToAny())
		}
		s["vars"] = list
	}
	if ref := spec.Get("sourceRef"); ref != nil {
		if ref.Kind != yamlx.MappingNode {
			return bad(ref, "spec.sourceRef is %s, not a mapping", kindName(ref))
		}
		sr := map[string]any{}
		for _, k := range []string{"kind", "name", "namespace"} {
			v, err := str(ref, k, false)
			if err != nil {
				return err
			}
			if v != "" {
				sr[k] = v
			}
		}
		s["sourceRef"] = sr
	}
	if err := copyStr(s, spec, "approvePlan"); err != nil {
		return err
	}
	if b := spec.Get("suspend"); b != nil && !b.IsNull() {
		if b.Tag != yamlx.TagBool {
			return bad(b, "spec.suspend is %q, not true or false", b.Value)
		}
		s["suspend"] = b.ToAny()
	}
	obj["spec"] = s
	if status == nil {
		return nil
	}
	st := map[string]any{}
	for _, k := range []string{"observedGeneration", "lastPlannedGeneration"} {
		if err := copyInt(st, status, k); err != nil {
			return err
		}
	}
	for _, k := range []string{"lastAppliedRevision", "lastAttemptedRevision", "lastPlannedRevision"} {
		if err := copyStr(st, status, k); err != nil {
			return err
		}
	}
	if p := status.Get("plan"); p != nil && !p.IsNull() {
		if p.Kind != yamlx.MappingNode {
			return bad(p, "status.plan is %s, not a mapping", kindName(p))
		}
		plan := map[string]any{}
		for _, k := range []string{"pending", "lastApplied"} {
			if err := copyStr(plan, p, k); err != nil {
				return err
			}
		}
		st["plan"] = plan
	}
	if err := copyConditions(st, status); err != nil {
		return err
	}
	obj["status"] = st
	return nil
}

// gitRepository keeps a GitRepository's ref and the artifact revision
// source-controller serves.
func gitRepository(obj map[string]any, spec, status *yamlx.Node) error {
	s := map[string]any{}
	if ref := spec.Get("ref"); ref != nil && !ref.IsNull() {
		if ref.Kind != yamlx.MappingNode {
			return bad(ref, "spec.ref is %s, not a mapping", kindName(ref))
		}
		s["ref"] = ref.ToAny()
	}
	obj["spec"] = s
	if status == nil {
		return nil
	}
	st := map[string]any{}
	if err := copyInt(st, status, "observedGeneration"); err != nil {
		return err
	}
	if a := status.Get("artifact"); a != nil && !a.IsNull() {
		if a.Kind != yamlx.MappingNode {
			return bad(a, "status.artifact is %s, not a mapping", kindName(a))
		}
		art := map[string]any{}
		if err := copyStr(art, a, "revision"); err != nil {
			return err
		}
		st["artifact"] = art
	}
	if err := copyConditions(st, status); err != nil {
		return err
	}
	obj["status"] = st
	return nil
}

// copyConditions keeps status.conditions' type, status and reason.
func copyConditions(st map[string]any, status *yamlx.Node) error {
	cs := status.Get("conditions")
	if cs == nil || cs.IsNull() {
		return nil
	}
	if cs.Kind != yamlx.SequenceNode {
		return bad(cs, "status.conditions is %s, not a list", kindName(cs))
	}
	list := make([]any, 0, len(cs.Content))
	for _, c := range cs.Content {
		if c.Kind != yamlx.MappingNode {
			return bad(c, "a status.conditions entry is %s, not a mapping", kindName(c))
		}
		cond := map[string]any{}
		for _, k := range []string{"type", "status"} {
			v, err := str(c, k, true)
			if err != nil {
				return err
			}
			cond[k] = v
		}
		if s := cond["status"]; s != "True" && s != "False" && s != "Unknown" {
			return bad(c.Get("status"), "condition status %q is not True, False or Unknown", s)
		}
		if err := copyStr(cond, c, "reason"); err != nil {
			return err
		}
		list = append(list, cond)
	}
	st["conditions"] = list
	return nil
}

// mapping is the value of key in n, or nil.
func mapping(n *yamlx.Node, key string) *yamlx.Node {
	v := n.Get(key)
	if v == nil || v.IsNull() {
		return nil
	}
	return v
}

// str is the string value of key in n; "" when absent and not required.
func str(n *yamlx.Node, key string, required bool) (string, error) {
	v := n.Get(key)
	if v == nil || v.IsNull() {
		if required {
			return "", bad(n, "no %s", key)
		}
		return "", nil
	}
	if v.Kind != yamlx.ScalarNode || v.Tag != yamlx.TagStr {
		return "", bad(v, "%s is %s, not a string", key, kindName(v))
	}
	if required && strings.TrimSpace(v.Value) == "" {
		return "", bad(v, "%s is empty", key)
	}
	return v.Value, nil
}

// integer is the integer value of key in n; 0 when absent and not required.
func integer(n *yamlx.Node, key string, required bool) (int64, error) {
	v := n.Get(key)
	if v == nil || v.IsNull() {
		if required {
			return 0, bad(n, "no %s", key)
		}
		return 0, nil
	}
	i, ok := v.ToAny().(int64)
	if v.Kind != yamlx.ScalarNode || v.Tag != yamlx.TagInt || !ok {
		return 0, bad(v, "%s is %s, not an integer", key, kindName(v))
	}
	return i, nil
}

// copyStr copies key's string value from n into dst, when n has one.
func copyStr(dst map[string]any, n *yamlx.Node, key string) error {
	if v := n.Get(key); v == nil || v.IsNull() {
		return nil
	}
	s, err := str(n, key, false)
	if err == nil {
		dst[key] = s
	}
	return err
}

// copyInt copies key's integer value from n into dst, when n has one.
func copyInt(dst map[string]any, n *yamlx.Node, key string) error {
	v := n.Get(key)
	if v == nil || v.IsNull() {
		return nil
	}
	i, err := integer(n, key, false)
	if err == nil {
		dst[key] = i
	}
	return err
}

// kindName says what a node is, in an error.
func kindName(n *yamlx.Node) string {
	switch n.Kind {
	case yamlx.MappingNode:
		return "a mapping"
	case yamlx.SequenceNode:
		return "a list"
	}
	if n.Tag == yamlx.TagStr {
		return fmt.Sprintf("the string %q", n.Value)
	}
	return n.Value
}

// Note says, for the report, that the live file compared nothing: it lists
// no Terraform, or none of its Terraforms is one of desired (keys
// "namespace/name" of the Terraforms being checked), so it is likely
// another cluster's. "" when one matches, or when desired is empty.
func (s *Set) Note(desired map[string]bool) string {
	if len(desired) == 0 {
		return ""
	}
	n := 0
	for _, o := range s.Objects {
		if o["kind"] != "Terraform" {
			continue
		}
		n++
		md, _ := o["metadata"].(map[string]any)
		ns, _ := md["namespace"].(string)
		name, _ := md["name"].(string)
		if desired[ns+"/"+name] {
			return ""
		}
	}
	if n == 0 {
		return fmt.Sprintf("--live %s lists no Terraform, so live-unapplied compared nothing; give it kubectl get terraforms,gitrepositories -A -o yaml of the cluster these manifests deploy to", s.File)
	}
	return fmt.Sprintf("--live %s: none of its %d Terraforms has the namespace and name of one of these manifests', so live-unapplied compared nothing; give it kubectl get terraforms,gitrepositories -A -o yaml of the cluster these manifests deploy to", s.File, n)
}

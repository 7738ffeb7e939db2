package generator

import (
	"fmt"
	"sort"
	"strings"

	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/templates"
)

// The stack model in the spec: which stack an environment deploys, the
// defaults.yaml section of each stack, the spec fields that belong to some
// stacks only (templates.StackFields) and the target kinds a stack takes.

// StacksKey is the defaults.yaml key whose entries (by stack name) are
// merged, over the rest of defaults.yaml, under the environments of that
// stack only.
const StacksKey = "stacks"

// stackOf names the stack of an environment before its tree is merged:
// the environment file's stack, else defaults.yaml's, else the tier
// defaults', else DefaultStack.
func stackOf(envRoot, defaults, tierDefaults *yamlx.Node) string {
	for _, n := range []*yamlx.Node{envRoot, defaults, tierDefaults} {
		if s := n.Get("stack"); s != nil && s.Kind == yamlx.ScalarNode && s.Value != "" {
			return s.Value
		}
	}
	return DefaultStack
}

// scopeDefaults returns defaults.yaml as it applies to the environments
// of stack: its own keys without stacks, and stacks.<stack> merged over
// them.
func scopeDefaults(defaults *yamlx.Node, stack string) (*yamlx.Node, error) {
	if defaults == nil {
		return nil, nil
	}
	_, sv := entry(defaults, StacksKey)
	if sv == nil {
		return defaults, nil
	}
	if sv.Kind != yamlx.MappingNode {
		return nil, &yamlx.Error{Pos: sv.Pos, Path: StacksKey, Msg: "must be a mapping of stack name to the defaults of that stack's environments"}
	}
	for i := 0; i+1 < len(sv.Content); i += 2 {
		k, v := sv.Content[i], sv.Content[i+1]
		p := StacksKey + "[" + k.Value + "]"
		if v.Kind != yamlx.MappingNode {
			return nil, &yamlx.Error{Pos: v.Pos, Path: p, Msg: "must be a mapping: the defaults of the " + k.Value + " stack's environments"}
		}
		for _, key := range []string{"stack", StacksKey, "name", "tier", "apiVersion", "kind", "accounts"} {
			if kk, _ := entry(v, key); kk != nil {
				return nil, &yamlx.Error{Pos: kk.Pos, Path: p + "." + key, Msg: key + " cannot be set per stack; set it at the top of " + DefaultsFile + " or in each environment's own file"}
			}
		}
	}
	return yamlx.Merge(without(defaults, []string{StacksKey}), sv.Get(stack)), nil
}

// entry returns the key and value nodes of key in the mapping n.
func entry(n *yamlx.Node, key string) (k, v *yamlx.Node) {
	if n == nil || n.Kind != yamlx.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// without returns a copy of the mapping n without the key at path (a list
// of mapping keys); the nodes it leaves are shared.
func without(n *yamlx.Node, path []string) *yamlx.Node {
	if n == nil || n.Kind != yamlx.MappingNode || len(path) == 0 {
		return n
	}
	out := *n
	out.Content = make([]*yamlx.Node, 0, len(n.Content))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == path[0] {
			if len(path) == 1 {
				continue
			}
			v = without(v, path[1:])
		}
		out.Content = append(out.Content, k, v)
	}
	return &out
}

// stripForeign drops from the tier defaults the stack-specific fields the
// stack does not take (tiers.yaml's cluster.os is the EKS stack's).
func stripForeign(tierDefaults *yamlx.Node, st *templates.Stack) *yamlx.Node {
	for _, f := range templates.StackFields {
		if st.TakesField(f) || strings.Contains(f, "[]") {
			continue
		}
		tierDefaults = without(tierDefaults, strings.Split(f, "."))
	}
	return tierDefaults
}

// fieldOwners lists the stacks (of set) that take the stack-specific
// field f, for messages.
func fieldOwners(set *templates.Set, f string) []string {
	var out []string
	for _, name := range set.StackNames() {
		if st, err := set.Stack(name); err == nil && st.TakesField(f) {
			out = append(out, name)
		}
	}
	return out
}

// componentOwners lists the stacks (of set) with a component named c.
func componentOwners(set *templates.Set, c string) []string {
	var out []string
	for _, name := range set.StackNames() {
		if st, err := set.Stack(name); err == nil && st.Component(c) != nil {
			out = append(out, name)
		}
	}
	return out
}

// stackFields checks the environment's stack-specific fields against its
// stack: a field of another stack is an error at the line that sets it
// (the environment file or defaults.yaml), and a required one must be
// there.
func (c *checker) stackFields(e *Environment, st *templates.Stack, set *templates.Set) {
	for _, f := range templates.StackFields {
		if st.TakesField(f) {
			continue
		}
		for _, p := range c.fieldPaths(f) {
			pos, _ := c.tree.KeyPos(p)
			owners := fieldOwners(set, f)
			whose := "another stack's field"
			if len(owners) > 0 {
				whose = "a field of stack " + strings.Join(owners, ", ")
			}
			fix := "remove it"
			if pos.File == c.defaults && len(owners) > 0 {
				fix = fmt.Sprintf("move it under %s.%s in %s, so that only that stack's environments get it", StacksKey, owners[0], DefaultsFile)
			}
			c.errs = append(c.errs, &yamlx.Error{Pos: c.posOf(pos), Path: p, Msg: fmt.Sprintf(
				"is %s; environment %s deploys stack %s, which does not take it (its fields: %s): %s",
				whose, e.Name, st.Name, stackFieldList(st), fix)})
		}
	}
	for _, f := range st.SpecFields().Required {
		if len(c.fieldPaths(f)) == 0 && !strings.Contains(f, "[]") {
			c.add(f, "is required by stack %s; see `fluxtf schema` and the README's section on the stack", st.Name)
		}
	}
}

// posOf is where to report a field found at p: p itself when the
// environment file or defaults.yaml wrote it, else the environment file's
// top.
func (c *checker) posOf(p yamlx.Pos) yamlx.Pos {
	if p.File != c.file && p.File != c.defaults {
		return c.root.Pos
	}
	return p
}

// fieldPaths expands a stack-specific field into the paths where the
// merged tree sets it (targets[].x: one per target that has it).
func (c *checker) fieldPaths(f string) []string {
	head, tail, list := strings.Cut(f, "[].")
	if !list {
		if _, ok := c.tree.Lookup(f); ok {
			return []string{f}
		}
		return nil
	}
	var out []string
	n := c.tree.Get(head)
	if n == nil || n.Kind != yamlx.SequenceNode {
		return nil
	}
	for i := range n.Content {
		p := fmt.Sprintf("%s[%d].%s", head, i, tail)
		if _, ok := c.tree.Lookup(p); ok {
			out = append(out, p)
		}
	}
	return out
}

func stackFieldList(st *templates.Stack) string {
	sf := st.SpecFields()
	fs := append(append([]string(nil), sf.Required...), sf.Optional...)
	if len(fs) == 0 {
		return "none"
	}
	sort.Strings(fs)
	return strings.Join(fs, ", ")
}

// targetKinds checks each target against the stack's target kinds: the
// AWS account, account id and region with aws, the azure block with
// azure, and neither where the stack does not deploy there.
func (c *checker) targetKinds(e *Environment, st *templates.Stack) {
	aws, azure := st.Deploys(templates.TargetAWS), st.Deploys(templates.TargetAzure)
	kinds := make([]string, len(st.TargetKinds()))
	for i, k := range st.TargetKinds() {
		kinds[i] = string(k)
	}
	for i := range e.Targets {
		t := &e.Targets[i]
		p := fmt.Sprintf("targets[%d]", i)
		if !aws {
			for _, f := range []string{"account", "accountId", "region"} {
				if _, ok := c.tree.Lookup(p + "." + f); ok {
					c.add(p+"."+f, "stack %s deploys to %s only, not to AWS accounts; remove it", st.Name, strings.Join(kinds, ", "))
				}
			}
		}
		switch {
		case azure && t.Azure == nil:
			c.add(p+".azure", "is required by stack %s: the Azure subscription, subscriptionId, location and resourceGroup of the target", st.Name)
		case azure:
			c.azureTarget(p+".azure", t.Azure)
		case t.Azure != nil:
			c.add(p+".azure", "stack %s deploys to %s only, not to Azure; remove it", st.Name, strings.Join(kinds, ", "))
		}
	}
}

// unknownComponent reports a component the stack's catalogue does not
// have, naming the stacks that do (an EKS component in an ocm-client
// environment).
func (c *checker) unknownComponent(p, name string, st *templates.Stack) {
	pos, _ := c.tree.KeyPos(p)
	fix := ""
	if pos.File == c.defaults {
		fix = fmt.Sprintf("; in %s, move it under %s.<stack>", DefaultsFile, StacksKey)
	}
	if owners := componentOwners(c.set, name); len(owners) > 0 {
		c.add(p, "%q is a component of stack %s, not of %s (environment %s); remove it%s (`fluxtf components --stack %s` lists this stack's)", name, strings.Join(owners, ", "), st.Name, c.envName, fix, st.Name)
		return
	}
	c.add(p, "unknown component %q%s", name, closest(name, st.ComponentNames()))
}

package releasediff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/templates"
)

// Kind says which part of a release a change is about.
type Kind string

// The parts of a release.
const (
	Module     Kind = "module"     // the GitRepository's tag or branch
	Kubernetes Kind = "kubernetes" // the base's kubernetes_version
	OS         Kind = "os"         // the base's node OS
	Component  Kind = "component"  // a component's version, or its presence
	NodeGroup  Kind = "nodegroup"  // a node group's sizes, or its presence
)

// Change is one line of a diff.
type Change struct {
	// Environment is the environment's name.
	Environment string `json:"environment"`
	// Target is the target (account and region) of a Terraform change;
	// empty for the environment's module source.
	Target string `json:"target,omitempty"`
	// Kind is the part of the release.
	Kind Kind `json:"kind"`
	// Component names the component of a component change, or the node
	// group of a node group change.
	Component string `json:"component,omitempty"`
	// From and To are the values before and after; From is empty for an
	// addition, To for a removal.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Text says it in words: "module tag v4.1.3 -> v4.2.0".
	Text string `json:"text"`
	// Verdict is the policy verdict on the line (Attach): ok, warn or
	// deny. Compare leaves every line ok.
	Verdict Verdict `json:"verdict"`
	// Rules are the ids of the rules whose findings concern the line,
	// the deny ones first, each group sorted (Attach).
	Rules []string `json:"rules"`
	// Findings are those findings: rule, severity and message.
	Findings []Note `json:"findings,omitempty"`

	// at is the rendered object and field the line is about (Attach).
	at place
}

// Verdict is what the policies say about one line of a diff.
type Verdict string

// The verdicts: no finding concerns the line, only warnings do, or a
// deny does.
const (
	VerdictOK   Verdict = "ok"
	VerdictWarn Verdict = "warn"
	VerdictDeny Verdict = "deny"
)

// Note is a finding attached to a line: its rule, severity and message.
type Note struct {
	Rule     string           `json:"rule"`
	Severity finding.Severity `json:"severity"`
	Message  string           `json:"message"`
}

// place is a rendered object (its path below the output root) and the
// field of it a line is about: a prefix such as spec.ref or spec.vars[3],
// and for a node group its key in the node_groups value. An empty field
// means the whole object (a component or node group added or removed is
// the object's line; for a node group, the node_groups var).
type place struct {
	path, field, group string
	object             bool
}

// Options configure Compute.
type Options struct {
	// Render reads the specs; OutDir is also the folder read at BaselineRef.
	Render generator.Options
	// BaselineRef is the git commit the change is compared with.
	BaselineRef string
	// BaselineDir, instead of BaselineRef, is a folder of rendered
	// manifests to compare with (check's --baseline DIR).
	BaselineDir string
	// RepoDir is where git runs (default ".").
	RepoDir string
}

// Compute renders the specs in memory and compares them with the output
// root as committed at BaselineRef.
func Compute(opts Options) ([]Change, error) {
	ro := opts.Render
	ro.All, ro.Envs = true, nil
	ro.FilesOnly = true
	outs, err := generator.Build(ro)
	if err != nil {
		return nil, err
	}
	after := map[string][]byte{}
	for _, o := range outs {
		for _, f := range o.Files {
			after[f.Path] = f.Data
		}
	}
	if opts.BaselineDir != "" {
		before, err := readTree(filesys.MakeFsOnDisk(), opts.BaselineDir)
		if err != nil {
			return nil, fmt.Errorf("baseline %s: %w", opts.BaselineDir, err)
		}
		return Compare(before, after, templateSet(ro))
	}
	repo := gitfs.Repo{Dir: opts.RepoDir}
	if repo.Dir == "" {
		repo.Dir = "."
	}
	fs, _, err := repo.Load(opts.BaselineRef, []string{ro.OutDir})
	if errors.Is(err, gitfs.ErrNoCommits) {
		fs, err = filesys.MakeFsInMemory(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline %s: %w", opts.BaselineRef, err)
	}
	before, err := readTree(fs, repo.FSPath(ro.OutDir))
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", opts.BaselineRef, err)
	}
	return Compare(before, after, templateSet(ro))
}

// templateSet is the template set the render uses.
func templateSet(ro generator.Options) *templates.Set {
	if ro.Templates != nil {
		return ro.Templates
	}
	return templates.Embedded()
}

// readTree returns the YAML files under root, by path below it.
func readTree(fs filesys.FileSystem, root string) (map[string][]byte, error) {
	out := map[string][]byte{}
	if !fs.Exists(root) {
		return out, nil
	}
	err := fs.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		out[rel] = data
		return nil
	})
	return out, err
}

// release is what one side runs: per environment its module ref, per
// environment and target its Kubernetes minor, OS and components.
type release struct {
	module  map[string]string               // env -> "tag v4.2.0" / "branch alpha"
	k8s     map[[2]string]string            // [env, target] -> "1.29"
	os      map[[2]string]string            // [env, target] -> "BOTTLEROCKET"
	comps   map[[2]string]map[string]string // [env, target] -> component -> version ("" when it takes none)
	groups  map[[2]string]map[string]string // [env, target] -> node group -> "min 2, max 5"
	targets map[string]map[string]bool      // env -> targets
	// where each value is rendered: the module by env, the rest by the
	// same keys as above and "k8s", "os", "comp:<c>", "groups"
	moduleAt map[string]place
	at       map[[2]string]map[string]place
}

// placeOf returns where the value named key of [env, target] is rendered.
func (r *release) placeOf(k [2]string, key string) place { return r.at[k][key] }

func (r *release) setPlace(k [2]string, key string, p place) {
	if r.at[k] == nil {
		r.at[k] = map[string]place{}
	}
	r.at[k][key] = p
}

// Compare says what changes from the rendered files before to after
// (paths below the output root -> contents).
func Compare(before, after map[string][]byte, set *templates.Set) ([]Change, error) {
	b, err := read(before, set)
	if err != nil {
		return nil, err
	}
	a, err := read(after, set)
	if err != nil {
		return nil, err
	}
	var out []Change
	envs := union(keys(a.module, b.module), keys(a.targets, b.targets))
	for _, env := range envs {
		if from, to := b.module[env], a.module[env]; from != to {
			c := change(env, "", Module, "", from, to)
			c.at = a.moduleAt[env]
			out = append(out, c)
		}
		for _, t := range keys(a.targets[env], b.targets[env]) {
			k := [2]string{env, t}
			if from, to := b.k8s[k], a.k8s[k]; from != to {
				c := change(env, t, Kubernetes, "", from, to)
				c.at = a.placeOf(k, "k8s")
				out = append(out, c)
			}
			if from, to := b.os[k], a.os[k]; from != to {
				c := change(env, t, OS, "", from, to)
				c.at = a.placeOf(k, "os")
				out = append(out, c)
			}
			for _, g := range keys(a.groups[k], b.groups[k]) {
				from, had := b.groups[k][g]
				to, has := a.groups[k][g]
				at := a.placeOf(k, "groups")
				at.group = g
				switch {
				case !had:
					out = append(out, Change{Environment: env, Target: t, Kind: NodeGroup, Component: g, To: to, Text: fmt.Sprintf("node group %s added (%s)", g, to), at: at})
				case !has:
					out = append(out, Change{Environment: env, Target: t, Kind: NodeGroup, Component: g, From: from, Text: fmt.Sprintf("node group %s removed", g), at: at})
				case from != to:
					out = append(out, Change{Environment: env, Target: t, Kind: NodeGroup, Component: g, From: from, To: to, Text: fmt.Sprintf("node group %s %s -> %s", g, from, to), at: at})
				}
			}
			for _, c := range keys(a.comps[k], b.comps[k]) {
				from, had := b.comps[k][c]
				to, has := a.comps[k][c]
				at := a.placeOf(k, "comp:"+c)
				switch {
				case !had:
					out = append(out, Change{Environment: env, Target: t, Kind: Component, Component: c, To: to, Text: strings.TrimSpace(c + " " + to + " added"), at: at})
				case !has:
					// nothing renders it any more: no finding concerns it
					out = append(out, Change{Environment: env, Target: t, Kind: Component, Component: c, From: from, Text: c + " removed"})
				case from != to:
					at.object = false
					ch := change(env, t, Component, c, from, to)
					ch.at = at
					out = append(out, ch)
				}
			}
		}
	}
	for i := range out {
		out[i].Verdict, out[i].Rules = VerdictOK, []string{}
	}
	return out, nil
}

func change(env, target string, k Kind, comp, from, to string) Change {
	word := map[Kind]string{Module: "module", Kubernetes: "Kubernetes", OS: "node OS", Component: comp}[k]
	if k == Module && strings.HasPrefix(from, "v") && strings.HasPrefix(to, "v") {
		word = "module tag"
	}
	f, t := from, to
	if f == "" {
		f = "(none)"
	}
	if t == "" {
		t = "(none)"
	}
	return Change{Environment: env, Target: target, Kind: k, Component: comp, From: from, To: to, Text: fmt.Sprintf("%s %s -> %s", word, f, t)}
}

// union merges two sorted lists of keys.
func union(x, y []string) []string {
	m := map[string]bool{}
	for _, k := range append(x, y...) {
		m[k] = true
	}
	return keys(m)
}

// keys returns the sorted union of the maps' keys.
func keys[V any](ms ...map[string]V) []string {
	seen := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// object is the part of a rendered object the diff reads.
type object struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Labels map[string]string `json:"labels"`
	} `json:"metadata"`
	Spec struct {
		Ref struct {
			Tag    string `json:"tag"`
			Branch string `json:"branch"`
			Name   string `json:"name"`
		} `json:"ref"`
		Vars []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"vars"`
	} `json:"spec"`
}

func read(files map[string][]byte, set *templates.Set) (*release, error) {
	r := &release{
		module: map[string]string{}, k8s: map[[2]string]string{}, os: map[[2]string]string{},
		comps: map[[2]string]map[string]string{}, groups: map[[2]string]map[string]string{}, targets: map[string]map[string]bool{},
		moduleAt: map[string]place{}, at: map[[2]string]map[string]place{},
	}
	stacks := map[string]*templates.Stack{}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if path.Base(p) == "kustomization.yaml" {
			continue
		}
		for _, doc := range bytes.Split(files[p], []byte("\n---\n")) {
			var o object
			if err := yaml.Unmarshal(doc, &o); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			l := o.Metadata.Labels
			env := l[contract.LabelEnvironment]
			if env == "" {
				continue
			}
			switch o.Kind {
			case "GitRepository":
				r.moduleAt[env] = place{path: p, field: "spec.ref"}
				switch ref := o.Spec.Ref; {
				case ref.Tag != "":
					r.module[env] = ref.Tag
				case ref.Branch != "":
					r.module[env] = "branch " + ref.Branch
				case ref.Name != "":
					r.module[env] = ref.Name
				}
			case "Terraform":
				t := l[contract.LabelTarget]
				if r.targets[env] == nil {
					r.targets[env] = map[string]bool{}
				}
				r.targets[env][t] = true
				k := [2]string{env, t}
				vars := map[string]string{}
				varAt := map[string]string{}
				for i, v := range o.Spec.Vars {
					varAt[v.Name] = fmt.Sprintf("spec.vars[%d]", i)
					if s, ok := v.Value.(string); ok {
						vars[v.Name] = s
					}
					if v.Name == "node_groups" {
						r.groups[k] = nodeGroups(v.Value)
						r.setPlace(k, "groups", place{path: p, field: varAt[v.Name]})
					}
				}
				comp := l[contract.LabelComponent]
				st := stacks[l[contract.LabelStack]]
				if st == nil && l[contract.LabelStack] != "" {
					if s, err := set.Stack(l[contract.LabelStack]); err == nil {
						st, stacks[l[contract.LabelStack]] = s, s
					}
				}
				if st != nil && comp == st.Base.Name {
					r.k8s[k] = vars[contract.VarKubernetesVersion]
					r.os[k] = vars["os"]
					r.setPlace(k, "k8s", place{path: p, field: varAt[contract.VarKubernetesVersion]})
					r.setPlace(k, "os", place{path: p, field: varAt["os"]})
					continue
				}
				version := ""
				at := place{path: p, object: true}
				if st != nil {
					if m := st.Component(comp); m != nil && m.VersionVar != "" {
						version = vars[m.VersionVar]
						at.field = varAt[m.VersionVar]
					}
				}
				r.setPlace(k, "comp:"+comp, at)
				if r.comps[k] == nil {
					r.comps[k] = map[string]string{}
				}
				r.comps[k][comp] = version
			}
		}
	}
	return r, nil
}

// nodeGroups reads the base's node_groups var (name -> settings) as
// name -> "min 2, max 5, m6i.large".
func nodeGroups(v any) map[string]string {
	out := map[string]string{}
	m, _ := v.(map[string]any)
	for name, g := range m {
		gm, _ := g.(map[string]any)
		var types []string
		if ts, ok := gm["instance_types"].([]any); ok {
			for _, t := range ts {
				types = append(types, fmt.Sprint(t))
			}
		}
		out[name] = fmt.Sprintf("min %v, max %v, %s", gm["min_size"], gm["max_size"], strings.Join(types, " "))
	}
	return out
}

// WriteText writes the changes grouped by environment and target, each
// line with its verdict in brackets: [ok], [warn RULE], [deny RULE].
func WriteText(w io.Writer, changes []Change) error {
	var b strings.Builder
	if len(changes) == 0 {
		b.WriteString("no release changes\n")
	}
	env, target := "", "\x00"
	for _, c := range changes {
		if c.Environment != env {
			env, target = c.Environment, "\x00"
			fmt.Fprintf(&b, "%s:\n", env)
		}
		if c.Target != target {
			target = c.Target
			if target != "" {
				fmt.Fprintf(&b, "  %s:\n", target)
			}
		}
		indent := "  "
		if c.Target != "" {
			indent = "    "
		}
		fmt.Fprintf(&b, "%s%s  [%s]\n", indent, c.Text, c.shown())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the changes as a Markdown section for a pull
// request or job summary: a heading per environment, a list item per
// change ending in its verdict (ok, **warn** RULE, **deny** RULE).
func WriteMarkdown(w io.Writer, changes []Change) error {
	var b strings.Builder
	b.WriteString("### Release changes\n\n")
	if len(changes) == 0 {
		b.WriteString("No release changes.\n")
	}
	env := ""
	for _, c := range changes {
		if c.Environment != env {
			if env != "" {
				b.WriteString("\n")
			}
			env = c.Environment
			fmt.Fprintf(&b, "**%s**\n\n", mdEscape(env))
		}
		v := mdEscape(c.shown())
		if c.Verdict == VerdictDeny || c.Verdict == VerdictWarn {
			w, rest, _ := strings.Cut(v, " ")
			v = "**" + w + "** " + rest
		}
		if c.Target != "" {
			fmt.Fprintf(&b, "- `%s`: %s — %s\n", strings.ReplaceAll(c.Target, "`", "'"), mdEscape(c.Text), v)
		} else {
			fmt.Fprintf(&b, "- %s — %s\n", mdEscape(c.Text), v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdownNoBaseline writes the one line a Markdown summary holds
// instead of the changes when the run had no baseline to compare with.
func WriteMarkdownNoBaseline(w io.Writer) error {
	_, err := io.WriteString(w, "**Release changes**: not shown, there is no baseline to compare with.\n")
	return err
}

// mdEscape keeps text from starting Markdown markup.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", "|", `\|`)
	return r.Replace(s)
}

// WriteJSON writes the changes as a JSON array, each with its verdict,
// rules and findings.
func WriteJSON(w io.Writer, changes []Change) error {
	if changes == nil {
		changes = []Change{}
	}
	for i := range changes {
		if changes[i].Verdict == "" {
			changes[i].Verdict = VerdictOK
		}
		if changes[i].Rules == nil {
			changes[i].Rules = []string{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(changes)
}

// Attach gives each change the findings of a check of the same rendered
// output that concern it, and its verdict: deny when one of them is a
// deny, warn when they are only warnings, ok when there is none. outDir
// is the output root the findings' files are under.
//
// A finding concerns a line when it is on the rendered object the line
// is about, at the line's field: the GitRepository's spec.ref for the
// module, the base Terraform's kubernetes_version or os var, a
// component's version var, the base's node_groups var (the whole var, or
// the group's key in it) for a node group; a component added is its whole
// Terraform. A finding reported at a spec line is matched by the
// generated objects it names (finding.Finding.Generated and
// AlsoGenerated), so one spec cause reaches every target it renders to,
// and no other. The environment and target are the object's: a finding
// on another target's object, or on another field of the same object, is
// not attached. Waived findings and render-drift are not verdicts on what
// the change does, and are left out.
func Attach(changes []Change, outDir string, findings []finding.Finding) {
	byPath := map[string][]int{}
	for i, c := range changes {
		if c.at.path != "" {
			byPath[c.at.path] = append(byPath[c.at.path], i)
		}
	}
	attached := make([]map[string]bool, len(changes))
	for _, f := range findings {
		if f.Waiver != nil || f.Rule == finding.RenderDrift {
			continue
		}
		var places []finding.Location
		if f.Generated != nil {
			places = append(append(places, *f.Generated), f.AlsoGenerated...)
		} else {
			places = []finding.Location{{File: f.File, Field: f.Field}}
		}
		for _, loc := range places {
			rel, err := filepath.Rel(outDir, loc.File)
			if err != nil || loc.File == "" {
				continue
			}
			for _, i := range byPath[filepath.ToSlash(rel)] {
				c := &changes[i]
				if !c.at.concerns(loc.Field) {
					continue
				}
				if attached[i] == nil {
					attached[i] = map[string]bool{}
				}
				n := Note{Rule: f.Rule, Severity: f.Severity, Message: f.Message}
				k := string(n.Severity) + "\x00" + n.Rule + "\x00" + n.Message
				if attached[i][k] {
					continue
				}
				attached[i][k] = true
				c.Findings = append(c.Findings, n)
			}
		}
	}
	for i := range changes {
		changes[i].Verdict, changes[i].Rules = verdict(changes[i].Findings)
	}
}

// verdict returns the verdict of a line's findings and their rule ids,
// the deny ones first.
func verdict(notes []Note) (Verdict, []string) {
	deny, warn := map[string]bool{}, map[string]bool{}
	for _, n := range notes {
		if n.Severity == finding.Deny {
			deny[n.Rule] = true
		} else {
			warn[n.Rule] = true
		}
	}
	rules := append(keys(deny), keys(warn)...)
	switch {
	case len(deny) > 0:
		return VerdictDeny, rules
	case len(warn) > 0:
		return VerdictWarn, rules
	}
	return VerdictOK, []string{}
}

// concerns reports whether a finding at field of p's object is about p.
func (p place) concerns(field string) bool {
	if p.object {
		return true // a component added: any field of its Terraform
	}
	if field == "" || p.field == "" || !under(field, p.field) {
		return false
	}
	if p.group == "" {
		return true
	}
	// the node_groups var as a whole, or this group's key in its value
	v := p.field + ".value"
	return field == p.field || field == v || under(field, v+"."+p.group) || under(field, v+`["`+p.group+`"]`)
}

// under reports whether field is prefix or a field below it.
func under(field, prefix string) bool {
	if !strings.HasPrefix(field, prefix) {
		return false
	}
	rest := field[len(prefix):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// shown is the verdict as a line shows it: "ok", "warn rule-a",
// "deny rule-b, rule-c" (the rules of the verdict's severity).
func (c Change) shown() string {
	v := c.Verdict
	if v == "" {
		v = VerdictOK
	}
	var ids []string
	for _, n := range c.Findings {
		if string(n.Severity) == string(v) && !contains(ids, n.Rule) {
			ids = append(ids, n.Rule)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return string(v)
	}
	return string(v) + " " + strings.Join(ids, ", ")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

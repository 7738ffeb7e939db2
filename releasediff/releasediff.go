package releasediff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/contract"
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
			out = append(out, change(env, "", Module, "", from, to))
		}
		for _, t := range keys(a.targets[env], b.targets[env]) {
			k := [2]string{env, t}
			if from, to := b.k8s[k], a.k8s[k]; from != to {
				out = append(out, change(env, t, Kubernetes, "", from, to))
			}
			if from, to := b.os[k], a.os[k]; from != to {
				out = append(out, change(env, t, OS, "", from, to))
			}
			for _, g := range keys(a.groups[k], b.groups[k]) {
				from, had := b.groups[k][g]
				to, has := a.groups[k][g]
				switch {
				case !had:
					out = append(out, Change{Environment: env, Target: t, Kind: NodeGroup, Component: g, To: to, Text: fmt.Sprintf("node group %s added (%s)", g, to)})
				case !has:
					out = append(out, Change{Environment: env, Target: t, Kind: NodeGroup, Component: g, From: from, Text: fmt.Sprintf("node group %s removed", g)})
				case from != to:
					out = append(out, Change{Environment: env, Target: t, Kind: NodeGroup, Component: g, From: from, To: to, Text: fmt.Sprintf("node group %s %s -> %s", g, from, to)})
				}
			}
			for _, c := range keys(a.comps[k], b.comps[k]) {
				from, had := b.comps[k][c]
				to, has := a.comps[k][c]
				switch {
				case !had:
					out = append(out, Change{Environment: env, Target: t, Kind: Component, Component: c, To: to, Text: strings.TrimSpace(c + " " + to + " added")})
				case !has:
					out = append(out, Change{Environment: env, Target: t, Kind: Component, Component: c, From: from, Text: c + " removed"})
				case from != to:
					out = append(out, change(env, t, Component, c, from, to))
				}
			}
		}
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
				for _, v := range o.Spec.Vars {
					if s, ok := v.Value.(string); ok {
						vars[v.Name] = s
					}
					if v.Name == "node_groups" {
						r.groups[k] = nodeGroups(v.Value)
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
					continue
				}
				version := ""
				if st != nil {
					if m := st.Component(comp); m != nil && m.VersionVar != "" {
						version = vars[m.VersionVar]
					}
				}
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

// WriteText writes the changes grouped by environment and target.
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
		fmt.Fprintf(&b, "%s%s\n", indent, c.Text)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the changes as a Markdown section for a pull
// request or job summary: a heading per environment, a list item per change.
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
		if c.Target != "" {
			fmt.Fprintf(&b, "- `%s`: %s\n", strings.ReplaceAll(c.Target, "`", "'"), mdEscape(c.Text))
		} else {
			fmt.Fprintf(&b, "- %s\n", mdEscape(c.Text))
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

// WriteJSON writes the changes as a JSON array.
func WriteJSON(w io.Writer, changes []Change) error {
	if changes == nil {
		changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(changes)
}

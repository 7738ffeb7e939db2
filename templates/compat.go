package templates

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"

	"github.com/digx/fluxtf/internal/yamlx"
)

// Compatibility is the Kubernetes support of a stack's components, read
// from each project's published compatibility matrix
// (templates/compatibility/<stack>.yaml). The policy component-compatibility
// reads a generated copy of it (policies/lib/catalogue_gen.rego).
type Compatibility struct {
	// APIVersion must be fluxtf/v1alpha1.
	APIVersion string `json:"apiVersion"`
	// Kind must be Compatibility.
	Kind string `json:"kind"`
	// Stack names the catalogue the components belong to.
	Stack string `json:"stack"`
	// Components maps a catalogue component to its rows.
	Components map[string][]CompatRow `json:"components"`
}

// CompatRow is one line of a component's versions and the Kubernetes minors
// it supports.
type CompatRow struct {
	// Version is a MAJOR.MINOR line ("1.24": every 1.24.x) or a line from a
	// patch on ("1.0.5": 1.0.5 and later 1.0.x, above a "1.0" row).
	Version string `json:"version"`
	// Kubernetes is the range of supported minors, "1.28-1.31".
	Kubernetes string `json:"kubernetes"`
	// Source is the URL of the published matrix the row comes from.
	Source string `json:"source"`
}

// CompatLine is a parsed CompatRow.
type CompatLine struct {
	Major, Minor, Patch int    // the row's first version
	MinK8s, MaxK8s      int    // Kubernetes minors, 1.MinK8s to 1.MaxK8s
	Source              string // URL of the published matrix
}

var (
	compatVersionRE = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$`)
	compatK8sRE     = regexp.MustCompile(`^1\.([0-9]+)-1\.([0-9]+)$`)
	compatSourceRE  = regexp.MustCompile(`^https://[^\s]+$`)
)

// Compatibility loads the compatibility rows of a stack, checked against
// its catalogue; a stack without a compatibility file has none (nil).
func (s *Set) Compatibility(st *Stack) (map[string][]CompatLine, error) {
	file := path.Join("compatibility", st.Name+".yaml")
	root, err := s.parseOne(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c := &Compatibility{}
	if err := yamlx.Decode(root, c); err != nil {
		return nil, err
	}
	probs := newProblems(root)
	at := probs.at
	probs.header(c.APIVersion, c.Kind, "Compatibility")
	if c.Stack != st.Name {
		at("stack", "must be %q, the stack of the file's name", st.Name)
	}
	out := map[string][]CompatLine{}
	names := make([]string, 0, len(c.Components))
	for n := range c.Components {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		p := "components." + name
		m := st.Component(name)
		if m == nil {
			at(p, "%q is not a component of stack %s", name, st.Name)
			continue
		}
		if m.VersionVar == "" {
			at(p, "component %q takes no version (no versionVar in the catalogue)", name)
		}
		seen := map[string]bool{}
		for i, r := range c.Components[name] {
			rp := fmt.Sprintf("%s[%d]", p, i)
			v := compatVersionRE.FindStringSubmatch(r.Version)
			k := compatK8sRE.FindStringSubmatch(r.Kubernetes)
			switch {
			case v == nil:
				at(rp+".version", "%q is not a version line such as \"1.24\" or \"1.0.5\"", r.Version)
				continue
			case k == nil:
				at(rp+".kubernetes", "%q is not a range of Kubernetes minors such as \"1.28-1.31\"", r.Kubernetes)
				continue
			case !compatSourceRE.MatchString(r.Source):
				at(rp+".source", "name the https:// URL of the published matrix the row comes from")
				continue
			case seen[r.Version]:
				at(rp+".version", "%q is listed twice", r.Version)
				continue
			}
			seen[r.Version] = true
			l := CompatLine{Major: atoi(v[1]), Minor: atoi(v[2]), Patch: atoi(v[3]), MinK8s: atoi(k[1]), MaxK8s: atoi(k[2]), Source: r.Source}
			if l.MinK8s > l.MaxK8s {
				at(rp+".kubernetes", "%q goes down; write the lower minor first", r.Kubernetes)
				continue
			}
			out[name] = append(out[name], l)
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // "" (no patch) is 0
	return n
}

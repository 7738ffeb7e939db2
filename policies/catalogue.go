package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/digx/fluxtf/templates"
)

// The embedded Rego data files generated from the stack catalogues
// (templates/stacks) and their compatibility matrices
// (templates/compatibility) by CatalogueRego, the one generator, and kept
// fresh by TestCatalogueIsFresh. They are two files because their data
// live in two packages: the contracts and stacks in fluxtf.catalogue, the
// version variables and compatibility rows in fluxtf.lib.
const (
	// CatalogueFile holds data.fluxtf.catalogue: modules and stacks.
	CatalogueFile = "lib/catalogue.rego"
	// CatalogueVersionsFile holds data.fluxtf.lib.catalogue_versions.
	CatalogueVersionsFile = "lib/catalogue_gen.rego"
)

// catalogueHeader opens every generated catalogue file: what it comes from
// and how to regenerate it.
const catalogueHeader = "# Code generated from templates/stacks/*.yaml and templates/compatibility/*.yaml\n" +
	"# by `go test ./policies -run TestCatalogueIsFresh -update`. DO NOT EDIT.\n"

// catalogueInput is one input of a module contract, as the policies read it.
type catalogueInput struct {
	Type     string `json:"type"`
	Required bool   `json:"required"`
}

// catalogueModule is one module's contract, as the policies read it.
type catalogueModule struct {
	Stack   string                    `json:"stack"`
	Name    string                    `json:"name"`
	Inputs  map[string]catalogueInput `json:"inputs"`
	Outputs map[string]string         `json:"outputs"`
	Reads   []string                  `json:"reads"`
	// VersionVar is the input that carries the module's version, when it
	// has one: rules read the name here (data.fluxtf.api.version_var),
	// never as a literal, so that renaming it in the catalogue is a data
	// change (TestRulesReadCatalogueVars).
	VersionVar string `json:"versionVar,omitempty"`
}

// catalogueStack is what the policies read of a stack itself: its policy
// families (the defaults of its objects without the fluxtf.io/policies
// annotation) and the prefix of its GitRepository names.
type catalogueStack struct {
	Policies     []templates.PolicyFamily `json:"policies"`
	SourcePrefix string                   `json:"sourcePrefix"`
}

// ModulePathKey is how the policies key a module by its path in the
// source: without a leading "./" and trailing "/".
func ModulePathKey(p string) string {
	return strings.TrimSuffix(strings.TrimPrefix(p, "./"), "/")
}

// catalogueComponent is a versioned component as the version rules read
// it: its version variable and its compatibility rows.
type catalogueComponent struct {
	Var  string         `json:"var"`
	Rows []catalogueRow `json:"rows,omitempty"`
}

// catalogueRow is one compatibility row of a component.
type catalogueRow struct {
	Line   string `json:"line"`
	From   string `json:"from"`
	Patch  int    `json:"patch"`
	Min    int    `json:"min"`
	Max    int    `json:"max"`
	Source string `json:"source"`
}

// CatalogueRego renders the Rego copies of every stack in set, keyed by
// their path in Embedded (CatalogueFile, CatalogueVersionsFile):
//
//   - package fluxtf.catalogue: modules, keyed by module path, with the
//     stack, the module name, the inputs (type, required), the outputs
//     (name -> type), the reads (the base outputs it reads) and the version
//     variable; and stacks, keyed by stack name, with the policy families
//     and the source prefix;
//   - package fluxtf.lib: catalogue_versions, stack -> component -> its
//     version variable and compatibility rows.
//
// The catalogues stay the one source; these are their copies for the
// policies (and for conftest, which reads only Rego).
func CatalogueRego(set *templates.Set) (map[string][]byte, error) {
	modules := map[string]catalogueModule{}
	stacks := map[string]catalogueStack{}
	versions := map[string]map[string]catalogueComponent{}
	for _, name := range set.StackNames() {
		st, err := set.Stack(name)
		if err != nil {
			return nil, err
		}
		compat, err := set.Compatibility(st)
		if err != nil {
			return nil, err
		}
		stacks[st.Name] = catalogueStack{Policies: st.Families(), SourcePrefix: st.SourcePrefix}
		for _, m := range append([]*templates.Module{&st.Base}, componentPtrs(st)...) {
			cm := catalogueModule{Stack: st.Name, Name: m.Name, Inputs: map[string]catalogueInput{}, Outputs: map[string]string{}, Reads: append([]string{}, m.Reads...), VersionVar: m.VersionVar}
			for _, in := range st.Contract(m) {
				cm.Inputs[in.Name] = catalogueInput{Type: in.Type, Required: in.Required}
			}
			for _, o := range m.Outputs {
				cm.Outputs[o.Name] = o.Type
			}
			key := ModulePathKey(m.Path)
			if other, dup := modules[key]; dup {
				return nil, fmt.Errorf("stack %s module %s and stack %s module %s share the path %s", st.Name, m.Name, other.Stack, other.Name, m.Path)
			}
			modules[key] = cm
		}
		vs := map[string]catalogueComponent{}
		for _, m := range st.Components {
			if m.VersionVar == "" {
				continue
			}
			c := catalogueComponent{Var: m.VersionVar}
			for _, l := range compat[m.Name] {
				c.Rows = append(c.Rows, catalogueRow{
					Line: fmt.Sprintf("%d.%d", l.Major, l.Minor), From: fmt.Sprintf("%d.%d.%d", l.Major, l.Minor, l.Patch),
					Patch: l.Patch, Min: l.MinK8s, Max: l.MaxK8s, Source: l.Source,
				})
			}
			vs[m.Name] = c
		}
		versions[st.Name] = vs
	}
	contracts, err := regoData("fluxtf.catalogue",
		regoValue{name: "modules", value: modules, doc: "" +
			"# modules: the module contracts of the stack catalogues, keyed by module\n" +
			"# path (no leading \"./\"): stack, module name, inputs (type, required; a\n" +
			"# read output arrives as a string), outputs (name -> type), the base outputs\n" +
			"# it reads through varsFrom and the input carrying its version\n" +
			"# (versionVar). Read by module-contract and, through\n" +
			"# data.fluxtf.api.version_var, the version rules.\n"},
		regoValue{name: "stacks", value: stacks, doc: "" +
			"# stacks: each stack's policy families (the defaults of its objects\n" +
			"# without the fluxtf.io/policies annotation: lib.families) and source\n" +
			"# prefix.\n"})
	if err != nil {
		return nil, err
	}
	compatibility, err := regoData("fluxtf.lib",
		regoValue{name: "catalogue_versions", value: versions, doc: "" +
			"# catalogue_versions: stack -> component -> {\"var\": its version variable,\n" +
			"# \"rows\": [{\"line\": MAJOR.MINOR, \"from\": first version, \"patch\", \"min\",\n" +
			"# \"max\": Kubernetes minors, \"source\": URL of the published matrix}]}.\n" +
			"# Read by component-compatibility and the release facts (lib.component_version).\n"})
	if err != nil {
		return nil, err
	}
	return map[string][]byte{CatalogueFile: contracts, CatalogueVersionsFile: compatibility}, nil
}

// regoValue is one generated data rule: its doc comment, name and value.
type regoValue struct {
	doc, name string
	value     any
}

// regoData writes a generated Rego file of package pkg: the header, then
// each value as `name := <indented JSON>` under its doc comment.
func regoData(pkg string, values ...regoValue) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(catalogueHeader)
	fmt.Fprintf(&b, "package %s\n", pkg)
	for _, v := range values {
		data, err := json.MarshalIndent(v.value, "", "\t")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.name, err)
		}
		fmt.Fprintf(&b, "\n%s%s := %s\n", v.doc, v.name, data)
	}
	return b.Bytes(), nil
}

func componentPtrs(st *templates.Stack) []*templates.Module {
	out := make([]*templates.Module, len(st.Components))
	for i := range st.Components {
		out[i] = &st.Components[i]
	}
	return out
}

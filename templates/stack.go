package templates

import (
	"fmt"
	"iter"
	"sort"
	"strings"

	"github.com/digx/fluxtf/internal/yamlx"
)

// Stack is a module stack catalogue: the git-hosted Terraform modules an
// environment deploys. Adding a module is a data change here.
type Stack struct {
	// APIVersion must be fluxtf/v1alpha1.
	APIVersion string `json:"apiVersion"`
	// Kind must be Stack.
	Kind string `json:"kind"`
	// Name of the stack, as environments name it in `stack:`.
	Name string `json:"name"`
	// Description says what the stack deploys.
	Description string `json:"description"`
	// SourcePrefix starts the name of the stack's GitRepository objects.
	SourcePrefix string `json:"sourcePrefix"`
	// SparseCheckout lists the repository folders Flux checks out for the
	// stack (GitRepository spec.sparseCheckout); empty checks out everything.
	SparseCheckout []string `json:"sparseCheckout,omitempty"`
	// SourceURL is the git repository of the stack's modules, the default
	// of an environment's source.url.
	SourceURL string `json:"sourceURL,omitempty"`
	// Targets are the kinds of target the stack deploys to: aws (account
	// and region), azure (subscription, location and resource group) or
	// both (default: aws).
	Targets []TargetKind `json:"targets,omitempty"`
	// Spec names the stack-specific spec fields the stack takes and
	// requires (see SpecFields); a catalogue without it takes the EKS
	// cluster's (LegacySpec), as every catalogue did before the stack model.
	Spec *SpecFields `json:"spec,omitempty"`
	// Policies are the policy families whose rules check the stack's
	// objects, such as [common, eks] (default: [common]).
	Policies []PolicyFamily `json:"policies,omitempty"`
	// Inputs are the variables every module of the stack takes (fluxtf
	// sets them on every Terraform: account, region, environment, role).
	Inputs []Input `json:"inputs,omitempty"`
	// Base is the module every component depends on; a stack without one
	// leaves it out.
	Base Module `json:"base"`
	// Components are the optional modules, enabled per environment.
	Components []Module `json:"components"`
}

// Module is one Terraform module of a stack.
type Module struct {
	// Name is the component key environments use, a DNS-1123 label.
	Name string `json:"name"`
	// Description says what the module deploys.
	Description string `json:"description"`
	// Path of the module in the source repository.
	Path string `json:"path"`
	// Vars are default Terraform variables; an environment may override them.
	Vars map[string]any `json:"vars,omitempty"`
	// VersionVar is the variable that receives the component's version.
	VersionVar string `json:"versionVar,omitempty"`
	// DefaultVersion is used when the environment names no version.
	DefaultVersion string `json:"defaultVersion,omitempty"`
	// DependsOn lists components that must be enabled and applied first.
	DependsOn []string `json:"dependsOn,omitempty"`
	// Conflicts lists components that must not be enabled alongside.
	Conflicts []string `json:"conflicts,omitempty"`
	// Inputs are the module's own variables, beside the stack's Inputs,
	// its VersionVar and its Reads (see Stack.Contract).
	Inputs []Input `json:"inputs,omitempty"`
	// Reads lists the base outputs the module takes as variables, through
	// varsFrom of the base's outputs Secret.
	Reads []string `json:"reads,omitempty"`
	// Outputs lists what the module writes to its outputs Secret, typed.
	Outputs []Output `json:"outputs,omitempty"`
}

// Input is one variable of a module's contract.
type Input struct {
	// Name of the Terraform variable.
	Name string `json:"name"`
	// Type is its Terraform type constraint, such as list(string).
	Type string `json:"type"`
	// Required inputs must be set on every Terraform of the module.
	Required bool `json:"required,omitempty"`
	// Decode is set (by Contract, never in the catalogue) on an input fed
	// by varsFrom from an output that is not a string: tf-controller hands
	// it over as a string holding the output's JSON, so the input's Type is
	// string and the module jsondecodes it to Decode, the output's type.
	Decode string `json:"decode,omitempty"`
}

// Output is one output a module writes to its outputs Secret.
type Output struct {
	// Name of the Terraform output.
	Name string `json:"name"`
	// Type is its Terraform type, such as string or list(string).
	Type string `json:"type"`
}

// OutputNames lists the module's outputs in catalogue order.
func (m *Module) OutputNames() []string {
	names := make([]string, len(m.Outputs))
	for i, o := range m.Outputs {
		names[i] = o.Name
	}
	return names
}

// Output returns the named output, or nil.
func (m *Module) Output(name string) *Output {
	for i := range m.Outputs {
		if m.Outputs[i].Name == name {
			return &m.Outputs[i]
		}
	}
	return nil
}

// Module returns the base module or a component by name, or nil.
func (s *Stack) Module(name string) *Module {
	if name == s.Base.Name {
		return &s.Base
	}
	return s.Component(name)
}

// Contract is the whole input contract of a module of the stack, sorted
// by name: the stack's Inputs, the module's own, its VersionVar (a
// required string) and one required input per base output it Reads. A
// read output that is a string arrives as one; any other output arrives as
// a string holding its JSON (tf-controller's runner encodes every varsFrom
// value as a string: runner/server_generate_tf_vars.go), so that input is
// a string with Decode set to the output's type.
func (s *Stack) Contract(m *Module) []Input {
	in := make([]Input, 0, len(s.Inputs)+len(m.Inputs)+1+len(m.Reads))
	for i := range s.contract(m) {
		in = append(in, i)
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].Name < in[j].Name })
	return in
}

// ContractInputs yields the inputs of Contract in catalogue order,
// unsorted, without building the list: Contract is their stable sort by
// name, so that a subset of them sorted stably by name is in Contract's
// order.
func (s *Stack) ContractInputs(m *Module) iter.Seq[Input] { return s.contract(m) }

// contract yields a module's inputs (Contract) in catalogue order,
// unsorted.
func (s *Stack) contract(m *Module) iter.Seq[Input] {
	return func(yield func(Input) bool) {
		for _, list := range [][]Input{s.Inputs, m.Inputs} {
			for _, i := range list {
				if !yield(i) {
					return
				}
			}
		}
		if m.VersionVar != "" && !yield(Input{Name: m.VersionVar, Type: "string", Required: true}) {
			return
		}
		for _, r := range m.Reads {
			i := Input{Name: r, Type: "string", Required: true}
			if o := s.Base.Output(r); o != nil && o.Type != "string" {
				i.Decode = o.Type
			}
			if !yield(i) {
				return
			}
		}
	}
}

// Input returns the named input of a module's contract, or nil: the first
// of that name in catalogue order, as in Contract's stable sort. It looks
// the name up without building the contract (the generator asks once per
// variable of every Terraform it renders). An input the catalogue
// declares is returned as the catalogue holds it, not a copy: not to be
// modified.
func (s *Stack) Input(m *Module, name string) *Input {
	for i := range s.Inputs {
		if s.Inputs[i].Name == name {
			return &s.Inputs[i]
		}
	}
	for i := range m.Inputs {
		if m.Inputs[i].Name == name {
			return &m.Inputs[i]
		}
	}
	for i := range s.contract(m) {
		if i.Name == name {
			found := i
			return &found
		}
	}
	return nil
}

// Component returns the named component, or nil.
func (s *Stack) Component(name string) *Module {
	for i := range s.Components {
		if s.Components[i].Name == name {
			return &s.Components[i]
		}
	}
	return nil
}

// ComponentNames lists the catalogue's components, sorted.
func (s *Stack) ComponentNames() []string {
	names := make([]string, len(s.Components))
	for i, c := range s.Components {
		names[i] = c.Name
	}
	sort.Strings(names)
	return names
}

// check verifies the catalogue is self-consistent.
func (s *Stack) check(root *yamlx.Node) error {
	probs := newProblems(root)
	at := probs.at
	probs.header(s.APIVersion, s.Kind, "Stack")
	if !nameRE.MatchString(s.SourcePrefix) {
		at("sourcePrefix", "must be a DNS-1123 label")
	}
	s.checkModel(at)
	if s.HasBase() {
		if s.Base.Path == "" {
			at("base.path", "is required")
		}
		if !nameRE.MatchString(s.Base.Name) {
			at("base.name", "must be a DNS-1123 label")
		}
	}
	outputs := map[string]bool{}
	for _, o := range s.Base.Outputs {
		outputs[o.Name] = true
	}
	s.checkInputs(at)
	seen := map[string]bool{}
	if s.HasBase() {
		s.checkContract(at, "base", &s.Base)
		seen[s.Base.Name] = true
	}
	for i, c := range s.Components {
		p := fmt.Sprintf("components[%d]", i)
		if !nameRE.MatchString(c.Name) {
			at(p+".name", "must be a DNS-1123 label")
		}
		if seen[c.Name] {
			at(p+".name", "%q is listed twice (or clashes with the base name)", c.Name)
		}
		seen[c.Name] = true
		if c.Path == "" {
			at(p+".path", "is required")
		}
		for j, r := range c.Reads {
			if !s.HasBase() {
				at(fmt.Sprintf("%s.reads[%d]", p, j), "the stack has no base module whose outputs %q could be", r)
			} else if !outputs[r] {
				at(fmt.Sprintf("%s.reads[%d]", p, j), "%q is not one of the base outputs (%s)", r, strings.Join(s.Base.OutputNames(), ", "))
			}
		}
		s.checkContract(at, p, &s.Components[i])
		if (c.VersionVar == "") != (c.DefaultVersion == "") {
			at(p, "versionVar and defaultVersion go together")
		}
	}
	for i, c := range s.Components {
		p := fmt.Sprintf("components[%d]", i)
		for j, d := range c.DependsOn {
			if s.Component(d) == nil {
				at(fmt.Sprintf("%s.dependsOn[%d]", p, j), "unknown component %q", d)
			}
		}
		for j, d := range c.Conflicts {
			if s.Component(d) == nil {
				at(fmt.Sprintf("%s.conflicts[%d]", p, j), "unknown component %q", d)
			}
		}
	}
	if cyc := s.dependencyCycle(); cyc != "" {
		at("components", "dependency cycle: %s", cyc)
	}
	return probs.err()
}

// dependencyCycle returns a cycle among component dependencies, or "".
func (s *Stack) dependencyCycle() string {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(string) string
	visit = func(n string) string {
		color[n] = grey
		stack = append(stack, n)
		if c := s.Component(n); c != nil {
			for _, d := range c.DependsOn {
				switch color[d] {
				case grey:
					return strings.Join(append(stack, d), " -> ")
				case white:
					if cyc := visit(d); cyc != "" {
						return cyc
					}
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
		return ""
	}
	for _, n := range s.ComponentNames() {
		if color[n] == white {
			if cyc := visit(n); cyc != "" {
				return cyc
			}
		}
	}
	return ""
}

package templates

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	"github.com/digx/fluxtf/internal/tftype"
)

// varNameRE matches a Terraform variable or output name.
var varNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// checkInputs checks the stack's own inputs (taken by every module).
func (s *Stack) checkInputs(at func(path, format string, args ...any)) {
	seen := map[string]bool{}
	for i, in := range s.Inputs {
		checkInput(at, fmt.Sprintf("inputs[%d]", i), in, seen)
	}
}

func checkInput(at func(path, format string, args ...any), p string, in Input, seen map[string]bool) {
	if !varNameRE.MatchString(in.Name) {
		at(p+".name", "%q is not a Terraform variable name", in.Name)
	}
	if seen[in.Name] {
		at(p+".name", "input %q is declared twice (the stack's inputs, the module's inputs, its versionVar and its reads are one contract)", in.Name)
	}
	seen[in.Name] = true
	if _, err := tftype.Parse(in.Type); err != nil {
		at(p+".type", "%v", err)
	}
	if in.Decode != "" {
		at(p+".decode", "is derived from the read output's type; remove it")
	}
}

// checkContract checks one module's contract: its inputs, that its
// default vars are declared inputs of the right type, and its outputs.
func (s *Stack) checkContract(at func(path, format string, args ...any), p string, m *Module) {
	seen := map[string]bool{}
	for _, in := range s.Inputs {
		seen[in.Name] = true
	}
	for i, in := range m.Inputs {
		checkInput(at, fmt.Sprintf("%s.inputs[%d]", p, i), in, seen)
	}
	if m.VersionVar != "" && seen[m.VersionVar] {
		at(p+".versionVar", "%q is also declared as an input; the versionVar is an input of its own (a required string)", m.VersionVar)
	}
	seen[m.VersionVar] = true
	for j, r := range m.Reads {
		if seen[r] {
			at(fmt.Sprintf("%s.reads[%d]", p, j), "%q is also declared as an input; a read output is an input of its own (a required string)", r)
		}
		seen[r] = true
	}
	for _, k := range sortedKeys(m.Vars) {
		in := s.Input(m, k)
		if in == nil {
			at(p+".vars."+k, "%q is not an input of module %s; declare it under inputs (name, type, required)", k, m.Name)
			continue
		}
		t, err := tftype.Parse(in.Type)
		if err != nil {
			continue // reported above
		}
		if err := t.Check(jsonValue(m.Vars[k])); err != nil {
			at(p+".vars."+k, "default of input %s: %v", k, err)
		}
	}
	outs := map[string]bool{}
	for i, o := range m.Outputs {
		op := fmt.Sprintf("%s.outputs[%d]", p, i)
		if !varNameRE.MatchString(o.Name) {
			at(op+".name", "%q is not a Terraform output name", o.Name)
		}
		if outs[o.Name] {
			at(op+".name", "output %q is listed twice", o.Name)
		}
		outs[o.Name] = true
		if _, err := tftype.Parse(o.Type); err != nil {
			at(op+".type", "%v", err)
		}
	}
}

// jsonValue turns a decoded YAML value into what encoding/json decodes the
// same value to (numbers become float64), the form tftype checks; the
// generator marshals variables to JSON in the same way.
func jsonValue(v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(raw, &out) != nil {
		return v
	}
	return out
}

// CheckValue checks a value against a module input's declared type, as
// Terraform will convert it; nil when the input has no valid type.
func CheckValue(in *Input, v any) error {
	t, err := tftype.Parse(in.Type)
	if err != nil {
		return nil
	}
	return t.Check(jsonValue(v))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

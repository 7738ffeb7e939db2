package generator

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/templates"
)

// contract checks the variables fluxtf would pass to every module against
// the module's contract in the stack catalogue: each one a declared input
// of a fitting type, every required input set (or read through varsFrom).
// Problems are reported at the spec field the variable comes from; one
// that fluxtf sets itself on a module that does not declare it is a fault
// of the catalogue, reported at the spec field that asks for it.
func (c *checker) contract(e *Environment, st *templates.Stack) {
	seen := map[string]bool{}
	add := func(path, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if !seen[path+msg] {
			seen[path+msg] = true
			c.add(path, "%s", msg)
		}
	}
	for _, t := range e.Targets {
		common := commonVars(e, t)
		if st.HasBase() {
			at := "cluster"
			if !st.TakesField("cluster") {
				at = "functionApp"
			}
			c.moduleVars(add, st, &st.Base, baseVars(e, st, t, common), at, e.Cluster.Vars, baseVarFrom)
		}
		for _, name := range sortedKeys(e.Components) {
			comp := e.Components[name]
			m := st.Component(name)
			if m == nil || !comp.On() {
				continue
			}
			fixed := func(k string) string {
				if k == m.VersionVar && k != "" {
					return "components[" + name + "].version"
				}
				return commonVarNames[k]
			}
			c.moduleVars(add, st, m, componentVars(m, comp, common), "components["+name+"]", comp.Vars, fixed)
		}
	}
}

// baseVarFrom is the spec field a variable of a base Terraform that
// fluxtf sets comes from, or "".
func baseVarFrom(k string) string { return baseVarNames[k] }

// moduleVars checks the variables v of one Terraform of module m. at is
// the spec path of the module's settings (cluster, components[x]), own the
// variables the spec sets there, fixed the spec field each variable that
// fluxtf sets comes from ("" for the others).
func (c *checker) moduleVars(add func(path, format string, args ...any), st *templates.Stack, m *templates.Module, v map[string]any, at string, own map[string]any, fixed func(string) string) {
	declared := func() string { // the optional inputs a spec may set
		in := st.Contract(m)
		names := make([]string, 0, len(in))
		for _, i := range in {
			if !i.Required && fixed(i.Name) == "" {
				names = append(names, i.Name)
			}
		}
		sort.Strings(names)
		return strings.Join(names, ", ")
	}
	for _, k := range sortedKeys(v) {
		_, fromSpec := own[k]
		from := fixed(k)
		if !fromSpec && from == "" {
			continue // (a variable of the catalogue's own: nothing to check)
		}
		in := st.Input(m, k)
		switch {
		case in == nil && fromSpec && contract.SecretName(k):
			// refused as an inline secret already (c.secrets): one error
			// per cause, and the fix there names the secrets field
		case in == nil && fromSpec:
			add(at+".vars["+k+"]", "%s is not an input of module %s in stack %s; remove it (its optional inputs: %s)", k, m.Name, st.Name, declared())
		case in == nil && from != "":
			add(from, "fluxtf sets variable %s from %s, but module %s of stack %s does not declare that input; declare it in the stack catalogue's inputs", k, from, m.Name, st.Name)
		case in != nil && fromSpec:
			if err := templates.CheckValue(in, v[k]); err != nil {
				add(at+".vars["+k+"]", "input %s of module %s: %v", k, m.Name, err)
			}
		}
	}
	// the required inputs not set, in Contract's order (its stable sort by
	// name of the catalogue's order) without building Contract
	var missing []templates.Input
	for in := range st.ContractInputs(m) {
		if _, set := v[in.Name]; in.Required && !set && !slices.Contains(m.Reads, in.Name) {
			missing = append(missing, in)
		}
	}
	sort.SliceStable(missing, func(i, j int) bool { return missing[i].Name < missing[j].Name })
	for _, in := range missing {
		add(at+".vars", "module %s requires input %s (%s); set it under %s.vars", m.Name, in.Name, in.Type, at)
	}
}

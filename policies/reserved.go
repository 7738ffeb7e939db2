package policies

import (
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/finding"
)

// A user policy reports its findings under its package's name, or under
// the id a result names ({"msg": ..., "rule": "<id>"}). Neither may be
// the id of one of fluxtf's own rules (schema, waiver-*, render-drift, the
// embedded rules): a user finding would pass for a built-in one, and its waivers
// would silence both. Refused at compile time where the id is written
// in the policy (reservedIDErrors), and when a result names one.

// reservedIDs are the ids of fluxtf's own rules: those in rules, or with
// noBuiltin (rules then holds none) those of the embedded set.
func reservedIDs(rules []finding.Rule, noBuiltin bool) (map[string]bool, error) {
	if noBuiltin {
		var err error
		if rules, err = BuiltinRules(); err != nil {
			return nil, err
		}
	}
	// render-drift is check's, outside the engine
	ids := map[string]bool{finding.RenderDrift: true}
	for _, r := range rules {
		ids[r.ID] = true
	}
	return ids, nil
}

// checkReservedIDs refuses a user package whose findings would carry a
// reserved id, and a result object that names one in a literal "rule".
func checkReservedIDs(modules map[string]*ast.Module, reserved map[string]bool) error {
	var msgs []string
	for _, name := range sortedModuleNames(modules) {
		m := modules[name]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		if reserved[pkg] && reportsFindings(m) {
			msgs = append(msgs, reservedIDError(locate(name, m.Package.Location), pkg, pkg).Error())
		}
		ast.WalkTerms(m, func(t *ast.Term) bool {
			obj, ok := t.Value.(ast.Object)
			if !ok {
				return false
			}
			if v := obj.Get(ast.StringTerm("rule")); v != nil {
				if s, ok := v.Value.(ast.String); ok && reserved[string(s)] {
					msgs = append(msgs, reservedIDError(locate(name, v.Location), pkg, string(s)).Error())
				}
			}
			return false
		})
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%s", strings.Join(msgs, "\n"))
	}
	return nil
}

// reportsFindings says whether a module has deny, warn or violation rules.
func reportsFindings(m *ast.Module) bool {
	for _, r := range m.Rules {
		rn := r.Head.Name.String()
		if rn == "" && len(r.Head.Reference) > 0 {
			rn = r.Head.Reference[0].String()
		}
		if _, ok := userSeverity(rn); ok {
			return true
		}
	}
	return false
}

func locate(file string, loc *ast.Location) string {
	if loc == nil || loc.File == "" {
		return file
	}
	return fmt.Sprintf("%s:%d", loc.File, loc.Row)
}

func reservedIDError(where, pkg, id string) error {
	return fmt.Errorf("%s: user policy package %s reports rule %q, an id of fluxtf's own rules (fluxtf explain lists them); a user policy cannot stand in for one: use another id", where, pkg, id)
}

// policyFiles lists the user policy files, and the first file of each
// package.
func policyFiles(modules map[string]*ast.Module) (files []string, byPkg map[string]string) {
	byPkg = map[string]string{}
	for _, name := range sortedModuleNames(modules) {
		files = append(files, name)
		pkg := strings.TrimPrefix(modules[name].Package.Path.String(), "data.")
		if _, ok := byPkg[pkg]; !ok {
			byPkg[pkg] = name
		}
	}
	return files, byPkg
}

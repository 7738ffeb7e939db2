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
// in the policy (checkReservedIDs), and when a result names one
// (userIDError). The comparison ignores case, and a user id is printable
// ASCII without spaces, so that no spelling passes for one of fluxtf's
// ids on a screen: not Schema, not "schema " and not schemа with a
// Cyrillic а.

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
		if reportsFindings(m) {
			if err := userIDError(locate(name, m.Package.Location), pkg, pkg, reserved); err != nil {
				msgs = append(msgs, err.Error())
			}
		}
		ast.WalkTerms(m, func(t *ast.Term) bool {
			obj, ok := t.Value.(ast.Object)
			if !ok {
				return false
			}
			if v := obj.Get(ast.StringTerm("rule")); v != nil {
				if s, ok := v.Value.(ast.String); ok {
					if err := userIDError(locate(name, v.Location), pkg, string(s), reserved); err != nil {
						msgs = append(msgs, err.Error())
					}
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

// userIDError says why a user policy package pkg (its first file where)
// cannot report rule id, or nil: the id is one of reserved, ignoring case,
// or has a character other than printable ASCII (a space, a control
// character, a letter of another script that looks like a Latin one).
func userIDError(where, pkg, id string, reserved map[string]bool) error {
	for _, r := range id {
		if r <= ' ' || r > '~' {
			return fmt.Errorf("%s: user policy package %s reports rule %q, which has %q: a rule id is printable ASCII without spaces (such as letters, digits, - _ . /), so that it cannot pass for one of fluxtf's own; use another id", where, pkg, id, r)
		}
	}
	if reserved[strings.ToLower(id)] {
		return fmt.Errorf("%s: user policy package %s reports rule %q, an id of fluxtf's own rules (fluxtf explain lists them); a user policy cannot stand in for one: use another id", where, pkg, id)
	}
	return nil
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

package policies

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/templates"
)

// pythonRuntimesTerm is context.pythonRuntimes, the Azure Functions
// Python table (templates/functions-python.yaml) as the rules read it:
// {"warnDays": n, "versions": {"3.12": "2028-10-31", ...}}.
func pythonRuntimesTerm(set *templates.Set) (*ast.Term, error) {
	p, err := set.FunctionsPython()
	if err != nil {
		return nil, fmt.Errorf("python runtimes: %w", err)
	}
	versions := ast.NewObject()
	for _, r := range p.Versions {
		versions.Insert(ast.StringTerm(r.Version), ast.StringTerm(r.EndOfSupport))
	}
	return ast.ObjectTerm(
		ast.Item(ast.StringTerm("warnDays"), ast.IntNumberTerm(p.WarnDays)),
		ast.Item(ast.StringTerm("versions"), ast.NewTerm(versions)),
	), nil
}

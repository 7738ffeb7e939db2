package policies

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// deniedBuiltin reports whether a built-in may reach the network, the
// environment or files, or writes output, and so is refused in policies.
func deniedBuiltin(name string) bool {
	switch {
	case name == "http.send",
		strings.HasPrefix(name, "net."),
		name == "opa.runtime",
		name == "trace",
		name == "print",
		name == "internal.print":
		return true
	}
	return false
}

// sandboxCapabilities is this OPA's capabilities minus the denied
// built-ins, so that a policy calling one fails to compile.
func sandboxCapabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0:0]
	for _, b := range caps.Builtins {
		if !deniedBuiltin(b.Name) {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	return caps
}

// checkSandbox reports every call of a denied built-in in the modules, with
// its location, before OPA's compiler would report it as undefined.
func checkSandbox(modules map[string]*ast.Module) error {
	var msgs []string
	report := func(name string, op ast.Ref, loc *ast.Location) {
		if !deniedBuiltin(op.String()) {
			return
		}
		where := name
		if loc != nil {
			where = fmt.Sprintf("%s:%d", loc.File, loc.Row)
		}
		msgs = append(msgs, fmt.Sprintf("%s: %s is not allowed in fluxtf policies: they run without network, environment or file access; compute the value from the input instead", where, op))
	}
	for _, name := range sortedModuleNames(modules) {
		m := modules[name]
		// statements that are calls: http.send(req, resp)
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if e.IsCall() {
				report(name, e.Operator(), e.Location)
			}
			return false
		})
		// calls nested in terms: r := http.send(req)
		ast.WalkTerms(m, func(t *ast.Term) bool {
			if call, ok := t.Value.(ast.Call); ok && len(call) > 0 {
				if ref, ok := call[0].Value.(ast.Ref); ok {
					report(name, ref, t.Location)
				}
			}
			return false
		})
	}
	if len(msgs) > 0 {
		sort.Strings(msgs)
		msgs = slices.Compact(msgs)
		return fmt.Errorf("%s", strings.Join(msgs, "\n"))
	}
	return nil
}

func sortedModuleNames(modules map[string]*ast.Module) []string {
	names := make([]string, 0, len(modules))
	for n := range modules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

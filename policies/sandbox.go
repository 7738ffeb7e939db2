package policies

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The sandbox: a policy sees its input and nothing else, and the same
// input always gives the same findings. A built-in is refused when OPA
// marks it nondeterministic (ast.Builtin.Nondeterministic, the single
// source for every built-in that reads the clock, randomness, the network,
// files or the environment: http.send, net.lookup_ip_addr, opa.runtime,
// time.now_ns, rand.intn, uuid.rfc4122, io.jwt.decode_verify,
// io.jwt.encode_sign*, and json.verify_schema/json.match_schema, which
// resolve a schema's $ref to file:// and http:// URLs), or when it is one
// of extraRefused. Every other built-in is allowed; the full list, refused
// and allowed, is pinned by TestSandboxBuiltinList, so that an OPA upgrade
// adding one is reviewed. The time built-ins' zone "Local" is the
// process's: the fluxtf command sets it to UTC (TestPolicyClockIsNotTheMachines);
// a program that embeds the package and evaluates user policies should do
// the same.

// extraRefused are the built-ins refused although OPA does not mark them
// nondeterministic, with the reason.
var extraRefused = map[string]string{
	"print":              "writes to the console",
	"internal.print":     "writes to the console",
	"trace":              "writes to the console",
	"internal.test_case": "is OPA's test runner's own",
	"crypto.x509.parse_and_verify_certificates":              "checks the certificates against the current time",
	"crypto.x509.parse_and_verify_certificates_with_options": "checks the certificates against the current time",
}

// refusedReasons say why some nondeterministic built-ins are refused more
// precisely than the general reason.
var refusedReasons = map[string]string{
	"http.send":              "reaches the network",
	"net.lookup_ip_addr":     "reaches the network",
	"opa.runtime":            "reads the environment",
	"json.verify_schema":     "loads a schema's $ref from files and URLs",
	"json.match_schema":      "loads a schema's $ref from files and URLs",
	"time.now_ns":            "reads the clock",
	"rand.intn":              "is random",
	"uuid.rfc4122":           "is random",
	"io.jwt.decode_verify":   "checks the token against the current time",
	"io.jwt.encode_sign":     "is random (a new signature each time)",
	"io.jwt.encode_sign_raw": "is random (a new signature each time)",
}

// refusal says why a built-in is refused in policies, or "" when it is
// allowed.
func refusal(b *ast.Builtin) string {
	if r, ok := extraRefused[b.Name]; ok {
		return r
	}
	if !b.Nondeterministic {
		return ""
	}
	if r, ok := refusedReasons[b.Name]; ok {
		return r
	}
	return "is nondeterministic (clock, randomness, network, files or environment)"
}

// refusedBuiltin is refusal by name; "" for a name that is no built-in.
func refusedBuiltin(name string) string {
	if b, ok := ast.BuiltinMap[name]; ok {
		return refusal(b)
	}
	return ""
}

// printBuiltins are the built-ins --trace allows in the user's policies:
// their output goes to stderr, never into the findings.
var printBuiltins = []string{"print", "internal.print"}

// sandboxCapabilities is this OPA's capabilities minus the refused
// built-ins, so that a policy calling one fails to compile; with allow,
// those built-ins are kept.
func sandboxCapabilities(allow ...string) *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0:0]
	for _, b := range caps.Builtins {
		if refusal(b) == "" || slices.Contains(allow, b.Name) {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	return caps
}

// checkSandbox reports every call of a refused built-in in the modules,
// with its location, before OPA's compiler would report it as undefined.
// Calls of the built-ins in allow are not reported.
func checkSandbox(modules map[string]*ast.Module, allow ...string) error {
	type call struct {
		file string
		row  int
		msg  string
	}
	var calls []call
	report := func(name string, op ast.Ref, loc *ast.Location) {
		why := refusedBuiltin(op.String())
		if why == "" || slices.Contains(allow, op.String()) {
			return
		}
		c := call{file: name, msg: fmt.Sprintf("%s is not allowed in fluxtf policies: it %s, and policies see only their input so that the same input gives the same findings; compute the value from the input instead", op, why)}
		if slices.Contains(printBuiltins, op.String()) {
			c.msg = fmt.Sprintf("%s is allowed only with --trace, which prints its output on stderr to debug a policy", op)
		}
		if loc != nil {
			c.file, c.row = loc.File, loc.Row
		}
		calls = append(calls, c)
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
	if len(calls) == 0 {
		return nil
	}
	sort.Slice(calls, func(i, j int) bool {
		a, b := calls[i], calls[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.row != b.row {
			return a.row < b.row
		}
		return a.msg < b.msg
	})
	msgs := make([]string, len(calls))
	for i, c := range calls {
		msgs[i] = c.file + ": " + c.msg
		if c.row > 0 {
			msgs[i] = fmt.Sprintf("%s:%d: %s", c.file, c.row, c.msg)
		}
	}
	return fmt.Errorf("%s", strings.Join(slices.Compact(msgs), "\n"))
}

func sortedModuleNames(modules map[string]*ast.Module) []string {
	names := make([]string, 0, len(modules))
	for n := range modules {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

package policies

import (
	"context"
	"fmt"
	"io"
	"maps"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/digx/fluxtf/internal/safetext"
)

// TestOptions select the policy tests to run.
type TestOptions struct {
	// Dirs are the user's policy folders; their _test.rego files run too.
	Dirs []string
	// NoBuiltin skips the embedded policies' tests.
	NoBuiltin bool
	// Verbose lists every test, not only failures.
	Verbose bool
	// Run filters tests by a regular expression on their names.
	Run string
}

// TestSummary counts policy test results.
type TestSummary struct {
	Passed, Failed, Errored, Skipped int
}

// OK reports whether every test passed.
func (s TestSummary) OK() bool { return s.Failed == 0 && s.Errored == 0 }

// testRunnerBuiltins are the built-ins OPA's test runner calls itself:
// it injects internal.test_case into a parametrized test (test_x[name]).
// A test calling one is still refused where it is written (checkSandbox).
var testRunnerBuiltins = []string{"internal.test_case"}

// RunTests runs the Rego unit tests (rules named test_*) of the embedded
// policies and of opts.Dirs, in the same sandbox the policies run in, and
// writes a line per failure (per test with Verbose) and a summary to w.
func RunTests(ctx context.Context, opts TestOptions, w io.Writer) (TestSummary, error) {
	var sum TestSummary
	modules := map[string]*ast.Module{}
	// the library (data.fluxtf.api) is always there: a user's policies
	// and tests import it; its tests and the rules only without NoBuiltin
	for _, root := range []string{"rules", "lib"} {
		if opts.NoBuiltin && root == "rules" {
			continue
		}
		pol, tests, err := loadModules(Embedded, []string{root}, true)
		if err != nil {
			return sum, err
		}
		for name, m := range pol {
			modules["policies/"+name] = m
		}
		if !opts.NoBuiltin {
			for name, m := range tests {
				modules["policies/"+name] = m
			}
		}
	}
	if len(opts.Dirs) > 0 {
		pol, tests, err := loadModules(nil, opts.Dirs, true)
		if err != nil {
			return sum, err
		}
		user := maps.Clone(pol)
		maps.Copy(user, tests)
		if err := checkSandbox(user); err != nil {
			return sum, err
		}
		maps.Copy(modules, user)
		if len(tests) == 0 {
			fmt.Fprintf(w, "note: no _test.rego files in the given folders\n")
		}
	}
	compiler := ast.NewCompiler().
		WithCapabilities(sandboxCapabilities(testRunnerBuiltins...)).
		WithEnablePrintStatements(false)
	store := inmem.New()
	txn, err := store.NewTransaction(ctx, storage.WriteParams)
	if err != nil {
		return sum, err
	}
	defer store.Abort(ctx, txn)
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(store).
		SetModules(modules).
		SetTimeout(10 * time.Second).
		Filter(opts.Run)
	ch, err := runner.RunTests(ctx, txn)
	if err != nil {
		return sum, compileError(err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].Package != results[j].Package {
			return results[i].Package < results[j].Package
		}
		return results[i].Name < results[j].Name
	})
	for _, r := range results {
		name := fmt.Sprintf("%s.%s", r.Package, r.Name)
		where := ""
		if r.Location != nil {
			where = fmt.Sprintf("%s:%d: ", r.Location.File, r.Location.Row)
		}
		switch {
		case r.Error != nil:
			sum.Errored++
			fmt.Fprintf(w, "%sERROR %s: %v\n", where, name, r.Error)
		case r.Skip:
			sum.Skipped++
			if opts.Verbose {
				fmt.Fprintf(w, "%sSKIP  %s\n", where, name)
			}
		case r.Fail:
			sum.Failed++
			fmt.Fprintf(w, "%sFAIL  %s\n", where, name)
			for _, c := range failedCases(r.SubResults, "") {
				fmt.Fprintf(w, "%s  FAIL  %s\n", where, safetext.Line(c))
			}
		default:
			sum.Passed++
			if opts.Verbose {
				fmt.Fprintf(w, "%sPASS  %s (%s)\n", where, name, r.Duration.Round(time.Microsecond))
			}
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed, %d errors, %d skipped\n", sum.Passed, sum.Failed, sum.Errored, sum.Skipped)
	return sum, nil
}

// failedCases names the failed cases of a parametrized test
// (test_x[name]), nested ones joined by "/", sorted.
func failedCases(subs tester.SubResultMap, prefix string) []string {
	var out []string
	for name, sr := range subs {
		if !sr.Fail {
			continue
		}
		if len(sr.SubResults) == 0 {
			out = append(out, prefix+name)
			continue
		}
		out = append(out, failedCases(sr.SubResults, prefix+name+"/")...)
	}
	sort.Strings(out)
	return out
}

package crdtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/cel-go/cel"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// GoValidator decodes a JSON document into the Go types under test and validates
// it. A non-nil decodeErr means the Go types themselves rejected the document.
type GoValidator func(doc []byte) (errs field.ErrorList, decodeErr error)

// ParityConfig configures RunConstraintParity.
type ParityConfig struct {
	// Builder builds the documents.
	Builder DocBuilder
	// Schema is the compiled JSON Schema of the same CRD version.
	Schema *jsonschema.Schema
	// Base is the starting document (apiVersion, kind, metadata.name).
	Base map[string]any
	// Constraints are the constraints to exercise.
	Constraints []Constraint
	// Validate is the Go side under test.
	Validate GoValidator
	// DecodeEnforced maps Constraint.String() of constraints that the Go types
	// enforce while decoding (so Validate never sees the violation) to the reason.
	// Every entry must be exercised, and only these may fail at decode.
	DecodeEnforced map[string]string
	// KnownGaps maps Constraint.String() of constraints whose violation the Go
	// side cannot see (a lossy Go type accepts and normalises the violating value)
	// to the reason. For these the test asserts that the gap still exists, so an
	// entry must be removed once Validate starts catching it.
	KnownGaps map[string]string
}

// RunConstraintParity checks, for each constraint, that the minimal valid document
// is accepted by both the JSON Schema and the Go validator, and that the document
// violating only that constraint is rejected by both, the Go validator reporting
// it at the constraint's field path (or, for a missing required property, at the
// object holding it).
func RunConstraintParity(t *testing.T, cfg ParityConfig) {
	t.Helper()
	var mu sync.Mutex
	usedDecode := map[string]bool{}
	t.Run("constraints", func(t *testing.T) {
		for _, c := range cfg.Constraints {
			t.Run(c.String(), func(t *testing.T) {
				t.Parallel()
				pc, err := cfg.Builder.BuildCase(cfg.Base, c)
				if err != nil {
					t.Fatalf("building documents: %v", err)
				}
				if err := ValidateJSON(cfg.Schema, pc.Valid); err != nil {
					t.Errorf("JSON Schema rejects the valid document %s: %v", pc.Valid, err)
				}
				if errs, decErr := cfg.Validate(pc.Valid); decErr != nil || len(errs) > 0 {
					t.Errorf("Go side rejects the valid document %s: decode=%v validate=%v", pc.Valid, decErr, errs)
				}
				if err := ValidateJSON(cfg.Schema, pc.Invalid); err == nil {
					t.Errorf("JSON Schema accepts the violating document %s", pc.Invalid)
				}
				errs, decErr := cfg.Validate(pc.Invalid)
				if reason, gap := cfg.KnownGaps[c.String()]; gap {
					if decErr != nil || reportsAt(errs, c, pc.ExpectedPaths) {
						t.Errorf("%q is listed as a known gap (%s) but the Go side rejects %s (decode=%v, validate=%v); remove it from the list",
							c.String(), reason, pc.Invalid, decErr, errs)
					}
					return
				}
				_, allowed := cfg.DecodeEnforced[c.String()]
				if decErr != nil {
					if !allowed {
						t.Errorf("violating document %s failed to decode (%v) and %q is not listed as decode-enforced", pc.Invalid, decErr, c.String())
					}
					mu.Lock()
					usedDecode[c.String()] = true
					mu.Unlock()
					return
				}
				if allowed {
					t.Errorf("%q is listed as decode-enforced but %s decoded; remove it from the list", c.String(), pc.Invalid)
				}
				if !reportsAt(errs, c, pc.ExpectedPaths) {
					t.Errorf("Validate did not reject %s at %v; got %v", pc.Invalid, pc.ExpectedPaths, errs)
				}
			})
		}
	})
	for k := range cfg.DecodeEnforced {
		if !usedDecode[k] {
			t.Errorf("decode-enforced entry %q was not exercised; remove it", k)
		}
	}
}

func reportsAt(errs field.ErrorList, c Constraint, expected []string) bool {
	own := PathString(c.Path)
	for _, e := range errs {
		for _, p := range expected {
			if e.Field == p {
				return true
			}
		}
		if strings.HasPrefix(e.Field, own+".") || strings.HasPrefix(e.Field, own+"[") {
			return true
		}
	}
	return false
}

// EvalCEL evaluates a CRD x-kubernetes-validations rule with self bound to the
// given JSON document (decoded into plain Go maps, slices and scalars).
func EvalCEL(rule string, selfJSON []byte) (bool, error) {
	var self any
	if err := json.Unmarshal(selfJSON, &self); err != nil {
		return false, err
	}
	env, err := cel.NewEnv(cel.Variable("self", cel.DynType))
	if err != nil {
		return false, err
	}
	ast, iss := env.Compile(rule)
	if iss.Err() != nil {
		return false, iss.Err()
	}
	prg, err := env.Program(ast)
	if err != nil {
		return false, err
	}
	out, _, err := prg.Eval(map[string]any{"self": self})
	if err != nil {
		return false, err
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("rule %q yielded %v, not a bool", rule, out.Value())
	}
	return b, nil
}

package policies

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/live"
)

// liveValue is input.live, what the cluster says (--live FILE, package
// internal/live): {"file": the file, "items": the Terraforms and
// GitRepositories in their Kubernetes shape}. Only the rule live-unapplied
// reads it; without --live the input has no live field.
func liveValue(s *live.Set) (*ast.Term, error) {
	items := make([]any, len(s.Objects))
	for i, o := range s.Objects {
		items[i] = o
	}
	v, err := ast.InterfaceToValue(map[string]any{"file": s.File, "items": items})
	if err != nil {
		return nil, fmt.Errorf("live objects of %s: %w", s.File, err)
	}
	return ast.NewTerm(v), nil
}

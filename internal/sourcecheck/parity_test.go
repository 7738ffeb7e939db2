package sourcecheck_test

import (
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
)

// TestGitRepositoryFieldParity walks the whole v1 GitRepository schema (spec and
// status) together with sourcev1.GitRepository.
func TestGitRepositoryFieldParity(t *testing.T) {
	t.Parallel()
	crd := loadGitRepositoryCRD(t)
	if problems := crdtest.FieldParity(crd.v1, gitRepositoryType, crdtest.ParityOptions{}); len(problems) > 0 {
		t.Errorf("%d mismatches between the CRD schema and %s:\n  %s",
			len(problems), gitRepositoryType, strings.Join(problems, "\n  "))
	}
}

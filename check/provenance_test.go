package check

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
)

// TestSpeakSpecUsesTheRender: findings on generated objects are spoken in
// the spec's words from the environments as the check rendered them; the
// specs are not read (nor their catalogues parsed) a second time, which on
// a fleet of thousands of environments was a good part of a check. The
// specs folder is removed before speakSpec runs: a finding is still
// reported at its spec line.
func TestSpeakSpecUsesTheRender(t *testing.T) {
	t.Parallel()
	specs := filepath.Join(t.TempDir(), "environments")
	if err := os.CopyFS(specs, os.DirFS(filepath.Join("..", "fixtures", "environments"))); err != nil {
		t.Fatal(err)
	}
	ro := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specs}, OutDir: "clusters", All: true, SumsOnly: true}
	outs, err := generator.Build(ro)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(specs); err != nil {
		t.Fatal(err)
	}
	karpenter := filepath.Join("clusters", "uat", "digx-uat-eu-west-1", "karpenter.yaml")
	rep := &finding.Report{Findings: []finding.Finding{
		{Rule: "some-rule", Severity: finding.Deny, File: karpenter, Line: 3, Field: "metadata", Message: "a message"},
		{Rule: "some-rule", Severity: finding.Deny, File: filepath.Join("clusters", "gone", "eks.yaml"), Line: 1, Field: "metadata", Message: "no spec renders it"},
	}}
	speakSpec(rep, ro, loadedEnvs(outs))
	got := rep.Findings[0]
	if want := filepath.Join(specs, "uat.yaml"); got.File != want || got.SpecField != "components.karpenter" || got.Generated == nil || got.Generated.File != karpenter {
		t.Errorf("finding on %s spoken as %s:%d %q (generated %+v), want it at %s, components.karpenter", karpenter, got.File, got.Line, got.SpecField, got.Generated, want)
	}
	if gone := rep.Findings[1]; gone.Generated != nil || gone.File != filepath.Join("clusters", "gone", "eks.yaml") {
		t.Errorf("a finding in a folder no spec renders was moved to %s", gone.File)
	}
}

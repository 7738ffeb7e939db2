package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataFileProblems: every data file of templates/ reports a mistake the
// same way (problems.at, problems.header): file:line:column of the field,
// its path, the fix; the apiVersion and the kind each at their own line.
func TestDataFileProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		file string // written under the override folder
		body string
		load func(*Set) error
		want []string // every line of the error, in order
	}{
		{
			name: "stack kind",
			file: "stacks/s.yaml",
			body: "apiVersion: fluxtf/v1alpha1\nkind: Stak\nname: s\nsourcePrefix: s\ncomponents: []\n",
			load: func(s *Set) error { _, err := s.Stack("s"); return err },
			want: []string{"stacks/s.yaml:2:7: kind: must be Stack"},
		},
		{
			name: "compatibility apiVersion",
			file: "compatibility/jeppesen-eks.yaml",
			body: "apiVersion: v1\nkind: Compatibility\nstack: jeppesen-eks\ncomponents: {}\n",
			load: func(s *Set) error {
				st, err := s.Stack("jeppesen-eks")
				if err != nil {
					return err
				}
				_, err = s.Compatibility(st)
				return err
			},
			want: []string{"compatibility/jeppesen-eks.yaml:1:13: apiVersion: must be fluxtf/v1alpha1"},
		},
		{
			name: "eks versions kind",
			file: EKSVersionsFile,
			body: "apiVersion: fluxtf/v1alpha1\nkind: Versions\nversions:\n  - {version: \"1.30\", release: 2024-05-23, endOfStandardSupport: 2025-07-23, endOfExtendedSupport: 2026-07-23, source: https://example.com}\n",
			load: func(s *Set) error { _, err := s.EKSVersions(); return err },
			want: []string{"eks-versions.yaml:2:7: kind: must be EKSVersions"},
		},
		{
			name: "regions header and empty list",
			file: RegionsFile,
			body: "apiVersion: v2\nkind: AWSRegions\nregions: []\n",
			load: func(s *Set) error { _, err := s.Regions(); return err },
			want: []string{"aws-regions.yaml:1:13: apiVersion: must be fluxtf/v1alpha1", "aws-regions.yaml:3:10: regions: lists no region"},
		},
		{
			name: "functions python, every mistake at its line",
			file: "functions-python.yaml",
			body: "source: https://example.com\nwarnDays: -1\nversions:\n  - {version: \"3.12\", endOfSupport: 2028-10}\n",
			load: func(s *Set) error { _, err := s.FunctionsPython(); return err },
			want: []string{`functions-python.yaml:4:37: versions[0].endOfSupport: "2028-10" is not a date YYYY-MM-DD`, "functions-python.yaml:2:11: warnDays: must not be negative"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := filepath.Join(dir, filepath.FromSlash(tc.file))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			set, err := WithOverrides(dir)
			if err != nil {
				t.Fatal(err)
			}
			err = tc.load(set)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			got := strings.Split(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), "\n")
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

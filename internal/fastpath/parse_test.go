package fastpath

import "testing"

// TestParse: which paths each value of FLUXTF_SLOW turns off.
func TestParse(t *testing.T) {
	t.Parallel()
	all := [numPaths]bool{YAML: true, Emit: true, Convert: true, Kustomize: true, Compile: true, Facts: true}
	for _, tc := range []struct {
		name  string
		value string
		want  [numPaths]bool
	}{
		{name: "unset", value: "", want: [numPaths]bool{}},
		{name: "zero", value: "0", want: [numPaths]bool{}},
		{name: "one", value: "1", want: all},
		{name: "true", value: "true", want: all},
		{name: "all", value: "all", want: all},
		{name: "one path", value: "yaml", want: [numPaths]bool{YAML: true}},
		{name: "two paths, spaces and case", value: " Emit , kustomize", want: [numPaths]bool{Emit: true, Kustomize: true}},
		{name: "every path by name", value: "yaml,emit,convert,kustomize,compile,facts", want: all},
		{name: "a typo is all (the reference is always right)", value: "yaml,emitt", want: all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := parse(tc.value); got != tc.want {
				t.Errorf("parse(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

// TestPathNames: every path has its own name.
func TestPathNames(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range Paths {
		n := p.String()
		if n == "" || n == "unknown" || seen[n] {
			t.Errorf("path %d is named %q", p, n)
		}
		seen[n] = true
	}
	if len(seen) != int(numPaths) {
		t.Errorf("Paths lists %d of %d paths", len(seen), numPaths)
	}
}

package fluxignore

import "testing"

func TestExcluded(t *testing.T) {
	for _, c := range []struct {
		name  string
		isDir bool
		want  bool
	}{
		{".git", true, true},
		{".git", false, false}, // ".git/" names a folder only (a submodule's .git file is not)
		{".github", true, true},
		{".circleci", true, true},
		{".gitignore", false, true},
		{".sops.yaml", false, true},
		{".flux.yaml", false, true},
		{".goreleaser.yml", false, true},
		{".gitlab-ci.yml", false, true},
		{"cloudbuild.yaml", false, true},
		{"logo.png", false, true},
		{".png", false, true},
		{"chart.tar.gz", false, true},
		{".staging", true, false},
		{".app.yaml", false, false},
		{".pre-commit-config.yaml", false, false},
		{".sops.yml", false, false},
		{".SOPS.yaml", false, false},
		{"github", true, false},
		{"app.yaml", false, false},
	} {
		if got := Excluded(c.name, c.isDir); got != c.want {
			t.Errorf("Excluded(%q, %v) = %v, want %v", c.name, c.isDir, got, c.want)
		}
	}
}

package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestBuildVersion reads the version as fluxtf version prints it: the
// -ldflags stamp of a release, else the module version of go install
// …@version, else the commit of a build in a clone; "dev" never.
func TestBuildVersion(t *testing.T) {
	t.Parallel()
	const rev = "b98ee68a715153c7f017e520e87603ac7858cc98"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name  string
		stamp string
		bi    *debug.BuildInfo
		want  versionInfo
	}{
		{name: "release stamped by goreleaser", stamp: "v1.2.3",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			want: versionInfo{Version: "v1.2.3", Go: "go1.26.8"}},
		{name: "go install module@tag", bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}},
			want: versionInfo{Version: "v1.2.3", Go: "go1.26.8"}},
		{name: "go install from a clone: pseudo-version and commit", bi: &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261205182634-b98ee68a7151"}, Settings: vcs("false")},
			want: versionInfo{Version: "v0.0.0-20261205182634-b98ee68a7151", Revision: rev}},
		{name: "commit only", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")},
			want: versionInfo{Version: rev, Revision: rev}},
		{name: "commit with local changes", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")},
			want: versionInfo{Version: rev + "-dirty", Revision: rev, Modified: true}},
		{name: "nothing known", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			want: versionInfo{Version: "(devel)"}},
		{name: "no build info", want: versionInfo{Version: "(devel)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := buildVersion(tt.stamp, tt.bi); got != tt.want {
				t.Errorf("buildVersion(%q) = %+v, want %+v", tt.stamp, got, tt.want)
			}
		})
	}
}

// TestVersionCommand: fluxtf version and --version print the build's
// version, never "dev".
func TestVersionCommand(t *testing.T) {
	t.Parallel()
	bi, _ := debug.ReadBuildInfo()
	want := buildVersion(version, bi).Version
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, stderr := runCLI(t, args...)
		if code != 0 || stderr != "" {
			t.Fatalf("fluxtf %s: exit %d, stderr %q", args[0], code, stderr)
		}
		if !strings.Contains(out, " "+want+"\n") || strings.Contains(out, "dev\n") {
			t.Errorf("fluxtf %s printed %q, want the version %q", args[0], out, want)
		}
	}
	code, out, _ := runCLI(t, "version", "-o", "json")
	if code != 0 || !strings.Contains(out, `"version": "`+want+`"`) {
		t.Errorf("fluxtf version -o json: exit %d, %q", code, out)
	}
}

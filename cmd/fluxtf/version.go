package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/internal/report"
)

// version is set at release build time: goreleaser (.goreleaser.yaml) and
// the action build with -ldflags "-X main.version=v1.2.3".
var version = ""

// develVersion is the version of a build that carries none: neither
// -ldflags nor a module version nor a VCS revision (go build
// -buildvcs=false, go run).
const develVersion = "(devel)"

// versionInfo is what fluxtf version prints.
type versionInfo struct {
	// Version is the release (v1.2.3, from -ldflags or the module version
	// of go install …@v1.2.3), a pseudo-version naming a commit
	// (v0.0.0-20260101120000-0123456789ab), the VCS revision of a build in
	// a clone, or develVersion.
	Version string `json:"version"`
	// Revision is the full VCS commit of a build in a clone.
	Revision string `json:"revision,omitempty"`
	// Modified says the clone had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
	// Go is the Go version that built fluxtf.
	Go string `json:"go,omitempty"`
}

// buildVersion reads the version from the -ldflags stamp, else from the
// build info: the module version, else the VCS revision. bi may be nil.
func buildVersion(stamp string, bi *debug.BuildInfo) versionInfo {
	v := versionInfo{Version: stamp}
	if bi == nil {
		if v.Version == "" {
			v.Version = develVersion
		}
		return v
	}
	v.Go = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	switch {
	case v.Version != "":
	case bi.Main.Version != "" && bi.Main.Version != develVersion:
		v.Version = bi.Main.Version
	case v.Revision != "":
		v.Version = v.Revision
		if v.Modified {
			v.Version += "-dirty"
		}
	default:
		v.Version = develVersion
	}
	return v
}

func newVersionCmd(s streams) *cobra.Command {
	var output report.Format
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print fluxtf's version: the release, or the commit it was built from",
		Long: `Version prints the release fluxtf was built as (a goreleaser build or go
install …@vX.Y.Z), else the module's pseudo-version or the git commit of the
clone it was built in (go install ./cmd/fluxtf), from the Go build
information. fluxtf --version prints the same version.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			bi, _ := debug.ReadBuildInfo()
			v := buildVersion(version, bi)
			if output == report.JSON {
				return writeJSON(s, v)
			}
			fmt.Fprintf(s.out, "fluxtf %s\n", v.Version)
			if v.Revision != "" && v.Revision != v.Version {
				fmt.Fprintf(s.out, "commit %s", v.Revision)
				if v.Modified {
					fmt.Fprint(s.out, " (modified)")
				}
				fmt.Fprintln(s.out)
			}
			if v.Go != "" {
				fmt.Fprintf(s.out, "built with %s\n", v.Go)
			}
			return nil
		},
	}
	addOutputFlag(cmd, &output, report.Text, report.JSON)
	return cmd
}

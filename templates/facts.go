package templates

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/digx/fluxtf/internal/yamlx"
)

// Files of the AWS facts, in the templates folder.
const (
	EKSVersionsFile = "eks-versions.yaml"
	RegionsFile     = "aws-regions.yaml"
)

// EKSVersions is the Amazon EKS Kubernetes release calendar
// (eks-versions.yaml).
type EKSVersions struct {
	// APIVersion must be fluxtf/v1alpha1.
	APIVersion string `json:"apiVersion"`
	// Kind must be EKSVersions.
	Kind string `json:"kind"`
	// Source is the AWS page the dates come from.
	Source string `json:"source"`
	// Versions are the Kubernetes minor versions EKS has released, oldest
	// first.
	Versions []EKSVersion `json:"versions"`
}

// EKSVersion is one Kubernetes minor version of EKS and its support dates
// (YYYY-MM-DD, each the last day of that support).
type EKSVersion struct {
	// Version is the minor version, such as "1.31".
	Version string `json:"version"`
	// Release is the day EKS made it available.
	Release string `json:"release"`
	// EndOfStandardSupport is the day standard support ends; extended
	// support (at extra cost) follows.
	EndOfStandardSupport string `json:"endOfStandardSupport"`
	// EndOfExtendedSupport is the day extended support ends; EKS then
	// upgrades the control plane itself.
	EndOfExtendedSupport string `json:"endOfExtendedSupport"`
	// Source is where the dates of this row are published.
	Source string `json:"source"`
}

// Find returns the row of a minor version such as "1.31", or nil.
func (v *EKSVersions) Find(version string) *EKSVersion {
	for i := range v.Versions {
		if v.Versions[i].Version == version {
			return &v.Versions[i]
		}
	}
	return nil
}

// Names lists the versions, oldest first.
func (v *EKSVersions) Names() []string {
	out := make([]string, len(v.Versions))
	for i, r := range v.Versions {
		out[i] = r.Version
	}
	return out
}

// EKSVersions loads and checks the EKS release calendar.
func (s *Set) EKSVersions() (*EKSVersions, error) {
	root, err := s.parseOne(EKSVersionsFile)
	if err != nil {
		return nil, err
	}
	out := &EKSVersions{}
	if err := yamlx.Decode(root, out); err != nil {
		return nil, err
	}
	probs := newProblems(root)
	at := probs.at
	probs.header(out.APIVersion, out.Kind, "EKSVersions")
	if len(out.Versions) == 0 {
		at("versions", "lists no version")
	}
	prev := -1
	for i, r := range out.Versions {
		p := fmt.Sprintf("versions[%d]", i)
		minor, ok := MinorOf(r.Version)
		switch {
		case !ok:
			at(p+".version", "%q is not a Kubernetes minor version such as \"1.31\"", r.Version)
		case minor <= prev:
			at(p+".version", "%s is out of order; list the versions oldest first, each once", r.Version)
		}
		prev = minor
		var dates [3]time.Time
		for j, d := range []struct{ field, value string }{{"release", r.Release}, {"endOfStandardSupport", r.EndOfStandardSupport}, {"endOfExtendedSupport", r.EndOfExtendedSupport}} {
			t, err := time.Parse(time.DateOnly, d.value)
			if err != nil {
				at(p+"."+d.field, "must be a date YYYY-MM-DD, got %q", d.value)
			}
			dates[j] = t
		}
		if !dates[0].Before(dates[1]) || !dates[1].Before(dates[2]) {
			at(p, "dates must follow each other: release, end of standard support, end of extended support")
		}
		if !strings.HasPrefix(r.Source, "https://") {
			at(p+".source", "must be the https:// address the dates come from")
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// MinorOf returns the minor number of a version "1.N".
func MinorOf(version string) (int, bool) {
	rest, ok := strings.CutPrefix(version, "1.")
	if !ok || rest == "" || (len(rest) > 1 && rest[0] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// Regions is the list of AWS Regions (aws-regions.yaml).
type Regions struct {
	// APIVersion must be fluxtf/v1alpha1.
	APIVersion string `json:"apiVersion"`
	// Kind must be AWSRegions.
	Kind string `json:"kind"`
	// Source is the AWS page the list comes from.
	Source string `json:"source"`
	// Regions are the regions, by code.
	Regions []Region `json:"regions"`
}

// Region is one AWS Region.
type Region struct {
	// Name is the region code, such as eu-west-1.
	Name string `json:"name"`
	// Location is where it is, such as Europe (Ireland).
	Location string `json:"location"`
}

// Names lists the region codes, sorted.
func (r *Regions) Names() []string {
	out := make([]string, len(r.Regions))
	for i, x := range r.Regions {
		out[i] = x.Name
	}
	sort.Strings(out)
	return out
}

// Has reports whether name is a listed region.
func (r *Regions) Has(name string) bool {
	for _, x := range r.Regions {
		if x.Name == name {
			return true
		}
	}
	return false
}

// Regions loads and checks the AWS region list.
func (s *Set) Regions() (*Regions, error) {
	root, err := s.parseOne(RegionsFile)
	if err != nil {
		return nil, err
	}
	out := &Regions{}
	if err := yamlx.Decode(root, out); err != nil {
		return nil, err
	}
	probs := newProblems(root)
	probs.header(out.APIVersion, out.Kind, "AWSRegions")
	seen := map[string]bool{}
	for i, x := range out.Regions {
		if !regionRE.MatchString(x.Name) || seen[x.Name] {
			probs.at(fmt.Sprintf("regions[%d].name", i), "%q is not a region code such as eu-west-1, or is listed twice", x.Name)
		}
		seen[x.Name] = true
	}
	if len(out.Regions) == 0 {
		probs.at("regions", "lists no region")
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

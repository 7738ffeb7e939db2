package templates

import (
	"fmt"
	"time"

	"github.com/digx/fluxtf/internal/yamlx"
)

// PythonRuntimes is the table of Python versions Azure Functions runs
// (functions-python.yaml), with the date each one's support ends.
type PythonRuntimes struct {
	// Source is the page the dates come from.
	Source string `json:"source"`
	// WarnDays is how long before a version's end of support the policy
	// warns.
	WarnDays int `json:"warnDays"`
	// Versions are the known versions, oldest first.
	Versions []PythonRuntime `json:"versions"`
}

// PythonRuntime is one Python version and its end of support.
type PythonRuntime struct {
	// Version is the Python minor, such as "3.12".
	Version string `json:"version"`
	// EndOfSupport is the last day Azure Functions supports it, YYYY-MM-DD.
	EndOfSupport string `json:"endOfSupport"`
}

// Find returns the runtime of version v, or nil.
func (p *PythonRuntimes) Find(v string) *PythonRuntime {
	for i := range p.Versions {
		if p.Versions[i].Version == v {
			return &p.Versions[i]
		}
	}
	return nil
}

// Names lists the known versions.
func (p *PythonRuntimes) Names() []string {
	out := make([]string, len(p.Versions))
	for i, r := range p.Versions {
		out[i] = r.Version
	}
	return out
}

// FunctionsPython loads functions-python.yaml.
func (s *Set) FunctionsPython() (*PythonRuntimes, error) {
	root, err := s.parseOne("functions-python.yaml")
	if err != nil {
		return nil, err
	}
	p := &PythonRuntimes{}
	if err := yamlx.Decode(root, p); err != nil {
		return nil, err
	}
	probs := newProblems(root)
	for i, r := range p.Versions {
		if _, err := time.Parse(time.DateOnly, r.EndOfSupport); err != nil {
			probs.at(fmt.Sprintf("versions[%d].endOfSupport", i), "%q is not a date YYYY-MM-DD", r.EndOfSupport)
		}
	}
	if p.WarnDays < 0 {
		probs.at("warnDays", "must not be negative")
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return p, nil
}

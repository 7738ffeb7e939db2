package fastpath

import (
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// EnvVar is the environment variable that turns the fast paths off.
const EnvVar = "FLUXTF_SLOW"

// Path is one home-made hot path.
type Path uint8

// The fast paths (see the package documentation for their references).
const (
	YAML Path = iota
	Emit
	Convert
	Kustomize
	Compile
	Facts
	numPaths
)

// Paths lists every Path, in order.
var Paths = [...]Path{YAML, Emit, Convert, Kustomize, Compile, Facts}

var names = [numPaths]string{YAML: "yaml", Emit: "emit", Convert: "convert", Kustomize: "kustomize", Compile: "compile", Facts: "facts"}

// String returns the path's name, as FLUXTF_SLOW lists it.
func (p Path) String() string {
	if p < numPaths {
		return names[p]
	}
	return "unknown"
}

// off is the set of paths FLUXTF_SLOW turns off, read once.
var off = sync.OnceValue(func() [numPaths]bool { return parse(os.Getenv(EnvVar)) })

// parse reads a value of FLUXTF_SLOW: which paths it turns off.
func parse(v string) [numPaths]bool {
	var out [numPaths]bool
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return out
	}
	for _, w := range strings.Split(v, ",") {
		w = strings.TrimSpace(strings.ToLower(w))
		found := false
		for p, n := range names {
			if w == n {
				out[p], found = true, true
			}
		}
		if !found { // "1", "true", "all", or a typo: the safe side, all off
			for p := range out {
				out[p] = true
			}
			return out
		}
	}
	return out
}

// Enabled reports whether the fast path p may run: false when
// FLUXTF_SLOW turns it off, and the caller then takes the reference.
func Enabled(p Path) bool { return p < numPaths && !off()[p] }

// hits counts, per path, the results the fast path produced.
var hits [numPaths]atomic.Int64

// Hit records that the fast path p produced a result (rather than
// handing the input to its reference), for Hits.
func Hit(p Path) { hits[p].Add(1) }

// Hits returns how many results the fast path p has produced in this
// process: a test holds it at zero under FLUXTF_SLOW (the switch reaches
// every path) and above zero without (the test exercises the path).
func Hits(p Path) int64 { return hits[p].Load() }

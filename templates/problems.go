package templates

import (
	"fmt"

	"github.com/digx/fluxtf/internal/yamlx"
)

// dataAPIVersion is the apiVersion every data file in templates/ declares.
const dataAPIVersion = "fluxtf/v1alpha1"

// problems collects the mistakes of one data file, each at the line of the
// field it names (or of the nearest enclosing node that exists), so that
// one load reports all of them. Every loader of a data file checks through
// it: one way to place an error, one header check.
type problems struct {
	root *yamlx.Node
	list yamlx.ErrorList
}

// newProblems starts the problems of the file whose tree is root.
func newProblems(root *yamlx.Node) *problems { return &problems{root: root} }

// at records a mistake of the field at path.
func (p *problems) at(path, format string, args ...any) {
	e := &yamlx.Error{Path: path, Msg: fmt.Sprintf(format, args...)}
	if n, _ := p.root.Lookup(path); n != nil {
		e.Pos = n.Pos
	}
	p.list = append(p.list, e)
}

// header checks the apiVersion and kind a data file starts with.
func (p *problems) header(apiVersion, kind, wantKind string) {
	if apiVersion != dataAPIVersion {
		p.at("apiVersion", "must be %s", dataAPIVersion)
	}
	if kind != wantKind {
		p.at("kind", "must be %s", wantKind)
	}
}

// err returns the mistakes, or nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return p.list
}

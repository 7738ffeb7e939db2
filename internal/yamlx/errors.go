package yamlx

import (
	"errors"
	"strings"
)

// Error is a problem at one place of one file.
type Error struct {
	Pos  Pos
	Path string // field path such as spec.vars[0].name; may be empty
	Msg  string
	// Want is, for an unknown field, the known field of the same mapping
	// its name is closest to (the "did you mean"), or "".
	Want string
}

func (e *Error) Error() string {
	var b strings.Builder
	if s := e.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is several errors, printed one per line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lets errors.As find the individual errors.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// AsList returns the *Error values inside err, or nil when there are none.
func AsList(err error) ErrorList {
	var l ErrorList
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return ErrorList{e}
	}
	return nil
}

// errAt builds an *Error at n.
func errAt(n *Node, path, msg string) *Error {
	e := &Error{Path: path, Msg: msg}
	if n != nil {
		e.Pos = n.Pos
	}
	return e
}

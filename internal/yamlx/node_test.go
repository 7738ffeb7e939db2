package yamlx

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

const lookupSrc = `spec:
  vars:
  - name: a
    value: 1
  - name: b
metadata:
  labels:
    fluxtf.io/tier: prod
    plain: x
    "0": zero
list: [[1, 2], [3]]
"a.b": dotted
scalar: s
`

func TestLookupAndKeyPos(t *testing.T) {
	t.Parallel()
	root := mustParse(t, lookupSrc)
	tests := []struct {
		name   string
		path   string
		found  bool
		pos    string // of the node Lookup returns
		keyPos string // what KeyPos returns
		value  string // of the node Lookup returns, for scalars
	}{
		{name: "root", path: "", found: true, pos: "f.yaml:1:1", keyPos: "f.yaml:1:1"},
		{name: "top key", path: "scalar", found: true, pos: "f.yaml:13:9", keyPos: "f.yaml:13:1", value: "s"},
		{name: "list item field", path: "spec.vars[0].name", found: true, pos: "f.yaml:3:11", keyPos: "f.yaml:3:5", value: "a"},
		{name: "second list item", path: "spec.vars[1].name", found: true, pos: "f.yaml:5:11", keyPos: "f.yaml:5:5", value: "b"},
		{name: "list item itself", path: "spec.vars[1]", found: true, pos: "f.yaml:5:5", keyPos: "f.yaml:5:5"},
		{name: "dotted index", path: "spec.vars.0.value", found: true, pos: "f.yaml:4:12", keyPos: "f.yaml:4:5", value: "1"},
		{name: "bracketed map key with dots", path: "metadata.labels[fluxtf.io/tier]", found: true, pos: "f.yaml:8:21", keyPos: "f.yaml:8:5", value: "prod"},
		{name: "bracketed plain key", path: "metadata.labels[plain]", found: true, pos: "f.yaml:9:12", keyPos: "f.yaml:9:5", value: "x"},
		{name: "number in brackets on a mapping is a key", path: "metadata.labels[0]", found: true, pos: "f.yaml:10:10", keyPos: "f.yaml:10:5", value: "zero"},
		{name: "nested lists", path: "list[0][1]", found: true, pos: "f.yaml:11:12", keyPos: "f.yaml:11:12", value: "2"},
		{name: "top key in brackets", path: "[a.b]", found: true, pos: "f.yaml:12:8", keyPos: "f.yaml:12:1", value: "dotted"},
		{name: "unclosed bracket", path: "metadata.labels[plain", found: true, pos: "f.yaml:9:12", keyPos: "f.yaml:9:5", value: "x"},

		// missing: the deepest node reached, and false
		{name: "missing top key", path: "nope", found: false, pos: "f.yaml:1:1", keyPos: "f.yaml:1:1"},
		{name: "missing field", path: "spec.nope", found: false, pos: "f.yaml:2:3", keyPos: "f.yaml:2:3"},
		{name: "missing field of a list item", path: "spec.vars[1].value", found: false, pos: "f.yaml:5:5", keyPos: "f.yaml:5:5"},
		{name: "index past the end", path: "spec.vars[5].name", found: false, pos: "f.yaml:3:3", keyPos: "f.yaml:3:3"},
		{name: "negative index", path: "spec.vars[-1]", found: false, pos: "f.yaml:3:3", keyPos: "f.yaml:3:3"},
		{name: "key on a list", path: "spec.vars[x]", found: false, pos: "f.yaml:3:3", keyPos: "f.yaml:3:3"},
		{name: "beyond a scalar", path: "spec.vars[0].name.more", found: false, pos: "f.yaml:3:11", keyPos: "f.yaml:3:11", value: "a"},
		{name: "dotted key without brackets", path: "a.b", found: false, pos: "f.yaml:1:1", keyPos: "f.yaml:1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, ok := root.Lookup(tt.path)
			if ok != tt.found {
				t.Errorf("Lookup found=%v, want %v", ok, tt.found)
			}
			if n == nil {
				t.Fatal("Lookup returned nil")
			}
			if got := n.Pos.String(); got != tt.pos {
				t.Errorf("Lookup at %s, want %s", got, tt.pos)
			}
			if got := n.String(); got != tt.value {
				t.Errorf("Lookup value %q, want %q", got, tt.value)
			}
			kp, kok := root.KeyPos(tt.path)
			if kok != tt.found {
				t.Errorf("KeyPos found=%v, want %v", kok, tt.found)
			}
			if got := kp.String(); got != tt.keyPos {
				t.Errorf("KeyPos %s, want %s", got, tt.keyPos)
			}
		})
	}
}

func TestLookupNil(t *testing.T) {
	t.Parallel()
	var n *Node
	for _, path := range []string{"", "a", "a[0]"} {
		if got, ok := n.Lookup(path); got != nil || ok {
			t.Errorf("nil.Lookup(%q) = %v, %v", path, got, ok)
		}
		if got, ok := n.KeyPos(path); got != (Pos{}) || ok {
			t.Errorf("nil.KeyPos(%q) = %v, %v", path, got, ok)
		}
	}
}

func TestSplitPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want []string
	}{
		{path: "", want: nil},
		{path: "a", want: []string{"a"}},
		{path: "a.b[0].c", want: []string{"a", "b", "0", "c"}},
		{path: "a[x.y/z].b", want: []string{"a", "x.y/z", "b"}},
		{path: "[a][b]", want: []string{"a", "b"}},
		{path: "a..b.", want: []string{"a", "b"}},
		{path: "a[]", want: []string{"a", ""}},
		{path: "a[open", want: []string{"a", "open"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			if got := splitPath(tt.path); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitPath(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestJoinKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, key, want string
	}{
		{path: "", key: "a", want: "a"},
		{path: "a", key: "b", want: "a.b"},
		{path: "a[0]", key: "b", want: "a[0].b"},
		{path: "labels", key: "fluxtf.io/tier", want: "labels[fluxtf.io/tier]"},
		{path: "", key: "a.b", want: "[a.b]"},
		{path: "m", key: "", want: "m[]"},
		{path: "m", key: "x[1]", want: `m["x[1]"]`},
		{path: "m", key: "a\nb", want: `m["a\nb"]`},
		{path: "m", key: "\ufeff", want: `m["\ufeff"]`},
		{path: "m", key: `"a.b"`, want: `m["\"a.b\""]`},
		{path: "m", key: `"a"`, want: `m."a"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			got := joinKey(tt.path, tt.key)
			if got != tt.want {
				t.Errorf("joinKey(%q, %q) = %q, want %q", tt.path, tt.key, got, tt.want)
			}
			// the key reads back
			if segs := splitPath(got); len(segs) == 0 || segs[len(segs)-1] != tt.key {
				t.Errorf("splitPath(%q) = %q, want the last segment %q", got, segs, tt.key)
			}
		})
	}
}

func TestToAny(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want any
	}{
		{name: "int", yaml: "1", want: int64(1)},
		{name: "negative int", yaml: "-7", want: int64(-7)},
		{name: "hex int", yaml: "0xff", want: int64(255)},
		{name: "octal int", yaml: "0o10", want: int64(8)},
		{name: "YAML 1.1 octal int", yaml: "010", want: int64(8)},
		{name: "int64 min", yaml: "-9223372036854775808", want: int64(math.MinInt64)},
		{name: "beyond int64", yaml: "9223372036854775808", want: 9223372036854775808.0},
		{name: "float", yaml: "1.5", want: 1.5},
		{name: "whole float stays float", yaml: "2.0", want: 2.0},
		{name: "exponent", yaml: "1e3", want: 1000.0},
		{name: "non-decimal digits are a float", yaml: "09", want: 9.0},
		{name: "string", yaml: "x", want: "x"},
		{name: "quoted int", yaml: "'1'", want: "1"},
		{name: "bool", yaml: "true", want: true},
		{name: "yes is a string", yaml: "yes", want: "yes"},
		{name: "null document", yaml: "~", want: nil},
		{name: "null in a list", yaml: "[~, null, Null]", want: []any{nil, nil, nil}},
		{name: "timestamp", yaml: "2024-01-02T03:04:05Z", want: "2024-01-02T03:04:05Z"},
		{name: "binary", yaml: "!!binary aGk=", want: "aGk="},
		{name: "infinity is not a JSON value", yaml: ".inf", want: 0.0},
		{name: "mapping", yaml: "{a: 1, 2: [x, ~], true: {}}", want: map[string]any{"a": int64(1), "2": []any{"x", nil}, "true": map[string]any{}}},
		{name: "sequence", yaml: "[1, 1.0, '1']", want: []any{int64(1), 1.0, "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, err := Parse(testFile, []byte(tt.yaml), DefaultLimits)
			if err != nil || len(docs) != 1 {
				t.Fatalf("Parse: %d documents, %v", len(docs), err)
			}
			if got := docs[0].Root.ToAny(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v (%T), want %#v (%T)", got, got, tt.want, tt.want)
			}
		})
	}
	if got := (*Node)(nil).ToAny(); got != nil {
		t.Errorf("nil.ToAny() = %#v", got)
	}
}

func TestParseNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		int     int64
		intErr  string
		float   float64
		fltErr  string
		comment string
	}{
		{in: "0", int: 0, float: 0},
		{in: "-0", int: 0, float: 0},
		{in: "12", int: 12, float: 12},
		{in: "+12", int: 12, float: 12},
		{in: "1_2", int: 12, float: 12},
		{in: "0x_1F", int: 31, fltErr: `"0x_1F" is not a number`},
		{in: "0XfF", int: 255, fltErr: `"0XfF" is not a number`},
		{in: "0O17", int: 15, fltErr: `"0O17" is not a number`},
		{in: "0B11", int: 3, fltErr: `"0B11" is not a number`},
		{in: "017", int: 15, float: 17},
		{in: "08", intErr: `"08" is not an integer`, float: 8},
		{in: "0x", intErr: `"0x" is not an integer`, fltErr: `"0x" is not a number`},
		{in: "-", intErr: `"-" is not an integer`, fltErr: `"-" is not a number`},
		{in: "", intErr: `"" is not an integer`, fltErr: `"" is not a number`},
		{in: "--1", intErr: `"--1" is not an integer`, fltErr: `"--1" is not a number`},
		{in: "0x-1", intErr: `"0x-1" is not an integer`, fltErr: `"0x-1" is not a number`},
		{in: "9223372036854775807", int: math.MaxInt64, float: 9223372036854775807},
		{in: "9223372036854775808", intErr: `"9223372036854775808" is out of range`, float: 9223372036854775808},
		{in: "-9223372036854775808", int: math.MinInt64, float: -9223372036854775808},
		{in: "-9223372036854775809", intErr: `"-9223372036854775809" is out of range`, float: -9223372036854775809},
		{in: "99999999999999999999", intErr: `"99999999999999999999" is out of range`, float: 1e20},
		{in: "1.5", intErr: `"1.5" is not an integer`, float: 1.5},
		{in: "1e400", intErr: `"1e400" is not an integer`, fltErr: `"1e400" is not a finite number`},
		{in: ".inf", intErr: `".inf" is not an integer`, fltErr: `".inf" is not a finite number`},
		{in: "-.INF", intErr: `"-.INF" is not an integer`, fltErr: `"-.INF" is not a finite number`},
		{in: "+.Inf", intErr: `"+.Inf" is not an integer`, fltErr: `"+.Inf" is not a finite number`},
		{in: ".NaN", intErr: `".NaN" is not an integer`, fltErr: `".NaN" is not a finite number`},
		{in: "nan", intErr: `"nan" is not an integer`, fltErr: `"nan" is not a finite number`},
		{in: "Infinity", intErr: `"Infinity" is not an integer`, fltErr: `"Infinity" is not a finite number`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			i, err := parseInt(tt.in)
			if gotErr := errString(err); gotErr != tt.intErr || (err == nil && i != tt.int) {
				t.Errorf("parseInt = %d, %q; want %d, %q", i, gotErr, tt.int, tt.intErr)
			}
			f, err := parseFloat(tt.in)
			if gotErr := errString(err); gotErr != tt.fltErr || (err == nil && f != tt.float) {
				t.Errorf("parseFloat = %v, %q; want %v, %q", f, gotErr, tt.float, tt.fltErr)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestNodeHelpers(t *testing.T) {
	t.Parallel()
	root := mustParse(t, "b: 1\na: x\nn: ~\nl: [1]\nm: {}\n")
	var nilNode *Node
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "keys in document order", got: root.Keys(), want: []string{"b", "a", "n", "l", "m"}},
		{name: "keys of a list", got: root.Get("l").Keys(), want: []string(nil)},
		{name: "keys of an empty mapping", got: root.Get("m").Keys(), want: []string{}},
		{name: "keys of nil", got: nilNode.Keys(), want: []string(nil)},
		{name: "get", got: root.Get("a").Value, want: "x"},
		{name: "get missing", got: root.Get("zz"), want: nilNode},
		{name: "get on a list", got: root.Get("l").Get("0"), want: nilNode},
		{name: "get on nil", got: nilNode.Get("a"), want: nilNode},
		{name: "string of a scalar", got: root.Get("b").String(), want: "1"},
		{name: "string of null", got: root.Get("n").String(), want: ""},
		{name: "string of a mapping", got: root.String(), want: ""},
		{name: "string of nil", got: nilNode.String(), want: ""},
		{name: "null is null", got: root.Get("n").IsNull(), want: true},
		{name: "nil is null", got: nilNode.IsNull(), want: true},
		{name: "empty mapping is not null", got: root.Get("m").IsNull(), want: false},
		{name: "kind names", got: fmt.Sprint(ScalarNode, MappingNode, SequenceNode, Kind(0)), want: "scalar mapping sequence unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}

func TestPosAndErrorStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *Error
		pos  string
		want string
	}{
		{name: "full", err: &Error{Pos: Pos{File: "f.yaml", Line: 3, Column: 5}, Path: "spec.a", Msg: "bad"}, pos: "f.yaml:3:5", want: "f.yaml:3:5: spec.a: bad"},
		{name: "no column", err: &Error{Pos: Pos{File: "f.yaml", Line: 3}, Msg: "bad"}, pos: "f.yaml:3", want: "f.yaml:3: bad"},
		{name: "file only", err: &Error{Pos: Pos{File: "f.yaml"}, Msg: "bad"}, pos: "f.yaml", want: "f.yaml: bad"},
		{name: "no file", err: &Error{Pos: Pos{Line: 3, Column: 5}, Path: "a", Msg: "bad"}, pos: "3:5", want: "3:5: a: bad"},
		{name: "no file, no column", err: &Error{Pos: Pos{Line: 3}, Msg: "bad"}, pos: "3", want: "3: bad"},
		{name: "nothing", err: &Error{Msg: "bad"}, pos: "", want: "bad"},
		{name: "path only", err: &Error{Path: "a[0]", Msg: "bad"}, pos: "", want: "a[0]: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Pos.String(); got != tt.pos {
				t.Errorf("Pos.String() = %q, want %q", got, tt.pos)
			}
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrorList(t *testing.T) {
	t.Parallel()
	a := &Error{Pos: Pos{File: "f", Line: 1, Column: 2}, Msg: "one"}
	b := &Error{Pos: Pos{File: "f", Line: 3, Column: 4}, Path: "x", Msg: "two"}
	l := ErrorList{a, b}
	if got, want := l.Error(), "f:1:2: one\nf:3:4: x: two"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	tests := []struct {
		name string
		err  error
		want ErrorList
	}{
		{name: "list", err: l, want: l},
		{name: "wrapped list", err: fmt.Errorf("loading: %w", l), want: l},
		{name: "single", err: a, want: ErrorList{a}},
		{name: "wrapped single", err: fmt.Errorf("loading: %w", b), want: ErrorList{b}},
		{name: "other", err: errors.New("x"), want: nil},
		{name: "nil", err: nil, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := AsList(tt.err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AsList = %v, want %v", got, tt.want)
			}
		})
	}
	var e *Error
	if !errors.As(l, &e) || e != a {
		t.Errorf("errors.As finds %v, want the first error", e)
	}
	if !errors.Is(fmt.Errorf("w: %w", l), b) {
		t.Error("errors.Is does not see the second error")
	}
	if got := strings.Count(ErrorList{}.Error(), "\n"); got != 0 {
		t.Errorf("empty list prints %d lines", got)
	}
}

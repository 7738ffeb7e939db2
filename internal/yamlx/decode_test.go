package yamlx

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

type tier string

// lowerText accepts only lower-case text, through encoding.TextUnmarshaler.
type lowerText string

func (l *lowerText) UnmarshalText(b []byte) error {
	if s := string(b); s != strings.ToLower(s) {
		return fmt.Errorf("%q must be lower case", s)
	}
	*l = lowerText(b)
	return nil
}

type variable struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
}

type child struct {
	A int    `json:"a"`
	B string `json:"b"`
}

type Common struct {
	Owner string `json:"owner"`
	Team  string `json:"team"`
}

type inner struct {
	Hidden string `json:"hidden"`
}

type Shadow struct {
	Name  string `json:"name"`
	Depth int    `json:"depth"`
}

type spec struct {
	Name     string            `json:"name"`
	Replicas int32             `json:"replicas"`
	Big      int64             `json:"big"`
	Small    int8              `json:"small"`
	Port     uint16            `json:"port"`
	Huge     uint64            `json:"huge"`
	Ratio    float32           `json:"ratio"`
	Weight   float64           `json:"weight"`
	Enabled  bool              `json:"enabled"`
	Tags     []string          `json:"tags"`
	Labels   map[string]string `json:"labels"`
	Tiers    map[tier]int      `json:"tiers"`
	Vars     []variable        `json:"vars"`
	Ptr      *int              `json:"ptr"`
	PtrPtr   **string          `json:"ptrPtr"`
	Child    *child            `json:"child"`
	Children map[string]*child `json:"children"`
	Matrix   [][]int           `json:"matrix"`
	Extra    any               `json:"extra"`
	Data     []byte            `json:"data"`
	Raw      json.RawMessage   `json:"raw"`
	Text     lowerText         `json:"text"`
	Arr      [2]int            `json:"arr"`
	IntKeys  map[int]string    `json:"intKeys"`
	Stringer fmt.Stringer      `json:"stringer"`
	Ignored  string            `json:"-"`
	Untagged string
	private  string //nolint:unused // must stay unknown to Decode
	Common   `json:",inline"`
	*Shadow
}

type k8sObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              k8sSpec `json:"spec"`
}

type k8sSpec struct {
	Interval  metav1.Duration       `json:"interval"`
	Timeout   *metav1.Duration      `json:"timeout,omitempty"`
	Since     metav1.Time           `json:"since"`
	Until     *metav1.Time          `json:"until,omitempty"`
	Values    *apiextensionsv1.JSON `json:"values,omitempty"`
	Memory    resource.Quantity     `json:"memory"`
	CPU       *resource.Quantity    `json:"cpu,omitempty"`
	Port      intstr.IntOrString    `json:"port"`
	Ports     []intstr.IntOrString  `json:"ports"`
	Resources map[string]resource.Quantity
}

// withHidden embeds a pointer to an unexported struct: encoding/json cannot
// set its fields either.
type withHidden struct {
	*inner
	Name string `json:"name"`
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []wantErr
	}{
		// unknown fields
		{name: "typo with suggestion", src: "nmae: x\n",
			want: []wantErr{{"f.yaml:1:1", "nmae", `unknown field "nmae"; did you mean "name"?`}}},
		{name: "wrong case", src: "Name: x\n",
			want: []wantErr{{"f.yaml:1:1", "Name", `unknown field "Name"; did you mean "name"?`}}},
		{name: "nothing close among many fields", src: "zzzzzz: x\n",
			want: []wantErr{{"f.yaml:1:1", "zzzzzz", `unknown field "zzzzzz"`}}},
		{name: "nothing close among few fields", src: "child: {zzzzzz: 1}\n",
			want: []wantErr{{"f.yaml:1:9", "child.zzzzzz", `unknown field "zzzzzz"; known fields: a, b`}}},
		{name: "typo in a list item", src: "vars:\n- name: a\n- name: b\n  vlaue: c\n",
			want: []wantErr{{"f.yaml:4:3", "vars[1].vlaue", `unknown field "vlaue"; did you mean "value"?`}}},
		{name: "typo in a map value", src: "children:\n  x.y: {b: ok, bb: 2}\n",
			want: []wantErr{{"f.yaml:2:16", "children[x.y].bb", `unknown field "bb"; did you mean "b"?`}}},
		{name: "dotted unknown key", src: "fluxtf.io/x: 1\n",
			want: []wantErr{{"f.yaml:1:1", "[fluxtf.io/x]", `unknown field "fluxtf.io/x"`}}},
		{name: "json:\"-\" field", src: "Ignored: x\n",
			want: []wantErr{{"f.yaml:1:1", "Ignored", `unknown field "Ignored"`}}},
		{name: "unexported field", src: "private: x\n",
			want: []wantErr{{"f.yaml:1:1", "private", `unknown field "private"`}}},

		// strings
		{name: "integer for a string", src: "name: 42\n",
			want: []wantErr{{"f.yaml:1:7", "name", `expected a string, got the number 42; quote it: "42"`}}},
		{name: "float for a string", src: "name: 1.50\n",
			want: []wantErr{{"f.yaml:1:7", "name", `expected a string, got the number 1.50; quote it: "1.50"`}}},
		{name: "octal-looking number for a string", src: "name: 0755\n",
			want: []wantErr{{"f.yaml:1:7", "name", `expected a string, got the number 0755; quote it: "0755"`}}},
		{name: "boolean for a string", src: "name: true\n",
			want: []wantErr{{"f.yaml:1:7", "name", `expected a string, got the boolean true; quote it: "true"`}}},
		{name: "mapping for a string", src: "name: {a: 1}\n",
			want: []wantErr{{"f.yaml:1:7", "name", "expected a string, got a mapping"}}},
		{name: "list for a string", src: "name:\n- a\n",
			want: []wantErr{{"f.yaml:2:1", "name", "expected a string, got a sequence"}}},
		{name: "number for a string in a map", src: "labels:\n  fluxtf.io/tier: 1\n",
			want: []wantErr{{"f.yaml:2:19", "labels[fluxtf.io/tier]", `expected a string, got the number 1; quote it: "1"`}}},
		{name: "number for a string in a list", src: "tags: [a, 2, c]\n",
			want: []wantErr{{"f.yaml:1:11", "tags[1]", `expected a string, got the number 2; quote it: "2"`}}},
		{name: "text unmarshaler refuses", src: "text: Upper\n",
			want: []wantErr{{"f.yaml:1:7", "text", `"Upper" must be lower case`}}},
		{name: "mapping for a text unmarshaler", src: "text: {a: 1}\n",
			want: []wantErr{{"f.yaml:1:7", "text", "expected a string, got a mapping"}}},

		// integers
		{name: "string for an int", src: "replicas: three\n",
			want: []wantErr{{"f.yaml:1:11", "replicas", `expected an integer, got the string "three"`}}},
		{name: "quoted number for an int", src: "replicas: '3'\n",
			want: []wantErr{{"f.yaml:1:11", "replicas", `expected an integer, got the string "3"`}}},
		{name: "boolean for an int", src: "replicas: true\n",
			want: []wantErr{{"f.yaml:1:11", "replicas", "expected an integer, got the boolean true"}}},
		{name: "fraction for an int", src: "replicas: 1.5\n",
			want: []wantErr{{"f.yaml:1:11", "replicas", "expected an integer, got the number 1.5"}}},
		{name: "list for an int", src: "replicas: [1]\n",
			want: []wantErr{{"f.yaml:1:11", "replicas", "expected an integer, got a sequence"}}},
		{name: "timestamp for an int", src: "replicas: 2024-01-02\n",
			want: []wantErr{{"f.yaml:1:11", "replicas", `expected an integer, got the string "2024-01-02"`}}},
		{name: "int32 overflow", src: "replicas: 3000000000\n",
			want: []wantErr{{"f.yaml:1:11", "replicas", "3000000000 is out of range for this field"}}},
		{name: "int8 underflow", src: "small: -129\n",
			want: []wantErr{{"f.yaml:1:8", "small", "-129 is out of range for this field"}}},
		{name: "hex overflow for int8", src: "small: 0x80\n",
			want: []wantErr{{"f.yaml:1:8", "small", "128 is out of range for this field"}}},
		{name: "int64 overflow", src: "big: 9223372036854775808\n",
			want: []wantErr{{"f.yaml:1:6", "big", `"9223372036854775808" is out of range`}}},
		{name: "int64 underflow", src: "big: -9223372036854775809\n",
			want: []wantErr{{"f.yaml:1:6", "big", "-9223372036854775809 is out of range for this field"}}},
		{name: "float too big to be exact", src: "big: 1e300\n",
			want: []wantErr{{"f.yaml:1:6", "big", "expected an integer, got the number 1e300"}}},
		{name: "explicit int tag on text", src: "big: !!int abc\n",
			want: []wantErr{{"f.yaml:1:6", "big", `"abc" is not an integer`}}},
		{name: "uint16 overflow", src: "port: 70000\n",
			want: []wantErr{{"f.yaml:1:7", "port", "70000 is out of range for this field"}}},
		{name: "negative for a uint", src: "port: -1\n",
			want: []wantErr{{"f.yaml:1:7", "port", "-1 is out of range for this field"}}},
		{name: "negative float for a uint", src: "port: -2.0\n",
			want: []wantErr{{"f.yaml:1:7", "port", "-2.0 is out of range for this field"}}},
		{name: "uint64 overflow", src: "huge: 18446744073709551616\n",
			want: []wantErr{{"f.yaml:1:7", "huge", "18446744073709551616 is out of range for this field"}}},

		// floats
		{name: "string for a float", src: "ratio: high\n",
			want: []wantErr{{"f.yaml:1:8", "ratio", `expected a number, got the string "high"`}}},
		{name: "boolean for a float", src: "ratio: false\n",
			want: []wantErr{{"f.yaml:1:8", "ratio", "expected a number, got the boolean false"}}},
		{name: "mapping for a float", src: "ratio: {}\n",
			want: []wantErr{{"f.yaml:1:8", "ratio", "expected a number, got a mapping"}}},
		{name: "infinity", src: "ratio: .inf\n",
			want: []wantErr{{"f.yaml:1:8", "ratio", `".inf" is not a finite number`}}},
		{name: "negative infinity", src: "weight: -.Inf\n",
			want: []wantErr{{"f.yaml:1:9", "weight", `"-.Inf" is not a finite number`}}},
		{name: "not a number", src: "weight: .NaN\n",
			want: []wantErr{{"f.yaml:1:9", "weight", `".NaN" is not a finite number`}}},
		{name: "explicit float tag on nan", src: "weight: !!float nan\n",
			want: []wantErr{{"f.yaml:1:9", "weight", `"nan" is not a finite number`}}},
		{name: "float32 overflow", src: "ratio: 1e39\n",
			want: []wantErr{{"f.yaml:1:8", "ratio", "1e+39 is out of range for this field"}}},

		// booleans
		{name: "yes for a boolean", src: "enabled: yes\n",
			want: []wantErr{{"f.yaml:1:10", "enabled", `expected a boolean (true or false), got the string "yes"`}}},
		{name: "quoted boolean", src: "enabled: 'true'\n",
			want: []wantErr{{"f.yaml:1:10", "enabled", `expected a boolean (true or false), got the string "true"`}}},
		{name: "number for a boolean", src: "enabled: 1\n",
			want: []wantErr{{"f.yaml:1:10", "enabled", "expected a boolean (true or false), got the number 1"}}},
		{name: "list for a boolean", src: "enabled: [true]\n",
			want: []wantErr{{"f.yaml:1:10", "enabled", "expected a boolean (true or false), got a sequence"}}},
		{name: "explicit bool tag on yes", src: "enabled: !!bool yes\n",
			want: []wantErr{{"f.yaml:1:10", "enabled", `"yes" is not a boolean`}}},

		// lists and maps
		{name: "scalar for a list", src: "tags: a\n",
			want: []wantErr{{"f.yaml:1:7", "tags", `expected a list, got the string "a"`}}},
		{name: "mapping for a list", src: "vars: {name: a}\n",
			want: []wantErr{{"f.yaml:1:7", "vars", "expected a list, got a mapping"}}},
		{name: "scalar for a nested list", src: "matrix: [[1], 2]\n",
			want: []wantErr{{"f.yaml:1:15", "matrix[1]", "expected a list, got the number 2"}}},
		{name: "list for a map", src: "labels: [a]\n",
			want: []wantErr{{"f.yaml:1:9", "labels", "expected a mapping, got a sequence"}}},
		{name: "scalar for a map", src: "labels: a=b\n",
			want: []wantErr{{"f.yaml:1:9", "labels", `expected a mapping, got the string "a=b"`}}},
		{name: "scalar for a struct", src: "child: 5\n",
			want: []wantErr{{"f.yaml:1:8", "child", "expected a mapping, got the number 5"}}},
		{name: "wrong value under a named key type", src: "tiers: {dev: x}\n",
			want: []wantErr{{"f.yaml:1:14", "tiers[dev]", `expected an integer, got the string "x"`}}},
		{name: "base64 bytes", src: "data: aGk=\n",
			want: []wantErr{{"f.yaml:1:7", "data", "base64 byte fields are not supported here"}}},

		// Go types Decode cannot fill
		{name: "array", src: "arr: [1, 2]\n",
			want: []wantErr{{"f.yaml:1:6", "arr", "cannot decode into [2]int"}}},
		{name: "map with int keys", src: "intKeys: {1: a}\n",
			want: []wantErr{{"f.yaml:1:10", "intKeys", "cannot decode into map[int]string"}}},
		{name: "interface with methods", src: "stringer: x\n",
			want: []wantErr{{"f.yaml:1:11", "stringer", "cannot decode into fmt.Stringer"}}},

		// any: values JSON cannot hold are refused where they are
		{name: "infinity inside any", src: "extra: {a: [1, .inf]}\n",
			want: []wantErr{{"f.yaml:1:16", "extra[a][1]", `".inf" is not a finite number`}}},
		{name: "bad tagged scalars inside any", src: "extra:\n  b: !!bool yes\n  i: !!int x\n",
			want: []wantErr{{"f.yaml:2:6", "extra[b]", `"yes" is not a boolean`}, {"f.yaml:3:6", "extra[i]", `"x" is not an integer`}}},
		{name: "scalar any", src: "extra: .nan\n",
			want: []wantErr{{"f.yaml:1:8", "extra", `".nan" is not a finite number`}}},

		// several errors, in document order
		{name: "several errors", src: "name: 1\nreplicas: x\nvars:\n- name: [a]\n  bad: 1\nenabled: 0\n",
			want: []wantErr{
				{"f.yaml:1:7", "name", `expected a string, got the number 1; quote it: "1"`},
				{"f.yaml:2:11", "replicas", `expected an integer, got the string "x"`},
				{"f.yaml:4:9", "vars[0].name", "expected a string, got a sequence"},
				{"f.yaml:5:3", "vars[0].bad", `unknown field "bad"; known fields: name, value`},
				{"f.yaml:6:10", "enabled", "expected a boolean (true or false), got the number 0"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := mustParse(t, tt.src)
			var s spec
			err := Decode(root, &s)
			var l ErrorList
			if !errors.As(err, &l) {
				t.Fatalf("error is a %T, not an ErrorList: %v", err, err)
			}
			checkErrs(t, err, tt.want...)
			checkErrorPaths(t, root, l)
		})
	}
}

// checkErrorPaths asserts that each error's Path leads back, through
// Lookup or KeyPos, to the place the error names.
func checkErrorPaths(t *testing.T, root *Node, errs ErrorList) {
	t.Helper()
	for _, e := range errs {
		n, ok := root.Lookup(e.Path)
		kp, kok := root.KeyPos(e.Path)
		if !ok || !kok || (n.Pos != e.Pos && kp != e.Pos) {
			t.Errorf("path %q of %q leads to %s (%v) / key %s (%v), not %s", e.Path, e.Msg, n.Pos, ok, kp, kok, e.Pos)
		}
	}
}

func TestDecodeKubernetesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want wantErr
	}{
		{name: "bad duration", src: "spec:\n  interval: soon\n",
			want: wantErr{"f.yaml:2:13", "spec.interval", `time: invalid duration "soon"`}},
		{name: "number for a duration", src: "spec:\n  interval: 5\n",
			want: wantErr{"f.yaml:2:13", "spec.interval", "cannot unmarshal number into Go value of type string"}},
		{name: "date for a time", src: "spec:\n  since: 2024-01-02\n",
			want: wantErr{"f.yaml:2:10", "spec.since", `~parsing time "2024-01-02"`}},
		{name: "bad quantity", src: "spec:\n  memory: lots\n",
			want: wantErr{"f.yaml:2:11", "spec.memory", "~quantities must match the regular expression"}},
		{name: "bad quantity in a map", src: "spec:\n  Resources: {cpu: 1, mem: x}\n",
			want: wantErr{"f.yaml:2:28", "spec.Resources[mem]", "~quantities must match the regular expression"}},
		{name: "fraction for an int-or-string", src: "spec:\n  port: 1.5\n",
			want: wantErr{"f.yaml:2:9", "spec.port", "cannot unmarshal number 1.5 into Go value of type int32"}},
		{name: "list for an int-or-string", src: "spec:\n  ports: [1, [2]]\n",
			want: wantErr{"f.yaml:2:14", "spec.ports[1]", "cannot unmarshal array into Go value of type int32"}},
		{name: "infinity inside JSON", src: "spec:\n  values: {a: {b: -.inf}}\n",
			want: wantErr{"f.yaml:2:19", "spec.values[a][b]", `"-.inf" is not a finite number`}},
		{name: "unknown metadata field", src: "metadata: {nmae: x}\n",
			want: wantErr{"f.yaml:1:12", "metadata.nmae", `unknown field "nmae"; did you mean "name"?`}},
		{name: "number for an annotation", src: "metadata:\n  annotations:\n    fluxtf.io/rev: 3\n",
			want: wantErr{"f.yaml:3:20", "metadata.annotations[fluxtf.io/rev]", `expected a string, got the number 3; quote it: "3"`}},
		{name: "unknown inline field", src: "apiVersion: v1\nkinds: X\n",
			want: wantErr{"f.yaml:2:1", "kinds", `unknown field "kinds"; did you mean "kind"?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := mustParse(t, tt.src)
			var o k8sObject
			err := Decode(root, &o)
			checkErrs(t, err, tt.want)
			checkErrorPaths(t, root, AsList(err))
		})
	}
}

func TestDecodeKubernetesTypes(t *testing.T) {
	t.Parallel()
	src := `apiVersion: fluxtf.io/v1
kind: Environment
metadata:
  name: dev
  namespace: flux-system
  labels:
    fluxtf.io/tier: dev
  annotations: {note: "1"}
  creationTimestamp: 2024-01-02T03:04:05Z
spec:
  interval: 1m30s
  timeout: 5m
  since: 2024-01-02T03:04:05Z
  until: null
  values:
    replicas: 3
    nested: {list: [1, 2.5, x, null, true], big: 18446744073709551615}
  memory: 512Mi
  cpu: 0.5
  port: http
  ports: [8080, "9090", metrics]
  Resources: {cpu: 2, memory: 1Gi, gpu: 500m}
`
	var o k8sObject
	if err := Decode(mustParse(t, src), &o); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{name: "apiVersion", got: o.APIVersion, want: "fluxtf.io/v1"},
		{name: "kind", got: o.Kind, want: "Environment"},
		{name: "name", got: o.Name, want: "dev"},
		{name: "namespace", got: o.Namespace, want: "flux-system"},
		{name: "labels", got: o.Labels, want: map[string]string{"fluxtf.io/tier": "dev"}},
		{name: "annotations", got: o.Annotations, want: map[string]string{"note": "1"}},
		{name: "creationTimestamp", got: o.CreationTimestamp.UTC(), want: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{name: "interval", got: o.Spec.Interval.Duration, want: 90 * time.Second},
		{name: "timeout", got: o.Spec.Timeout.Duration, want: 5 * time.Minute},
		{name: "since", got: o.Spec.Since.UTC(), want: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{name: "until", got: o.Spec.Until, want: (*metav1.Time)(nil)},
		{name: "values", got: string(o.Spec.Values.Raw), want: `{"nested":{"big":18446744073709552000,"list":[1,2.5,"x",null,true]},"replicas":3}`},
		{name: "memory", got: o.Spec.Memory.String(), want: "512Mi"},
		{name: "cpu", got: o.Spec.CPU.String(), want: "500m"},
		{name: "port", got: o.Spec.Port, want: intstr.FromString("http")},
		{name: "ports", got: o.Spec.Ports, want: []intstr.IntOrString{intstr.FromInt32(8080), intstr.FromString("9090"), intstr.FromString("metrics")}},
		{name: "resources", got: fmt.Sprint(o.Spec.Resources), want: "map[cpu:{{2 0} {<nil>} 2 DecimalSI} gpu:{{500 -3} {<nil>} 500m DecimalSI} memory:{{1073741824 0} {<nil>} 1Gi BinarySI}]"},
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

func TestDecodeNullIntoUnmarshalers(t *testing.T) {
	t.Parallel()
	five := metav1.Duration{Duration: 5}
	tests := []struct {
		name  string
		src   string
		check func(s k8sSpec) bool
	}{
		{name: "null pointer duration stays nil", src: "timeout: ~\n", check: func(s k8sSpec) bool { return s.Timeout == nil }},
		{name: "null clears a preset pointer", src: "timeout: null\n", check: func(s k8sSpec) bool { return s.Timeout == nil }},
		{name: "null time is zero", src: "since: ~\n", check: func(s k8sSpec) bool { return s.Since.IsZero() }},
		{name: "null JSON pointer stays nil", src: "values: ~\n", check: func(s k8sSpec) bool { return s.Values == nil }},
		{name: "null quantity is zero", src: "memory: ~\n", check: func(s k8sSpec) bool { return s.Memory.IsZero() }},
		{name: "null int-or-string", src: "port: ~\n", check: func(s k8sSpec) bool { return s.Port == intstr.IntOrString{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := k8sSpec{Timeout: &five}
			if err := Decode(mustParse(t, tt.src), &s); err != nil {
				t.Fatal(err)
			}
			if !tt.check(s) {
				t.Errorf("got %+v", s)
			}
		})
	}
}

func TestDecodeScalars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		into any // a pointer to a zero value of the target type
		want any
	}{
		{name: "decimal", yaml: "42", into: new(int), want: 42},
		{name: "signed", yaml: "+42", into: new(int), want: 42},
		{name: "negative", yaml: "-42", into: new(int), want: -42},
		{name: "underscores", yaml: "1_000_000", into: new(int), want: 1000000},
		{name: "hex", yaml: "0x1F", into: new(int), want: 31},
		{name: "upper-case hex", yaml: "0X1F", into: new(int), want: 31},
		{name: "negative hex", yaml: "-0x10", into: new(int), want: -16},
		{name: "octal", yaml: "0o17", into: new(int), want: 15},
		{name: "YAML 1.1 octal, as go-yaml and kubectl read it", yaml: "0644", into: new(int32), want: int32(420)},
		{name: "binary", yaml: "0b101", into: new(int), want: 5},
		{name: "negative binary", yaml: "-0b101", into: new(int), want: -5},
		{name: "exponent int", yaml: "1e3", into: new(int), want: 1000},
		{name: "whole float to int", yaml: "2.0", into: new(int), want: 2},
		{name: "int64 min", yaml: "-9223372036854775808", into: new(int64), want: int64(math.MinInt64)},
		{name: "int64 max", yaml: "9223372036854775807", into: new(int64), want: int64(math.MaxInt64)},
		{name: "uint64 max", yaml: "18446744073709551615", into: new(uint64), want: uint64(math.MaxUint64)},
		{name: "uint64 hex max", yaml: "0xFFFFFFFFFFFFFFFF", into: new(uint64), want: uint64(math.MaxUint64)},
		{name: "uint8 max", yaml: "255", into: new(uint8), want: uint8(255)},
		{name: "negative zero for a uint", yaml: "-0", into: new(uint), want: uint(0)},
		{name: "float", yaml: "1.5", into: new(float64), want: 1.5},
		{name: "float exponent", yaml: "-2.5e-3", into: new(float64), want: -0.0025},
		{name: "int to float", yaml: "3", into: new(float64), want: 3.0},
		{name: "hex to float", yaml: "0x10", into: new(float64), want: 16.0},
		{name: "big int to float", yaml: "18446744073709551616", into: new(float64), want: 18446744073709551616.0},
		{name: "float32", yaml: "0.25", into: new(float32), want: float32(0.25)},
		{name: "float underscores", yaml: "1_000.5", into: new(float64), want: 1000.5},
		{name: "true", yaml: "true", into: new(bool), want: true},
		{name: "True", yaml: "True", into: new(bool), want: true},
		{name: "FALSE", yaml: "FALSE", into: new(bool), want: false},
		{name: "plain string", yaml: "hello world", into: new(string), want: "hello world"},
		{name: "quoted number", yaml: "'42'", into: new(string), want: "42"},
		{name: "quoted boolean", yaml: `"true"`, into: new(string), want: "true"},
		{name: "timestamp as string", yaml: "2024-01-02", into: new(string), want: "2024-01-02"},
		{name: "binary as its base64 text", yaml: "!!binary aGk=", into: new(string), want: "aGk="},
		{name: "literal block", yaml: "|\n  a\n  b\n", into: new(string), want: "a\nb\n"},
		{name: "folded block", yaml: ">-\n  a\n  b\n", into: new(string), want: "a b"},
		// YAML reads "! 12" as a string, but go-yaml drops the non-specific
		// tag while parsing and resolves the scalar as if it were plain
		{name: "non-specific tag (go-yaml limitation)", yaml: "! 12", into: new(int), want: 12},
		{name: "explicit str tag", yaml: "!!str 12", into: new(string), want: "12"},
		{name: "named string", yaml: "prod", into: new(tier), want: tier("prod")},
		{name: "text unmarshaler", yaml: "abc", into: new(lowerText), want: lowerText("abc")},
		{name: "raw JSON", yaml: "{a: [1, x]}", into: new(json.RawMessage), want: json.RawMessage(`{"a":[1,"x"]}`)},
		{name: "time via JSON", yaml: "2024-01-02T03:04:05Z", into: new(time.Time), want: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := Decode(mustParse(t, tt.yaml), tt.into); err != nil {
				t.Fatal(err)
			}
			if got := reflect.ValueOf(tt.into).Elem().Interface(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeStructs(t *testing.T) {
	t.Parallel()
	s := "x"
	sp := &s
	tests := []struct {
		name  string
		src   string
		start spec // defaults in place before Decode
		want  spec
	}{
		{name: "absent fields keep their defaults",
			src:   "name: web\n",
			start: spec{Name: "default", Replicas: 2, Tags: []string{"a"}},
			want:  spec{Name: "web", Replicas: 2, Tags: []string{"a"}}},
		{name: "lists replace",
			src:   "tags: [b]\n",
			start: spec{Tags: []string{"a", "c"}},
			want:  spec{Tags: []string{"b"}}},
		{name: "maps add to their defaults",
			src:   "labels: {b: '2'}\n",
			start: spec{Labels: map[string]string{"a": "1"}},
			want:  spec{Labels: map[string]string{"a": "1", "b": "2"}}},
		{name: "map values merge into defaults",
			src:   "children: {x: {b: new}}\n",
			start: spec{Children: map[string]*child{"x": {A: 1, B: "old"}}},
			want:  spec{Children: map[string]*child{"x": {A: 1, B: "new"}}}},
		{name: "pointer to struct fills its default",
			src:   "child: {b: two}\n",
			start: spec{Child: &child{A: 1}},
			want:  spec{Child: &child{A: 1, B: "two"}}},
		{name: "pointers allocate",
			src:  "ptr: 7\nptrPtr: x\nchild: {a: 1}\n",
			want: spec{Ptr: new(7), PtrPtr: &sp, Child: &child{A: 1}}},
		{name: "null zeroes scalars, and nils pointers, maps and lists",
			src:   "name: ~\nreplicas: null\nptr: ~\nlabels: ~\ntags: ~\nchild: ~\nextra: ~\n",
			start: spec{Name: "x", Replicas: 3, Ptr: new(1), Labels: map[string]string{"a": "b"}, Tags: []string{"a"}, Child: &child{}, Extra: 1},
			want:  spec{}},
		{name: "empty value is null",
			src:   "name:\nreplicas: 1\n",
			start: spec{Name: "x"},
			want:  spec{Replicas: 1}},
		{name: "empty collections",
			src:  "tags: []\nlabels: {}\nvars: []\n",
			want: spec{Tags: []string{}, Labels: map[string]string{}, Vars: []variable{}}},
		{name: "named string keys",
			src:  "tiers: {dev: 1, prod: 3}\n",
			want: spec{Tiers: map[tier]int{"dev": 1, "prod": 3}}},
		{name: "nested lists",
			src:  "matrix: [[1, 2], [], [3]]\n",
			want: spec{Matrix: [][]int{{1, 2}, {}, {3}}}},
		{name: "list of structs",
			src:  "vars:\n- name: a\n  value: '1'\n- {name: b}\n",
			want: spec{Vars: []variable{{Name: "a", Value: "1"}, {Name: "b"}}}},
		{name: "inline embedded struct",
			src:  "owner: me\nteam: core\n",
			want: spec{Common: Common{Owner: "me", Team: "core"}}},
		{name: "embedded pointer allocates; the outer field shadows it",
			src:  "name: outer\ndepth: 2\n",
			want: spec{Name: "outer", Shadow: &Shadow{Depth: 2}}},
		{name: "untagged field by its Go name",
			src:  "Untagged: yes\n",
			want: spec{Untagged: "yes"}},
		{name: "any takes plain values",
			src:  "extra: {i: 1, f: 1.5, s: x, b: true, n: ~, l: [1, a], big: 0x10}\n",
			want: spec{Extra: map[string]any{"i": int64(1), "f": 1.5, "s": "x", "b": true, "n": nil, "l": []any{int64(1), "a"}, "big": int64(16)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.start
			if err := Decode(mustParse(t, tt.src), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeAliasesAndMergeKeys(t *testing.T) {
	t.Parallel()
	src := "labels: &l {a: '1'}\n" +
		"children:\n" +
		"  base: &b {a: 1, b: x}\n" +
		"  more: {<<: *b, b: y}\n" +
		"name: &n web\n" +
		"tags: [*n, other]\n"
	var got spec
	if err := Decode(mustParse(t, src), &got); err != nil {
		t.Fatal(err)
	}
	want := spec{
		Labels:   map[string]string{"a": "1"},
		Children: map[string]*child{"base": {A: 1, B: "x"}, "more": {A: 1, B: "y"}},
		Name:     "web",
		Tags:     []string{"web", "other"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeMisc(t *testing.T) {
	t.Parallel()
	t.Run("nil node leaves the value alone", func(t *testing.T) {
		t.Parallel()
		s := spec{Name: "keep"}
		if err := Decode(nil, &s); err != nil || s.Name != "keep" {
			t.Errorf("got %v, %+v", err, s)
		}
	})
	t.Run("non-pointer", func(t *testing.T) {
		t.Parallel()
		err := Decode(mustParse(t, "a: 1"), spec{})
		if err == nil || err.Error() != "yamlx: Decode needs a non-nil pointer, got yamlx.spec" {
			t.Errorf("got %v", err)
		}
		if AsList(err) != nil {
			t.Errorf("a programming error is not an input error")
		}
	})
	t.Run("nil pointer", func(t *testing.T) {
		t.Parallel()
		if err := Decode(mustParse(t, "a: 1"), (*spec)(nil)); err == nil {
			t.Error("no error")
		}
	})
	t.Run("embedded pointer to an unexported struct", func(t *testing.T) {
		t.Parallel()
		root := mustParse(t, "name: x\nhidden: y\n")
		var w withHidden
		err := Decode(root, &w)
		checkErrs(t, err, wantErr{"f.yaml:2:1", "hidden", `cannot set field "hidden": it is inside an embedded pointer to an unexported struct type`})
		if w.Name != "x" {
			t.Errorf("other fields not decoded: %+v", w)
		}
	})
	t.Run("embedded pointer to an unexported struct already set", func(t *testing.T) {
		t.Parallel()
		w := withHidden{inner: &inner{}}
		if err := Decode(mustParse(t, "hidden: y\n"), &w); err != nil || w.Hidden != "y" {
			t.Errorf("got %v, %+v", err, w.inner)
		}
	})
	t.Run("at most 20 errors", func(t *testing.T) {
		t.Parallel()
		var b strings.Builder
		for i := range 30 {
			fmt.Fprintf(&b, "bad%d: 1\n", i)
		}
		err := Decode(mustParse(t, b.String()), &spec{})
		l := AsList(err)
		if len(l) != 20 {
			t.Fatalf("got %d errors, want 20", len(l))
		}
		if l[19].Pos.Line != 20 {
			t.Errorf("the 20 errors are not the first ones: last at %s", l[19].Pos)
		}
	})
	t.Run("into any", func(t *testing.T) {
		t.Parallel()
		var v any = "preset"
		if err := Decode(mustParse(t, "[1, x]"), &v); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v, []any{int64(1), "x"}) {
			t.Errorf("got %#v", v)
		}
	})
	t.Run("into a map of any", func(t *testing.T) {
		t.Parallel()
		var v map[string]any
		if err := Decode(mustParse(t, "a: {b: [1.5]}"), &v); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v, map[string]any{"a": map[string]any{"b": []any{1.5}}}) {
			t.Errorf("got %#v", v)
		}
	})
	t.Run("promoted UnmarshalJSON decodes the whole struct", func(t *testing.T) {
		t.Parallel()
		var v struct{ metav1.Time }
		if err := Decode(mustParse(t, "2024-01-02T03:04:05Z"), &v); err != nil {
			t.Fatal(err)
		}
		if v.Year() != 2024 {
			t.Errorf("got %v", v)
		}
	})
}

// TestScalarJSONIsMarshal holds the shortcut of Decode for json.Unmarshaler
// fields to what it stands for: json.Marshal of the scalar's value.
func TestScalarJSONIsMarshal(t *testing.T) {
	t.Parallel()
	values := []string{
		"", "15m", "10m0s", "dev-eks", "arn:aws:iam::210987654321:role/x", "a b", "1.29.0",
		"<b>", "a&b", `q"x`, `back\slash`, "tab\there", "nl\n", "caf\u00e9", "\u2028", "\xff", "~",
		"true", "True", "FALSE", "yes", "0", "-12", "0x1F", "0o17", "017", "1_000", "+5",
		"9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "1e3", ".inf", "null", "~",
	}
	tags := []string{TagStr, TagInt, TagFloat, TagBool, TagNull, TagTimestamp, "!custom"}
	shortcuts := 0
	for _, v := range values {
		for _, tag := range tags {
			n := &Node{Kind: ScalarNode, Tag: tag, Value: v}
			raw, ok := scalarJSON(n)
			if !ok {
				continue
			}
			shortcuts++
			x, err := scalarValue(n)
			if err != nil {
				t.Errorf("%s %q: shortcut %s for a value that does not decode: %v", tag, v, raw, err)
				continue
			}
			want, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			if string(raw) != string(want) {
				t.Errorf("%s %q: scalarJSON = %s, json.Marshal = %s", tag, v, raw, want)
			}
		}
	}
	if shortcuts < len(values) {
		t.Errorf("only %d shortcuts taken: the test no longer exercises scalarJSON", shortcuts)
	}
	for _, n := range []*Node{{Kind: MappingNode}, {Kind: SequenceNode}} {
		if _, ok := scalarJSON(n); ok {
			t.Errorf("scalarJSON took a %s", n.Kind)
		}
	}
}

// TestDecodeMapMergesRepeatedKeys: a tree made by hand may repeat a key
// (the parser refuses that); decoding into a map then merges the entries,
// as into a map given with entries, whether the map was made by Decode or
// not.
func TestDecodeMapMergesRepeatedKeys(t *testing.T) {
	t.Parallel()
	type xy struct {
		X int `json:"x"`
		Y int `json:"y"`
	}
	scalar := func(tag, v string) *Node { return &Node{Kind: ScalarNode, Tag: tag, Value: v} }
	mapping := func(kv ...*Node) *Node { return &Node{Kind: MappingNode, Tag: TagMap, Content: kv} }
	tree := mapping(
		scalar(TagStr, "b"), mapping(scalar(TagStr, "x"), scalar(TagInt, "1")),
		scalar(TagStr, "a"), mapping(scalar(TagStr, "x"), scalar(TagInt, "2")),
		scalar(TagStr, "b"), mapping(scalar(TagStr, "y"), scalar(TagInt, "3")),
	)
	tests := []struct {
		name string
		in   map[string]xy
		want map[string]xy
	}{
		{name: "made by Decode", want: map[string]xy{"a": {X: 2}, "b": {X: 1, Y: 3}}},
		{name: "given with an entry", in: map[string]xy{"a": {Y: 9}}, want: map[string]xy{"a": {X: 2, Y: 9}, "b": {X: 1, Y: 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := tc.in
			if err := Decode(tree, &out); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(out, tc.want) {
				t.Errorf("got %v, want %v", out, tc.want)
			}
		})
	}
}

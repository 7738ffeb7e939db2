package yamlx

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// blockNest returns n block mappings nested in one another, the innermost
// holding a scalar; mapping i (from 0) starts at line i+1, column i+1.
func blockNest(n int) string {
	var b strings.Builder
	for i := range n - 1 {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", n-1) + "k: x\n")
	return b.String()
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		lim  *Limits // DefaultLimits when nil
		want wantErr
	}{
		// duplicate keys
		{name: "duplicate key", src: "a: 1\nb: 2\na: 3\n",
			want: wantErr{"f.yaml:3:1", "a", `duplicate key "a" (first at line 1); remove one`}},
		{name: "duplicate key in a list item", src: "l:\n- n: 1\n- n: 2\n  n: 3\n",
			want: wantErr{"f.yaml:4:3", "l[1].n", `duplicate key "n" (first at line 3); remove one`}},
		{name: "duplicate dotted key", src: "metadata:\n  labels:\n    fluxtf.io/tier: a\n    fluxtf.io/tier: b\n",
			want: wantErr{"f.yaml:4:5", "metadata.labels[fluxtf.io/tier]", `duplicate key "fluxtf.io/tier" (first at line 3); remove one`}},
		{name: "duplicate key quoted and plain", src: "1: a\n'1': b\n",
			want: wantErr{"f.yaml:2:1", "1", `duplicate key "1" (first at line 1); remove one`}},
		{name: "duplicate key in flow mapping", src: "x: {a: 1, b: 2, a: 3}\n",
			want: wantErr{"f.yaml:1:17", "x.a", `duplicate key "a" (first at line 1); remove one`}},
		{name: "duplicate key inside an alias copy is found at the anchor", src: "a: &a {k: 1, k: 2}\nb: *a\n",
			want: wantErr{"f.yaml:1:14", "a.k", `duplicate key "k" (first at line 1); remove one`}},

		// tags
		{name: "custom tag on a scalar", src: "a: !foo x\n",
			want: wantErr{"f.yaml:1:4", "a", "unsupported YAML tag !foo; remove it"}},
		{name: "set tag on a mapping", src: "a: !!set {x: ~}\n",
			want: wantErr{"f.yaml:1:4", "a", "unsupported YAML tag !!set; remove it"}},
		{name: "custom tag on a sequence", src: "a:\n  - 1\n  - !seq [2]\n",
			want: wantErr{"f.yaml:3:5", "a[1]", "unsupported YAML tag !seq; remove it"}},
		{name: "custom tag on a key", src: "!k key: v\n",
			want: wantErr{"f.yaml:1:1", "key", "unsupported YAML tag !k; remove it"}},
		{name: "binary tag on a key", src: "!!binary aGk=: v\n",
			want: wantErr{"f.yaml:1:1", "aGk=", "unsupported YAML tag !!binary; remove it"}},
		{name: "custom tag on a merge list", src: "a: &a {x: 1}\nb: {<<: !l [*a]}\n",
			want: wantErr{"f.yaml:2:9", "b", "unsupported YAML tag !l; remove it"}},

		// keys
		{name: "null key", src: "a:\n  ~: v\n",
			want: wantErr{"f.yaml:2:3", "a", "mapping key is empty or null"}},
		{name: "empty key", src: "? \n: v\n",
			want: wantErr{"f.yaml:1:2", "", "mapping key is empty or null"}},
		{name: "sequence key", src: "? [a]\n: v\n",
			want: wantErr{"f.yaml:1:3", "", "mapping key must be a plain value, not a sequence"}},
		{name: "mapping key", src: "x:\n  ? {a: 1}\n  : v\n",
			want: wantErr{"f.yaml:2:5", "x", "mapping key must be a plain value, not a mapping"}},
		{name: "alias key", src: "a: &k x\n*k : y\n",
			want: wantErr{"f.yaml:2:1", "", "mapping key must be a plain value, not an alias"}},

		// aliases
		{name: "unknown anchor", src: "a: *x\n",
			want: wantErr{"f.yaml:1:4", "", "invalid YAML: unknown anchor 'x' referenced"}},
		{name: "unknown anchor after a line break", src: "- 1\r- *0",
			want: wantErr{"f.yaml:2:3", "", "invalid YAML: unknown anchor '0' referenced"}},
		{name: "unknown anchor as a key", src: "a: 1\n*000: 2\n",
			want: wantErr{"f.yaml:2:1", "", "invalid YAML: unknown anchor '000' referenced"}},
		{name: "unknown anchor in a flow sequence", src: "a: [x, '*y', *y]\n",
			want: wantErr{"f.yaml:1:14", "", "invalid YAML: unknown anchor 'y' referenced"}},
		{name: "sequence containing its own alias", src: "a: &a [1, *a]\n",
			want: wantErr{"f.yaml:1:11", "a[1]", "alias *a is used inside the value of its own anchor; a value cannot contain itself"}},
		{name: "mapping containing its own alias", src: "a: &a\n  b:\n    c: *a\n",
			want: wantErr{"f.yaml:3:8", "a.b.c", "alias *a is used inside the value of its own anchor; a value cannot contain itself"}},
		{name: "mapping merging itself", src: "a: &a {x: 1, <<: *a}\n",
			want: wantErr{"f.yaml:1:18", "a", "alias *a is used inside the value of its own anchor; a value cannot contain itself"}},
		{name: "mapping merging itself through a list", src: "a: &a {<<: [*a]}\n",
			want: wantErr{"f.yaml:1:13", "a", "alias *a is used inside the value of its own anchor; a value cannot contain itself"}},
		{name: "merge list containing a merge of itself", src: "a: {<<: &l [{<<: *l}]}\n",
			want: wantErr{"f.yaml:1:18", "a", "alias *l is used inside the value of its own anchor; a value cannot contain itself"}},
		{name: "self reference with no limits at all", src: "a: &a [*a]\n", lim: &Limits{},
			want: wantErr{"f.yaml:1:8", "a[0]", "alias *a is used inside the value of its own anchor; a value cannot contain itself"}},
		{name: "self merge with no alias budget", src: "a: &a {<<: *a}\n", lim: &Limits{MaxDepth: 64},
			want: wantErr{"f.yaml:1:12", "a", "alias *a is used inside the value of its own anchor; a value cannot contain itself"}},
		{name: "alias to an anchor of an earlier document", src: "a: &a [1]\n---\nb: *a\n",
			want: wantErr{"f.yaml:3:4", "b", "alias *a refers to an anchor of an earlier document; anchors do not carry over between documents"}},
		{name: "merge of an anchor of an earlier document", src: "a: &a {x: 1}\n---\nb: {<<: *a}\n",
			want: wantErr{"f.yaml:3:9", "b", "alias *a refers to an anchor of an earlier document; anchors do not carry over between documents"}},

		// merge keys
		{name: "merge of a scalar", src: "a: {<<: 1}\n",
			want: wantErr{"f.yaml:1:9", "a", "merge key << needs a mapping or a list of mappings"}},
		{name: "merge of an alias to a scalar", src: "s: &s 1\na: {<<: *s}\n",
			want: wantErr{"f.yaml:2:9", "a", "merge key << needs a mapping or a list of mappings"}},
		{name: "merge list holding a scalar", src: "m: &m {x: 1}\na: {<<: [*m, 2]}\n",
			want: wantErr{"f.yaml:2:14", "a", "merge key << needs a mapping or a list of mappings"}},
		{name: "merge list holding a list", src: "a: {<<: [[1]]}\n",
			want: wantErr{"f.yaml:1:10", "a", "merge key << needs a mapping or a list of mappings"}},
		{name: "merge of null", src: "a: {<<: ~}\n",
			want: wantErr{"f.yaml:1:9", "a", "merge key << needs a mapping or a list of mappings"}},
		{name: "duplicate key inside a merged mapping", src: "a: {<<: {x: 1, x: 2}}\n",
			want: wantErr{"f.yaml:1:16", "a.x", `duplicate key "x" (first at line 1); remove one`}},

		// nesting, counted in collections: MaxDepth of them may nest
		{name: "flow sequences one too deep", src: nested(65, "[", "]", ""),
			want: wantErr{"f.yaml:1:65", strings.Repeat("[0]", 64), "nested more than 64 levels deep; flatten the document"}},
		{name: "flow sequences one too deep around a scalar", src: nested(65, "[", "]", "x"),
			want: wantErr{"f.yaml:1:65", strings.Repeat("[0]", 64), "nested more than 64 levels deep; flatten the document"}},
		{name: "flow mappings one too deep", src: nested(65, "{a: ", "}", "x"),
			want: wantErr{"f.yaml:1:257", strings.Repeat("a.", 63) + "a", "nested more than 64 levels deep; flatten the document"}},
		{name: "block mappings one too deep", src: blockNest(65),
			want: wantErr{"f.yaml:65:65", strings.Repeat("k.", 63) + "k", "nested more than 64 levels deep; flatten the document"}},
		{name: "block sequences one too deep", src: strings.Repeat("- ", 65) + "x\n",
			want: wantErr{"f.yaml:1:129", strings.Repeat("[0]", 64), "nested more than 64 levels deep; flatten the document"}},
		// the root mapping, 5 lists at b and 59 of a's 60 make 65
		{name: "deep through an alias", src: "a: &a " + nested(60, "[", "]", "") + "\nb: " + nested(5, "[", "]", "*a") + "\n",
			want: wantErr{"f.yaml:1:65", "b" + strings.Repeat("[0]", 63), "nested more than 64 levels deep; flatten the document"}},
		{name: "small MaxDepth", src: "a: {b: {c: 1}}\n", lim: &Limits{MaxDepth: 2},
			want: wantErr{"f.yaml:1:8", "a.b", "nested more than 2 levels deep; flatten the document"}},
		{name: "go-yaml's own depth limit", src: nested(10001, "[", "]", ""), lim: &Limits{},
			want: wantErr{"f.yaml:1", "", "invalid YAML: exceeded max depth of 10000"}},

		// alias budget
		{name: "alias budget", src: "a: &a [1, 2, 3]\nb: [*a, *a]\n", lim: &Limits{MaxAliasNodes: 7},
			want: wantErr{"f.yaml:1:14", "b[1][2]", "aliases expand to more than 7 values (an alias bomb?); refusing to read it"}},
		{name: "alias budget counts keys", src: "a: &a {x: 1, y: 2}\nb: *a\nc: *a\n", lim: &Limits{MaxAliasNodes: 9},
			want: wantErr{"f.yaml:1:17", "c.y", "aliases expand to more than 9 values (an alias bomb?); refusing to read it"}},
		{name: "alias budget counts lists merged through an alias", src: "l: &l [{a: 1, b: 2}]\nm1: {<<: *l}\nm2: {<<: *l}\n", lim: &Limits{MaxAliasNodes: 10},
			want: wantErr{"f.yaml:1:15", "m2.b", "aliases expand to more than 10 values (an alias bomb?); refusing to read it"}},
		{name: "alias budget spans documents", src: "a: &a [1, 2, 3]\nb: *a\n---\na: &a [1, 2, 3]\nb: *a\n", lim: &Limits{MaxAliasNodes: 6},
			want: wantErr{"f.yaml:4:11", "b[1]", "aliases expand to more than 6 values (an alias bomb?); refusing to read it"}},

		// text
		{name: "NUL byte", src: "a: b\nc: d\x00\n",
			want: wantErr{"f.yaml:2:5", "", "binary content (NUL byte); this is not a YAML text file"}},
		{name: "invalid UTF-8", src: "a: é\xff\n",
			want: wantErr{"f.yaml:1:5", "", "invalid UTF-8 (byte 0xff); save the file as UTF-8"}},
		{name: "invalid UTF-8 after CRLF lines", src: "x: 1\r\ny: 日本\r\nz: \xc3(\r\n",
			want: wantErr{"f.yaml:3:4", "", "invalid UTF-8 (byte 0xc3); save the file as UTF-8"}},
		{name: "truncated UTF-8 at the end", src: "a: \xe6\x97",
			want: wantErr{"f.yaml:1:4", "", "invalid UTF-8 (byte 0xe6); save the file as UTF-8"}},
		{name: "UTF-8 encoded surrogate", src: "a: \xed\xa0\x80\n",
			want: wantErr{"f.yaml:1:4", "", "invalid UTF-8 (byte 0xed); save the file as UTF-8"}},
		{name: "UTF-16 little endian", src: "\xff\xfea\x00:\x00",
			want: wantErr{"f.yaml:1:1", "", "file is UTF-16; save it as UTF-8"}},
		{name: "UTF-16 big endian", src: "\xfe\xff\x00a\x00:",
			want: wantErr{"f.yaml:1:1", "", "file is UTF-16; save it as UTF-8"}},
		{name: "UTF-16 without a byte order mark", src: "a\x00:\x00 \x001\x00",
			want: wantErr{"f.yaml:1:2", "", "binary content (NUL byte); this is not a YAML text file"}},
		{name: "control character", src: "a: 1\nb: x\x07y\n",
			want: wantErr{"f.yaml:2:5", "", "control character U+0007 is not allowed in YAML; remove it"}},
		{name: "DEL", src: "a: \x7f\n",
			want: wantErr{"f.yaml:1:4", "", "control character U+007F is not allowed in YAML; remove it"}},
		{name: "C1 control", src: "a: é\u0080\n",
			want: wantErr{"f.yaml:1:5", "", "control character U+0080 is not allowed in YAML; remove it"}},
		{name: "noncharacter U+FFFE", src: "a: \ufffe\n",
			want: wantErr{"f.yaml:1:4", "", "control character U+FFFE is not allowed in YAML; remove it"}},
		{name: "control character after a byte order mark", src: "\ufeffa: \x01\n",
			want: wantErr{"f.yaml:1:4", "", "control character U+0001 is not allowed in YAML; remove it"}},
		{name: "control character after a lone CR", src: "a: 1\rb: \x01\n",
			want: wantErr{"f.yaml:2:4", "", "control character U+0001 is not allowed in YAML; remove it"}},
		{name: "over MaxBytes", src: "a: 12345678\n", lim: &Limits{MaxBytes: 10},
			want: wantErr{"f.yaml", "", "file is 12 bytes, over the 10 bytes limit; split it or check it is the right file"}},

		// go-yaml syntax errors, with go-yaml's lines made 1-based
		{name: "scanner error on line 1", src: "a: b: c\n",
			want: wantErr{"f.yaml:1", "", "invalid YAML: mapping values are not allowed in this context"}},
		{name: "scanner error on line 3", src: "x: 1\ny: 2\na: b: c\n",
			want: wantErr{"f.yaml:3", "", "invalid YAML: mapping values are not allowed in this context"}},
		{name: "tab indentation", src: "x: 1\ny:\n\t- a\n",
			want: wantErr{"f.yaml:3", "", "invalid YAML: found character that cannot start any token"}},
		{name: "unterminated quote", src: "a: 'b\n",
			want: wantErr{"f.yaml:2", "", "invalid YAML: found unexpected end of stream"}},
		{name: "unknown escape", src: "x: 1\nkey: \"\\q\"\n",
			want: wantErr{"f.yaml:2", "", "invalid YAML: found unknown escape character"}},
		{name: "unclosed flow mapping without a final line break", src: "{",
			want: wantErr{"f.yaml:1", "", "invalid YAML: did not find expected node content"}},
		{name: "unclosed flow sequence at the end", src: "a: 1\nb: [",
			want: wantErr{"f.yaml:2", "", "invalid YAML: did not find expected node content"}},
		{name: "parser error on line 1", src: "a: [1, 2\n",
			want: wantErr{"f.yaml:2", "", "invalid YAML: did not find expected ',' or ']'"}},
		{name: "unclosed flow sequence on line 3", src: "x: 1\ny: 2\na: [1, 2\n",
			want: wantErr{"f.yaml:3", "", "invalid YAML: did not find expected ',' or ']'"}},
		{name: "bad indentation", src: "x: 1\ny:\n  - a\n b: 2\n",
			want: wantErr{"f.yaml:4", "", "invalid YAML: did not find expected key"}},
		{name: "list item after a mapping", src: "x: 1\n- y\n",
			want: wantErr{"f.yaml:2", "", "invalid YAML: did not find expected key"}},
		{name: "error in a later document", src: "a: 1\nb: 2\n---\n]\n",
			want: wantErr{"f.yaml:4", "", "invalid YAML: did not find expected node content"}},
		{name: "undefined tag handle", src: "!x!y a\n",
			want: wantErr{"f.yaml:1", "", "invalid YAML: found undefined tag handle"}},
		{name: "incompatible YAML version", src: "%YAML 2.0\n---\na\n",
			want: wantErr{"f.yaml:1", "", "invalid YAML: found incompatible YAML document"}},
		{name: "duplicate YAML directive", src: "%YAML 1.1\n%YAML 1.1\n---\na\n",
			want: wantErr{"f.yaml:2", "", "invalid YAML: found duplicate %YAML directive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lim := DefaultLimits
			if tt.lim != nil {
				lim = *tt.lim
			}
			docs, err := Parse(testFile, []byte(tt.src), lim)
			if docs != nil {
				t.Errorf("got %d documents with the error, want none", len(docs))
			}
			var e *Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("error is a %T, not an *Error: %v", err, err)
			}
			checkErrs(t, err, tt.want)
		})
	}
}

// TestParseLimitsBoundaries checks that what is just inside a limit parses.
func TestParseLimitsBoundaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		lim  Limits
	}{
		{name: "64 flow sequences", src: nested(64, "[", "]", ""), lim: DefaultLimits},
		{name: "64 flow sequences around a scalar", src: nested(64, "[", "]", "x"), lim: DefaultLimits},
		{name: "64 block mappings", src: blockNest(64), lim: DefaultLimits},
		{name: "64 block sequences", src: strings.Repeat("- ", 64) + "x\n", lim: DefaultLimits},
		{name: "deep alias within the limit", src: "a: &a " + nested(60, "[", "]", "") + "\nb: " + nested(3, "[", "]", "*a") + "\n", lim: DefaultLimits},
		{name: "non-specific tag", src: "a: ! 1\n", lim: DefaultLimits},
		{name: "no depth limit", src: nested(5000, "[", "]", ""), lim: Limits{}},
		{name: "alias budget exactly spent", src: "a: &a [1, 2, 3]\nb: [*a, *a]\n", lim: Limits{MaxAliasNodes: 8}},
		{name: "exactly MaxBytes", src: "a: 1234567\n", lim: Limits{MaxBytes: 11}},
		{name: "same anchor name in two documents", src: "a: &a [1]\nb: *a\n---\na: &a [2]\nb: *a\n", lim: DefaultLimits},
		{name: "anchor redefined", src: "a: &x 1\nb: &x 2\nc: *x\n", lim: DefaultLimits},
		{name: "alias to a key's anchor", src: "&k key: 1\nv: *k\n", lim: DefaultLimits},
		{name: "alias to an anchor inside a merge list", src: "m: {<<: &l [{x: 1}]}\nn: *l\n", lim: DefaultLimits},
		{name: "alias to an anchor inside an alias target", src: "a: &a {b: &b 1, c: *b}\nd: *a\ne: *b\n", lim: DefaultLimits},
		{name: "allowed characters", src: "a: \"tab\tnel\u0085nbsp\u00a0\ue000\ufffd\U0001F600\"\n", lim: DefaultLimits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse(testFile, []byte(tt.src), tt.lim); err != nil {
				t.Fatalf("Parse: %v", err)
			}
		})
	}
}

func TestParseDocuments(t *testing.T) {
	t.Parallel()
	type doc struct {
		pos  string
		root string // ToAny of the root, printed; "" for an empty document
	}
	tests := []struct {
		name string
		src  string
		want []doc
	}{
		{name: "empty file", src: "", want: nil},
		{name: "only whitespace", src: "\n  \n\n", want: nil},
		{name: "only comments", src: "# a comment\n  # another\n", want: nil},
		{name: "byte order mark only", src: "\ufeff", want: nil},
		{name: "one scalar", src: "hello\n", want: []doc{{"f.yaml:1:1", "hello"}}},
		{name: "explicit null document", src: "--- ~\n", want: []doc{{"f.yaml:1:1", ""}}},
		{name: "two empty documents", src: "---\n---\n", want: []doc{{"f.yaml:1:1", ""}, {"f.yaml:2:1", ""}}},
		{name: "document of a comment", src: "---\n# only a comment\n", want: []doc{{"f.yaml:1:1", ""}}},
		{name: "mixed stream", src: "a: 1\n---\n# c\nb: 2\n--- \n...\n---\nc\n",
			want: []doc{{"f.yaml:1:1", "map[a:1]"}, {"f.yaml:4:1", "map[b:2]"}, {"f.yaml:5:1", ""}, {"f.yaml:8:1", "c"}}},
		{name: "document end markers", src: "a: 1\n...\n---\nb: 2\n...\n", want: []doc{{"f.yaml:1:1", "map[a:1]"}, {"f.yaml:4:1", "map[b:2]"}}},
		{name: "leading comment and indentation", src: "# head\n\n  key: v\n", want: []doc{{"f.yaml:3:3", "map[key:v]"}}},
		{name: "byte order mark", src: "\ufeffa: 1\n", want: []doc{{"f.yaml:1:1", "map[a:1]"}}},
		{name: "CRLF line ends", src: "a: 1\r\n---\r\nb: 2\r\n", want: []doc{{"f.yaml:1:1", "map[a:1]"}, {"f.yaml:3:1", "map[b:2]"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, err := Parse(testFile, []byte(tt.src), DefaultLimits)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(docs) != len(tt.want) {
				t.Fatalf("got %d documents, want %d", len(docs), len(tt.want))
			}
			for i, d := range docs {
				if d.Index != i {
					t.Errorf("doc %d: Index %d", i, d.Index)
				}
				if got := d.Pos.String(); got != tt.want[i].pos {
					t.Errorf("doc %d: Pos %s, want %s", i, got, tt.want[i].pos)
				}
				root := ""
				if d.Root != nil {
					root = fmt.Sprint(d.Root.ToAny())
				}
				if root != tt.want[i].root {
					t.Errorf("doc %d: root %q, want %q", i, root, tt.want[i].root)
				}
			}
		})
	}
}

func TestParsePositions(t *testing.T) {
	t.Parallel()
	src := "# comment\n" + // 1
		"apiVersion: v1\n" + // 2
		"spec:\n" + // 3
		"  name: \"quoted\"\n" + // 4
		"  日本: 'x'\n" + // 5: columns count characters
		"  vars:\n" + // 6
		"  - name: a\n" + // 7
		"    value: 1\n" + // 8
		"  - {name: b, value: [1, 2]}\n" + // 9
		"  text: |\n" + // 10
		"    line\n" + // 11
		"  alias: &anch {k: v}\n" + // 12
		"  copy: *anch\n" // 13
	root := mustParse(t, src)
	tests := []struct {
		path   string
		pos    string
		keyPos string
		kind   Kind
		tag    string
		quoted bool
	}{
		{path: "apiVersion", pos: "f.yaml:2:13", keyPos: "f.yaml:2:1", kind: ScalarNode, tag: TagStr},
		{path: "spec", pos: "f.yaml:4:3", keyPos: "f.yaml:3:1", kind: MappingNode, tag: TagMap},
		{path: "spec.name", pos: "f.yaml:4:9", keyPos: "f.yaml:4:3", kind: ScalarNode, tag: TagStr, quoted: true},
		{path: "spec.日本", pos: "f.yaml:5:7", keyPos: "f.yaml:5:3", kind: ScalarNode, tag: TagStr, quoted: true},
		{path: "spec.vars", pos: "f.yaml:7:3", keyPos: "f.yaml:6:3", kind: SequenceNode, tag: TagSeq},
		{path: "spec.vars[0]", pos: "f.yaml:7:5", keyPos: "f.yaml:7:5", kind: MappingNode, tag: TagMap},
		{path: "spec.vars[0].value", pos: "f.yaml:8:12", keyPos: "f.yaml:8:5", kind: ScalarNode, tag: TagInt},
		{path: "spec.vars[1].name", pos: "f.yaml:9:12", keyPos: "f.yaml:9:6", kind: ScalarNode, tag: TagStr},
		{path: "spec.vars[1].value[1]", pos: "f.yaml:9:26", keyPos: "f.yaml:9:26", kind: ScalarNode, tag: TagInt},
		{path: "spec.text", pos: "f.yaml:10:9", keyPos: "f.yaml:10:3", kind: ScalarNode, tag: TagStr, quoted: true},
		{path: "spec.alias.k", pos: "f.yaml:12:20", keyPos: "f.yaml:12:17", kind: ScalarNode, tag: TagStr},
		// an alias copy keeps the positions of its anchor's values; go-yaml
		// places an anchored value at its anchor
		{path: "spec.alias", pos: "f.yaml:12:10", keyPos: "f.yaml:12:3", kind: MappingNode, tag: TagMap},
		{path: "spec.copy", pos: "f.yaml:12:10", keyPos: "f.yaml:13:3", kind: MappingNode, tag: TagMap},
		{path: "spec.copy.k", pos: "f.yaml:12:20", keyPos: "f.yaml:12:17", kind: ScalarNode, tag: TagStr},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			n, ok := root.Lookup(tt.path)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", tt.path)
			}
			if got := n.Pos.String(); got != tt.pos {
				t.Errorf("Pos %s, want %s", got, tt.pos)
			}
			if kp, ok := root.KeyPos(tt.path); !ok || kp.String() != tt.keyPos {
				t.Errorf("KeyPos %s %v, want %s", kp, ok, tt.keyPos)
			}
			if n.Kind != tt.kind || n.Tag != tt.tag || n.Quoted != tt.quoted {
				t.Errorf("got %s %s quoted=%v, want %s %s quoted=%v", n.Kind, n.Tag, n.Quoted, tt.kind, tt.tag, tt.quoted)
			}
		})
	}
	// an alias copy is a copy: changing it leaves the anchor's value alone
	a, _ := root.Lookup("spec.alias.k")
	c, _ := root.Lookup("spec.copy.k")
	if a == c {
		t.Error("alias copy shares nodes with its anchor")
	}
}

// TestEndOfFilePositions checks that an empty value at the end of a file
// without a final line break is placed at the end of the last line, not on
// a line the file does not have.
func TestEndOfFilePositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		path string
		want string
	}{
		{name: "explicit key", src: "? 0", path: "0", want: "f.yaml:1:4"},
		{name: "explicit key with a final line break", src: "? 0\n", path: "0", want: "f.yaml:2:1"},
		{name: "empty value", src: "a: 1\nb:", path: "b", want: "f.yaml:2:3"},
		{name: "after multibyte text", src: "é: 1\n? ü", path: "ü", want: "f.yaml:2:4"},
		{name: "empty list item", src: "l:\n- x\n-", path: "l[1]", want: "f.yaml:3:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, ok := mustParse(t, tt.src).Lookup(tt.path)
			if !ok || !n.IsNull() {
				t.Fatalf("Lookup(%q) = %v, %v; want a null", tt.path, n, ok)
			}
			if got := n.Pos.String(); got != tt.want {
				t.Errorf("at %s, want %s", got, tt.want)
			}
		})
	}
}

// TestPosOfOffsetMatchesGoYAML checks that the places CheckText and
// checkChars report are counted the way go-yaml counts node positions.
func TestPosOfOffsetMatchesGoYAML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string // holds one scalar "Z"
		want string
	}{
		{name: "first line", src: "a: Z\n", want: "f.yaml:1:4"},
		{name: "multibyte before", src: "é日😀: Z\n", want: "f.yaml:1:6"},
		{name: "LF", src: "a: 1\nb: Z\n", want: "f.yaml:2:4"},
		{name: "CRLF", src: "a: 1\r\nb: 1\r\nc: Z\r\n", want: "f.yaml:3:4"},
		{name: "lone CR", src: "a: 1\rb: Z\r", want: "f.yaml:2:4"},
		{name: "NEL", src: "a: 1\u0085b: Z\n", want: "f.yaml:2:4"},
		{name: "line separator", src: "a: 1\u2028b: Z\n", want: "f.yaml:2:4"},
		{name: "paragraph separator", src: "a: 1\u2029b: Z\n", want: "f.yaml:2:4"},
		{name: "byte order mark", src: "\ufeffa: Z\n", want: "f.yaml:1:4"},
		{name: "byte order mark then LF", src: "\ufeffx: 1\na: Z\n", want: "f.yaml:2:4"},
		{name: "tab", src: "a:\tZ\n", want: "f.yaml:1:4"},
		{name: "after a comment", src: "# 日本語\nkey: Z\n", want: "f.yaml:2:6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := mustParse(t, tt.src)
			var z *Node
			walkNodes(root, func(n *Node, _ int) {
				if n.Value == "Z" {
					z = n
				}
			})
			if z == nil {
				t.Fatal("no Z scalar")
			}
			if got := z.Pos.String(); got != tt.want {
				t.Errorf("go-yaml says %s, want %s", got, tt.want)
			}
			off := strings.IndexByte(tt.src, 'Z')
			if got := posOfOffset(testFile, []byte(tt.src), off).String(); got != tt.want {
				t.Errorf("posOfOffset says %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want string // Error(), or "" for none
	}{
		{name: "empty", data: "", want: ""},
		{name: "ASCII", data: "a: b\n", want: ""},
		{name: "UTF-8", data: "ключ: 値 😀\n", want: ""},
		{name: "UTF-8 byte order mark", data: "\ufeffa: b", want: ""},
		{name: "NUL first", data: "\x00", want: "x.yaml:1:1: binary content (NUL byte); this is not a YAML text file"},
		{name: "NUL on line 3", data: "a\nb\ncc\x00", want: "x.yaml:3:3: binary content (NUL byte); this is not a YAML text file"},
		{name: "NUL before bad UTF-8", data: "\xff\x00", want: "x.yaml:1:2: binary content (NUL byte); this is not a YAML text file"},
		{name: "lone continuation byte", data: "a\n\x80", want: "x.yaml:2:1: invalid UTF-8 (byte 0x80); save the file as UTF-8"},
		{name: "overlong encoding", data: "ab\xc0\xaf", want: "x.yaml:1:3: invalid UTF-8 (byte 0xc0); save the file as UTF-8"},
		{name: "UTF-16LE", data: "\xff\xfe", want: "x.yaml:1:1: file is UTF-16; save it as UTF-8"},
		{name: "UTF-16BE", data: "\xfe\xff", want: "x.yaml:1:1: file is UTF-16; save it as UTF-8"},
		{name: "UTF-32LE", data: "\xff\xfe\x00\x00", want: "x.yaml:1:1: file is UTF-16; save it as UTF-8"},
		{name: "UTF-32BE", data: "\x00\x00\xfe\xff", want: "x.yaml:1:1: binary content (NUL byte); this is not a YAML text file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckText("x.yaml", []byte(tt.data))
			got := ""
			if err != nil {
				got = err.Error()
				var e *Error
				if !errors.As(err, &e) {
					t.Errorf("error is a %T", err)
				}
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseErrLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  string
		want string
	}{
		{name: "scanner error with a line", err: "yaml: line 3: mapping values are not allowed in this context", want: "x:3: invalid YAML: mapping values are not allowed in this context"},
		{name: "scanner error on line 1", err: "yaml: mapping values are not allowed in this context", want: "x:1: invalid YAML: mapping values are not allowed in this context"},
		{name: "parser error with a line", err: "yaml: line 3: did not find expected key", want: "x:4: invalid YAML: did not find expected key"},
		{name: "parser error on line 1", err: "yaml: did not find expected node content", want: "x:1: invalid YAML: did not find expected node content"},
		{name: "unknown anchor", err: "yaml: unknown anchor 'a' referenced", want: "x: invalid YAML: unknown anchor 'a' referenced"},
		{name: "reader error", err: "yaml: control characters are not allowed", want: "x: invalid YAML: control characters are not allowed"},
		{name: "recovered panic", err: "yaml: parser failure: boom", want: "x: invalid YAML: parser failure: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := parseErr("x", errors.New(tt.err)).Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMergeKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		src      string // the mapping under test is at key m
		wantKeys []string
		want     string // fmt of m.ToAny()
		posOf    map[string]string
	}{
		{name: "single source", src: "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
			wantKeys: []string{"y", "x"}, want: "map[x:1 y:3]",
			posOf: map[string]string{"x": "f.yaml:1:14", "y": "f.yaml:4:6"}},
		{name: "list: earlier sources win, explicit keys win", src: "a: &a {x: a1, y: a2}\nb: &b {y: b2, z: b3, w: b4}\nm: {<<: [*a, *b], z: m3}\n",
			wantKeys: []string{"z", "x", "y", "w"}, want: "map[w:b4 x:a1 y:a2 z:m3]",
			posOf: map[string]string{"x": "f.yaml:1:11", "y": "f.yaml:1:18", "z": "f.yaml:3:22", "w": "f.yaml:2:25"}},
		{name: "explicit key before the merge key still wins", src: "a: &a {x: 1}\nm: {x: 2, <<: *a}\n",
			wantKeys: []string{"x"}, want: "map[x:2]"},
		{name: "inline source", src: "m: {<<: {x: 1, y: 1}, x: 2}\n",
			wantKeys: []string{"x", "y"}, want: "map[x:2 y:1]"},
		{name: "inline list of sources", src: "m: {<<: [{x: 1}, {x: 2, y: 2}]}\n",
			wantKeys: []string{"x", "y"}, want: "map[x:1 y:2]"},
		{name: "aliased list of sources", src: "ls: &ls [{x: 1}, {x: 2, y: 2}]\nm: {<<: *ls}\n",
			wantKeys: []string{"x", "y"}, want: "map[x:1 y:2]"},
		{name: "two merge keys: the first wins", src: "m:\n  <<: {x: 1}\n  <<: {x: 2, y: 2}\n",
			wantKeys: []string{"x", "y"}, want: "map[x:1 y:2]"},
		{name: "nested merges", src: "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nm: {<<: *b, z: 3}\n",
			wantKeys: []string{"z", "y", "x"}, want: "map[x:1 y:2 z:3]"},
		{name: "merged values are merged shallowly", src: "a: &a {x: {p: 1, q: 1}}\nm: {<<: *a, x: {q: 2}}\n",
			wantKeys: []string{"x"}, want: "map[x:map[q:2]]"},
		{name: "quoted << is an ordinary key", src: "m: {'<<': {x: 1}}\n",
			wantKeys: []string{"<<"}, want: "map[<<:map[x:1]]"},
		{name: "empty source", src: "m: {<<: {}, x: 1}\n",
			wantKeys: []string{"x"}, want: "map[x:1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := mustParse(t, tt.src).Get("m")
			if got := m.Keys(); strings.Join(got, ",") != strings.Join(tt.wantKeys, ",") {
				t.Errorf("keys %q, want %q", got, tt.wantKeys)
			}
			if got := fmt.Sprint(m.ToAny()); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			for k, pos := range tt.posOf {
				if got := m.Get(k).Pos.String(); got != pos {
					t.Errorf("%s at %s, want %s", k, got, pos)
				}
			}
		})
	}
}

// allocsDuring returns the bytes allocated by fn. Tests that call it do not
// run in parallel, so nothing else allocates meanwhile.
func allocsDuring(fn func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

// TestAliasBombs checks that inputs which expand to billions of values fail
// with the alias error quickly and with bounded memory. Not parallel: it
// measures allocation.
func TestAliasBombs(t *testing.T) { //nolint:paralleltest // measures allocation
	var mergeBomb strings.Builder // one list of 1000 keys merged 2000 times
	mergeBomb.WriteString("l: &l [{")
	for i := range 1000 {
		fmt.Fprintf(&mergeBomb, "k%d: 1, ", i)
	}
	mergeBomb.WriteString("}]\nm:\n")
	for range 2000 {
		mergeBomb.WriteString("- <<: *l\n")
	}
	// 11,219 copied values per document: each document alone is far
	// within the budget, nine of them are not
	underBudget := "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	tests := []struct {
		name string
		src  string
		want wantErr
	}{
		{name: "billion laughs", src: billionLaughs,
			want: wantErr{"f.yaml:1:50", "f[0][3][3][7][3][7]", "aliases expand to more than 100000 values (an alias bomb?); refusing to read it"}},
		{name: "mappings", src: "a: &a {a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x, j: x}\n" +
			"b: &b {a: *a, b: *a, c: *a, d: *a, e: *a, f: *a, g: *a, h: *a, i: *a, j: *a}\n" +
			"c: &c {a: *b, b: *b, c: *b, d: *b, e: *b, f: *b, g: *b, h: *b, i: *b, j: *b}\n" +
			"d: &d {a: *c, b: *c, c: *c, d: *c, e: *c, f: *c, g: *c, h: *c, i: *c, j: *c}\n" +
			"e: &e {a: *d, b: *d, c: *d, d: *d, e: *d, f: *d, g: *d, h: *d, i: *d, j: *d}\n" +
			"f: &f {a: *e, b: *e, c: *e, d: *e, e: *e, f: *e, g: *e, h: *e, i: *e, j: *e}\n" +
			"g: &g {a: *f, b: *f, c: *f, d: *f, e: *f, f: *f, g: *f, h: *f, i: *f, j: *f}\n",
			want: wantErr{"f.yaml:1:50", "e.d.d.j.b.h", "aliases expand to more than 100000 values (an alias bomb?); refusing to read it"}},
		{name: "merge of an aliased list", src: mergeBomb.String(),
			want: wantErr{"f.yaml:1:8449", "m[49].k950", "aliases expand to more than 100000 values (an alias bomb?); refusing to read it"}},
		{name: "spread over documents", src: strings.Repeat(underBudget+"---\n", 50),
			want: wantErr{"f.yaml:41:16", "d[8][1][2][4]", "aliases expand to more than 100000 values (an alias bomb?); refusing to read it"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			start := time.Now()
			bytes := allocsDuring(func() { _, err = Parse(testFile, []byte(tt.src), DefaultLimits) })
			elapsed := time.Since(start)
			checkErrs(t, err, tt.want)
			if bytes > 64<<20 {
				t.Errorf("allocated %d MiB, want under 64 MiB", bytes>>20)
			}
			t.Logf("%d bytes of input: %.1f MiB allocated in %v", len(tt.src), float64(bytes)/(1<<20), elapsed)
		})
	}
}

func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("a", 2048)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		lim  Limits
		want wantErr // pos "" means no error
		data string
	}{
		{name: "small file", path: small, lim: DefaultLimits, data: "a: 1\n"},
		{name: "no size limit", path: big, lim: Limits{}, data: strings.Repeat("a", 2048)},
		{name: "exactly the limit", path: small, lim: Limits{MaxBytes: 5}, data: "a: 1\n"},
		{name: "folder", path: dir, lim: DefaultLimits, want: wantErr{dir, "", "is a folder, not a YAML file"}},
		{name: "missing file", path: filepath.Join(dir, "nope.yaml"), lim: DefaultLimits, want: wantErr{filepath.Join(dir, "nope.yaml"), "", "no such file"}},
		{name: "missing folder", path: filepath.Join(dir, "nope", "x.yaml"), lim: DefaultLimits, want: wantErr{filepath.Join(dir, "nope", "x.yaml"), "", "no such file"}},
		{name: "one byte over", path: small, lim: Limits{MaxBytes: 4}, want: wantErr{small, "", "file is 5 bytes, over the 4 bytes limit; split it or check it is the right file"}},
		{name: "KiB over", path: big, lim: Limits{MaxBytes: 1 << 10}, want: wantErr{big, "", "file is 2.0 KiB, over the 1.0 KiB limit; split it or check it is the right file"}},
		{name: "through a file", path: filepath.Join(small, "x"), lim: DefaultLimits, want: wantErr{filepath.Join(small, "x"), "", "not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := ReadFile(tt.path, tt.lim)
			if tt.want.pos == "" {
				checkErrs(t, err)
				if string(data) != tt.data {
					t.Errorf("read %q, want %q", data, tt.data)
				}
				return
			}
			checkErrs(t, err, tt.want)
			if data != nil {
				t.Errorf("got data with the error")
			}
		})
	}
}

func TestReadFilePermission(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads every file (cmd/fluxtf TestBadInput/unreadable-file runs the CLI as nobody instead)")
	}
	p := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(p, []byte("a: 1\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(p, DefaultLimits)
	checkErrs(t, err, wantErr{p, "", "permission denied; make the file readable by this user (chmod u+r)"})
}

func TestParseFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(p, []byte("a: 1\n---\nb: [x, y]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	docs, err := ParseFile(p, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("got %d documents", len(docs))
	}
	n, _ := docs[1].Root.Lookup("b[1]")
	if want := p + ":3:8"; n.Pos.String() != want {
		t.Errorf("b[1] at %s, want %s", n.Pos, want)
	}

	_, err = ParseFile(dir, DefaultLimits)
	checkErrs(t, err, wantErr{dir, "", "is a folder, not a YAML file"})

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("a: 1\na: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = ParseFile(bad, DefaultLimits)
	checkErrs(t, err, wantErr{bad + ":2:1", "a", `duplicate key "a" (first at line 1); remove one`})
}

func TestHumanBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1023, "1023 bytes"}, {1024, "1.0 KiB"}, {1536, "1.5 KiB"},
		{1 << 20, "1.0 MiB"}, {8 << 20, "8.0 MiB"}, {5 << 30, "5120.0 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := humanBytes(tt.n); got != tt.want {
				t.Errorf("humanBytes(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

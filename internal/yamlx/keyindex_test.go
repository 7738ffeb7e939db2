package yamlx

import (
	"strconv"
	"testing"
)

// TestKeyIndexMatchesKeyPos: the index answers what KeyPos answers on the
// tree, for every key and item of the files it keeps, and finds nothing
// else (paths absent, or positions in files it does not keep).
func TestKeyIndexMatchesKeyPos(t *testing.T) {
	t.Parallel()
	base, err := Parse("base.yaml", []byte("a:\n  b: 1\n  c: [x, y]\nd: 2\n"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	env, err := Parse("env.yaml", []byte("a:\n  c:\n    - z\n    - {k: v}\n  e: \"q\"\nf:\n  g.h: 1\n  \"0\": zero\nlist:\n  - - deep\n"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	tree := Merge(base[0].Root, env[0].Root)
	x := NewKeyIndex(tree, NewKeyPaths(), func(file string) bool { return file == "env.yaml" })
	// every path of the tree, as KeyPos takes them
	var paths []string
	var walk func(n *Node, p string)
	walk = func(n *Node, p string) {
		paths = append(paths, p)
		switch n.Kind {
		case MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				sub := p + "." + k
				if p == "" {
					sub = k
				}
				if k == "g.h" {
					sub = p + `["g.h"]`
				}
				walk(n.Content[i+1], sub)
			}
		case SequenceNode:
			for i, item := range n.Content {
				walk(item, p+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	walk(tree, "")
	paths = append(paths, "nope", "a.nope", "a.c[9]", "d.x", "a.c[1].k.x")
	found := 0
	for _, p := range paths {
		want, ok := tree.KeyPos(p)
		ok = ok && want.File == "env.yaml"
		got, gok := x.KeyPos(p)
		if gok != ok || ok && got != want {
			t.Errorf("%q: index %v %v, tree %v %v", p, got, gok, want, ok)
		}
		if ok {
			found++
		}
	}
	if found < 8 {
		t.Errorf("only %d of %d paths found in env.yaml", found, len(paths))
	}
}

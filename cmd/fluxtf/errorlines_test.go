package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/yamlx"
)

// TestPrintErrorWrappedListOneLineEach: problems wrapped with context
// ("baseline HEAD: ", as a baseline's are) print one escaped line each,
// each with the context, even when a problem's path holds a newline. The
// wrapper's text was split at every newline: a hostile folder name of
// the baseline's commit broke its problem over lines, and every problem
// after the first lost "baseline HEAD".
func TestPrintErrorWrappedListOneLineEach(t *testing.T) {
	t.Parallel()
	list := yamlx.ErrorList{
		{Pos: yamlx.Pos{File: "clusters/ev\nil::error file=x::y/kustomization.yaml", Line: 1, Column: 13}, Msg: "kustomization lists \"nope.yaml\""},
		{Pos: yamlx.Pos{File: "clusters/b/kustomization.yaml", Line: 2, Column: 3}, Msg: "second"},
	}
	var buf bytes.Buffer
	printError(&buf, fmt.Errorf("baseline HEAD: %w", list))
	want := "fluxtf: baseline HEAD: clusters/ev\\nil::error file=x::y/kustomization.yaml:1:13: kustomization lists \"nope.yaml\"\n" +
		"fluxtf: baseline HEAD: clusters/b/kustomization.yaml:2:3: second\n"
	if got := buf.String(); got != want {
		t.Errorf("printError:\n%s\nwant\n%s", got, want)
	}
	// a list unwrapped is as it was: a line per problem, positioned
	buf.Reset()
	printError(&buf, list)
	if got := buf.String(); strings.Count(got, "\n") != 2 || !strings.HasPrefix(got, "clusters/ev\\nil") {
		t.Errorf("printError of the list:\n%s", got)
	}
}

package policies

import (
	"context"
	"io/fs"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/digx/fluxtf/internal/gitfs"
)

// normalizeURLQuery prepares data.fluxtf.lib.normalize_url(input.u).
func normalizeURLQuery(tb testing.TB) rego.PreparedEvalQuery {
	tb.Helper()
	src, err := fs.ReadFile(Embedded, "lib/lib.rego")
	if err != nil {
		tb.Fatal(err)
	}
	q, err := rego.New(
		rego.Query("x := data.fluxtf.lib.normalize_url(input.u)"),
		rego.Module("lib/lib.rego", string(src)),
	).PrepareForEval(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

func regoNormalizeURL(tb testing.TB, q rego.PreparedEvalQuery, u string) string {
	tb.Helper()
	rs, err := q.Eval(context.Background(), rego.EvalInput(map[string]any{"u": u}))
	if err != nil {
		tb.Fatal(err)
	}
	if len(rs) == 0 {
		return "<undefined>"
	}
	s, _ := rs[0].Bindings["x"].(string)
	return s
}

var normalizeURLCases = []string{
	"https://github.com/digx/jeppesen-eks",
	"HTTPS://GitHub.com/Digx/Jeppesen-EKS.git/",
	"ssh://git@github.com/digx/infra.git",
	"git@github.com:digx/infra",
	"ssh://git@github.com:2222/digx/infra.git",
	"github.com:443",
	"https://user:pass@gitlab.example.com:8443/group/sub/repo.git",
	"  https://github.com/digx/infra//  ",
	"file:///srv/git/infra.git",
	"",
	"git@host:",
	"a@b@c:d/e",
	"HTTP://[::1]:8080/x",
}

// TestNormalizeURLMatchesRego: the repository URL fluxtf reads from git
// (gitfs.NormalizeURL) and the one the policies derive from a
// GitRepository's spec.url (lib.rego normalize_url) are the same function.
func TestNormalizeURLMatchesRego(t *testing.T) {
	t.Parallel()
	q := normalizeURLQuery(t)
	for _, u := range normalizeURLCases {
		if got, want := gitfs.NormalizeURL(u), regoNormalizeURL(t, q, u); got != want {
			t.Errorf("%q: gitfs.NormalizeURL = %q, lib.rego normalize_url = %q", u, got, want)
		}
	}
}

func FuzzNormalizeURLMatchesRego(f *testing.F) {
	for _, u := range normalizeURLCases {
		f.Add(u)
	}
	q := normalizeURLQuery(f)
	f.Fuzz(func(t *testing.T, u string) {
		if got, want := gitfs.NormalizeURL(u), regoNormalizeURL(t, q, u); got != want {
			t.Errorf("%q: gitfs.NormalizeURL = %q, lib.rego normalize_url = %q", u, got, want)
		}
	})
}

package promote

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/gittest"
)

// specsFolder writes defaults.yaml and the uat (tag v4.3.0) and prod
// (v4.2.0) specs into a new specs folder, prod's spec as real/prod.yaml
// when linkProd (prod.yaml then leads there).
func specsFolder(t *testing.T, linkProd bool) (dir, prod string) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "defaults.yaml"), []byte(defaults), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "uat.yaml"), []byte(spec("uat", "  tag: v4.3.0\n", "  efs: {}\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	prod = filepath.Join(dir, "prod.yaml")
	if linkProd {
		if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
			t.Fatal(err)
		}
		prod = filepath.Join(dir, "real", "prod.yaml")
	}
	if err := os.WriteFile(prod, []byte(spec("prod", "  tag: v4.2.0\n", "  efs: {}\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	if linkProd {
		gittest.Symlink(t, filepath.Join("real", "prod.yaml"), filepath.Join(dir, "prod.yaml"))
	}
	return dir, prod
}

// TestPromoteRefusesLinkedSpec: a spec that is a symlink (to a file inside
// the specs folder, which render reads) is refused as fluxtf approve
// refuses it, before anything is written: the rename of the edit would
// have replaced the link by a copy and left the file it leads to as it was.
func TestPromoteRefusesLinkedSpec(t *testing.T) {
	t.Parallel()
	dir, real := specsFolder(t, true)
	before, _ := os.ReadFile(real)
	out := filepath.Join(t.TempDir(), "clusters")
	_, err := Promote(context.Background(), Options{SpecsDir: dir, OutDir: out, From: generator.TierUAT, To: generator.TierProd})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("error %v, want an input error naming the link", err)
	}
	if st, err := os.Lstat(filepath.Join(dir, "prod.yaml")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("prod.yaml is no longer the link (%v)", err)
	}
	if after, _ := os.ReadFile(real); string(after) != string(before) {
		t.Errorf("the link's file changed:\n%s", after)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("rendered although refused")
	}
}

// TestPromoteChecksLinkedSpecs: the policies' check runs on a copy of the
// specs folder that holds what its symlinks lead to (a defaults.yaml
// shared through a link), as render reads them, and a failure of that
// check names the user's files, not the copy's.
func TestPromoteChecksLinkedSpecs(t *testing.T) {
	t.Parallel()
	dir, _ := specsFolder(t, false)
	if err := os.Mkdir(filepath.Join(dir, "common"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "defaults.yaml"), filepath.Join(dir, "common", "defaults.yaml")); err != nil {
		t.Fatal(err)
	}
	gittest.Symlink(t, filepath.Join("common", "defaults.yaml"), filepath.Join(dir, "defaults.yaml"))
	check := func(_ context.Context, specs string) (*finding.Report, error) {
		names, err := generator.ListEnvironments(specs)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if _, err := generator.Load(generator.LoadOptions{SpecsDir: specs}, n); err != nil {
				return nil, err
			}
		}
		return &finding.Report{}, nil
	}
	res, err := Promote(context.Background(), Options{SpecsDir: dir, From: generator.TierUAT, To: generator.TierProd, DryRun: true, Check: check})
	if err != nil {
		t.Fatalf("the check of the promoted specs failed: %v", err)
	}
	if len(res.Edits) != 1 {
		t.Fatalf("want one edit, got %d", len(res.Edits))
	}

	// a check that fails names the specs folder, never the copy
	failing := func(_ context.Context, specs string) (*finding.Report, error) {
		return nil, errors.New(filepath.Join(specs, "uat.yaml") + ":1:1: broken")
	}
	_, err = Promote(context.Background(), Options{SpecsDir: dir, From: generator.TierUAT, To: generator.TierProd, DryRun: true, Check: failing})
	if want := filepath.Join(dir, "uat.yaml") + ":1:1: broken"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want it to name %s", err, want)
	}
}

// TestPromoteKeepsCRLF: a spec written with CRLF line ends keeps them on
// every line, edited and inserted ones too.
func TestPromoteKeepsCRLF(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "defaults.yaml"), []byte(defaults), 0o600); err != nil {
		t.Fatal(err)
	}
	uat := spec("uat", "  tag: v4.3.0\n", "  efs: {}\n  karpenter: {version: \"1.0.0\"}\n")
	prod := strings.ReplaceAll(spec("prod", "  tag: v4.2.0\n", "  efs: {}\n"), "\n", "\r\n")
	for name, s := range map[string]string{"uat": uat, "prod": prod} {
		if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Promote(context.Background(), Options{SpecsDir: dir, From: generator.TierUAT, To: generator.TierProd, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Edits) != 1 {
		t.Fatalf("want one edit, got %d", len(res.Edits))
	}
	got := string(res.Edits[0].After)
	if !strings.Contains(got, "v4.3.0") || !strings.Contains(got, "karpenter") {
		t.Fatalf("the promotion is missing from the spec:\n%q", got)
	}
	if n, crlf := strings.Count(got, "\n"), strings.Count(got, "\r\n"); n != crlf {
		t.Errorf("%d of %d lines end in a bare LF in a CRLF spec:\n%q", n-crlf, n, got)
	}
}

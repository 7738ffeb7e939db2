package generator

import (
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/contract"
)

// TestReleaseFieldsRender: migration steps and rollbacks become the
// annotations the policies read.
func TestReleaseFieldsRender(t *testing.T) {
	t.Parallel()
	prod := strings.Replace(testProd, "source: {tag: v4.1.3}", `source:
  tag: v5.0.0
  migrationGuide: {path: docs/migrations/v5.md, from: v4, to: "5"}`, 1)
	prod = strings.Replace(prod, "  karpenter: {}", `  karpenter:
    version: "1.0.8"
    migration: {from: "0.37", to: "1.0"}
    rollback: {to: "1.0.8", reason: "1.1.0 drifts NodePools (INC-7)"}`, 1)
	dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": prod})
	for name, tf := range terraforms(t, dir, "prod") {
		if !strings.HasSuffix(name, "-karpenter") {
			if len(tf.Annotations[contract.AnnotationMigration]+tf.Annotations[contract.AnnotationRollback]) != 0 {
				t.Errorf("%s: release annotations on another object: %v", name, tf.Annotations)
			}
			continue
		}
		if got := tf.Annotations[contract.AnnotationMigration]; got != "0.37 -> 1.0" {
			t.Errorf("%s: migration %q", name, got)
		}
		if got := tf.Annotations[contract.AnnotationRollback]; got != "1.0.8: 1.1.0 drifts NodePools (INC-7)" {
			t.Errorf("%s: rollback %q", name, got)
		}
	}
	outs, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: dir}, OutDir: t.TempDir(), Envs: []string{"prod"}, FilesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var git string
	for _, f := range outs[0].Files {
		if strings.HasSuffix(f.Path, "gitrepository.yaml") {
			git = string(f.Data)
		}
	}
	for _, want := range []string{"fluxtf.io/migration: v4 -> v5\n", "fluxtf.io/migration-guide: docs/migrations/v5.md\n"} {
		if !strings.Contains(git, want) {
			t.Errorf("gitrepository.yaml lacks %q:\n%s", want, git)
		}
	}
}

func TestReleaseFieldErrors(t *testing.T) {
	t.Parallel()
	karp := func(s string) string { return strings.Replace(testProd, "  karpenter: {}", "  karpenter: "+s, 1) }
	src := func(s string) string { return strings.Replace(testProd, "source: {tag: v4.1.3}", "source: "+s, 1) }
	tests := []struct {
		name, prod, want string
	}{
		{name: "tag without v", prod: src("{tag: 4.1.3}"), want: `source.tag: "4.1.3" is not in the tag form vMAJOR.MINOR.PATCH[-pre] (a leading v, no build metadata); tag the release "v4.1.3" and use that`},
		{name: "tag with build metadata", prod: src("{tag: v4.1.3+build.2}"), want: `tag the release "v4.1.3"`},
		{name: "latest", prod: karp("{version: latest}"), want: `components[karpenter].version: "latest" is not an exact version; pin one such as "1.1.0"`},
		{name: "partial version", prod: karp(`{version: "1.1"}`), want: `components[karpenter].version: "1.1" is not an exact version`},
		{name: "migration true", prod: karp("{migration: true}"), want: `components[karpenter].migration: name the step the migration covers, such as {from: "0.37", to: "1.0"} (got the boolean true)`},
		{name: "migration done", prod: karp("{migration: done}"), want: `(got the text "done")`},
		{name: "migration unknown field", prod: karp(`{migration: {from: "0.37", too: "1.0"}}`), want: `unknown field "too"`},
		{name: "migration step not a line", prod: karp(`{migration: {from: "0.37", to: "v1"}}`), want: `components[karpenter].migration.to: "v1" is not a version line such as "1.0"`},
		{name: "guide as a path", prod: src("{tag: v5.0.0, migrationGuide: docs/migrations/v5.md}"), want: `source.migrationGuide: name the guide and the major step it covers, such as {path: docs/migrations/v5.md, from: v4, to: v5} (got the text "docs/migrations/v5.md")`},
		{name: "guide without path", prod: src("{tag: v5.0.0, migrationGuide: {from: v4, to: v5}}"), want: `source.migrationGuide.path: is required`},
		{name: "rollback to another version", prod: src("{tag: v4.1.3, rollback: {to: v4.1.0, reason: INC-1}}"), want: `source.rollback.to: is "v4.1.0" but source.tag is "v4.1.3"`},
		{name: "rollback without reason", prod: karp(`{version: "1.0.8", rollback: {to: "1.0.8"}}`), want: `components[karpenter].rollback.reason: is required`},
		{name: "rollback without version", prod: karp(`{rollback: {to: "1.0.8", reason: x}}`), want: `components[karpenter].rollback: needs components[karpenter].version`},
		{name: "rollback as text", prod: src("{tag: v4.1.3, rollback: yes}"), want: `source.rollback: record the version rolled back to and why`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantLoadError(t, "", tc.prod, tc.want)
		})
	}
}

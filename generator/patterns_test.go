package generator

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/yamlx"
)

// TestSchemaPatternsAreTheCheckers: every pattern of the published schemas
// is the expression the checker matches (fieldPatternTable), and every
// row of the table is in both schemas. A pattern written anywhere else (a
// struct tag) fails here.
func TestSchemaPatternsAreTheCheckers(t *testing.T) {
	t.Parallel()
	table := map[string]string{}
	for _, fp := range fieldPatternTable {
		table[fp.def+"."+fp.prop] = fp.re.String()
	}
	for _, sc := range []struct {
		file string
		data []byte
		// the defaults schema names the Environment definition Defaults
		rename map[string]string
	}{
		{"environment.schema.json", EnvironmentSchema, nil},
		{"defaults.schema.json", DefaultsSchema, map[string]string{"Defaults": "Environment"}},
	} {
		var doc struct {
			Defs map[string]struct {
				Pattern    string `json:"pattern"`
				Properties map[string]struct {
					Pattern string `json:"pattern"`
				} `json:"properties"`
			} `json:"$defs"`
		}
		if err := json.Unmarshal(sc.data, &doc); err != nil {
			t.Fatalf("%s: %v", sc.file, err)
		}
		seen := map[string]bool{}
		for defName, def := range doc.Defs {
			if def.Pattern != "" && defName != "Duration" {
				t.Errorf("%s: $defs.%s has the pattern %q, which is no checker's", sc.file, defName, def.Pattern)
			}
			if n, ok := sc.rename[defName]; ok {
				defName = n
			}
			for prop, p := range def.Properties {
				if p.Pattern == "" {
					continue
				}
				k := defName + "." + prop
				seen[k] = true
				want, ok := table[k]
				switch {
				case !ok:
					t.Errorf("%s: %s has the pattern %q, which is not in fieldPatternTable (the checker's expressions)", sc.file, k, p.Pattern)
				case p.Pattern != want:
					t.Errorf("%s: %s has the pattern %q; the checker matches %q", sc.file, k, p.Pattern, want)
				}
			}
		}
		for k := range table {
			// the defaults file has no environment name
			if !seen[k] && (sc.rename == nil || k != "Environment.name") {
				t.Errorf("%s: %s has no pattern; the checker matches %q", sc.file, k, table[k])
			}
		}
	}
}

// TestDurationPatternIsTheChecker: Duration's pattern, the one not in
// the table, is the expression Duration's decoding matches before
// time.ParseDuration, and the two agree on the shape.
func TestDurationPatternIsTheChecker(t *testing.T) {
	t.Parallel()
	if p := (Duration{}).JSONSchema().Pattern; p != durationRE.String() {
		t.Fatalf("Duration's schema pattern %q is not durationRE %q", p, durationRE)
	}
	for _, v := range []string{"10m", "1h30m", "1.5h", "1.h", ".5s", "300ms", "2µs", "5us", "", "10", "h", "1d", "-1m", "+1m", "1m "} {
		var d Duration
		decodes := d.UnmarshalJSON([]byte(`"`+v+`"`)) == nil
		if durationRE.MatchString(v) != decodes {
			t.Errorf("%q: the schema's pattern says %v, decoding %v", v, durationRE.MatchString(v), decodes)
		}
	}
}

// TestSchemaAndCheckerAgreeOnValues: a value in a spec is refused by the
// published schema exactly when render refuses it for its shape (the
// cases of issue #16: "1.029" passed the schema and failed render).
func TestSchemaAndCheckerAgreeOnValues(t *testing.T) {
	t.Parallel()
	sch := crdtest.MustCompileJSONSchema(t, SchemaID, EnvironmentSchema)
	tests := []struct {
		name  string
		field string // the field render names in its error
		extra string // appended to testProd
		ok    bool
	}{
		{name: "k8s minor with a leading zero", field: "cluster.kubernetesVersion", extra: "cluster: {kubernetesVersion: \"1.029\"}\n"},
		{name: "k8s minor", field: "cluster.kubernetesVersion", extra: "cluster: {kubernetesVersion: \"1.29\"}\n", ok: true},
		{name: "url without a host", field: "source.url", extra: "source: {url: \"ssh://\"}\n"},
		{name: "url", field: "source.url", extra: "source: {url: \"https://github.com/digx/infrastructure.git\"}\n", ok: true},
		{name: "ami id with a comma-bound length", field: "cluster.customImage.amiId", extra: "cluster: {os: CUSTOM, customImage: {amiId: ami-0123456789abcdef0123}}\n"},
		{name: "ami id", field: "cluster.customImage.amiId", extra: "cluster: {os: CUSTOM, customImage: {amiId: ami-0123456789abcdef0}}\n", ok: true},
		{name: "pipeline arn prefix only", field: "cluster.customImage.pipelineArn", extra: "cluster: {os: CUSTOM, customImage: {pipelineArn: \"arn:aws:imagebuilder:\"}}\n"},
		{name: "secret name with an empty label", field: "cluster.secrets[db_password].name", extra: "cluster: {secrets: {db_password: {name: \"a..b\", key: pw}}}\n"},
		{name: "secret name", field: "cluster.secrets[db_password].name", extra: "cluster: {secrets: {db_password: {name: a.b, key: pw}}}\n", ok: true},
		{name: "moved to a non-label", field: "moved[0].to", extra: "moved: [{from: old-prod, to: Prod_2, reason: renamed}]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec := testProd + tc.extra
			if strings.Contains(tc.extra, "source:") {
				spec = strings.Replace(testProd, "source: {tag: v4.1.3}\n", "", 1) + strings.Replace(tc.extra, "source: {", "source: {tag: v4.1.3, ", 1)
			}
			docs, err := yamlx.Parse("prod.yaml", []byte(spec), yamlx.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			js, err := json.Marshal(docs[0].Root.ToAny())
			if err != nil {
				t.Fatal(err)
			}
			schemaOK := crdtest.ValidateJSON(sch, js) == nil
			dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": spec})
			_, err = Load(LoadOptions{SpecsDir: dir}, "prod")
			renderOK := err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), " "+tc.field+": ")
			if schemaOK != tc.ok || renderOK != tc.ok {
				t.Errorf("%s: the schema accepts it: %v, render accepts it: %v, want both %v (render: %v)", tc.field, schemaOK, renderOK, tc.ok, err)
			}
		})
	}
}

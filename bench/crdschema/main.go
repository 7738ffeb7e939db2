package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

type crd struct {
	Spec struct {
		Names struct {
			Kind string `json:"kind"`
		} `json:"names"`
		Versions []struct {
			Name   string `json:"name"`
			Served bool   `json:"served"`
			Schema struct {
				OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
			} `json:"schema"`
		} `json:"versions"`
	} `json:"spec"`
}

func main() {
	out := flag.String("out", "", "folder to write the schemas to")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: crdschema -out DIR CRD.yaml...")
		os.Exit(2)
	}
	if err := run(*out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "crdschema:", err)
		os.Exit(1)
	}
}

func run(out string, files []string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var c crd
		if err := yaml.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, v := range c.Spec.Versions {
			if !v.Served || v.Schema.OpenAPIV3Schema == nil {
				continue
			}
			js, err := json.MarshalIndent(convert(v.Schema.OpenAPIV3Schema), "", "  ")
			if err != nil {
				return err
			}
			name := fmt.Sprintf("%s_%s.json", strings.ToLower(c.Spec.Names.Kind), v.Name)
			if err := os.WriteFile(filepath.Join(out, name), js, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

func convert(s map[string]any) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		switch {
		case k == "properties":
			props, _ := v.(map[string]any)
			m := make(map[string]any, len(props))
			for pk, pv := range props {
				if ps, ok := pv.(map[string]any); ok {
					m[pk] = convert(ps)
				}
			}
			out[k] = m
		case k == "items" || k == "not" || k == "additionalProperties":
			if sub, ok := v.(map[string]any); ok {
				out[k] = convert(sub)
			} else {
				out[k] = v
			}
		case k == "anyOf" || k == "allOf" || k == "oneOf":
			list, _ := v.([]any)
			conv := make([]any, 0, len(list))
			for _, item := range list {
				if sub, ok := item.(map[string]any); ok {
					conv = append(conv, convert(sub))
				}
			}
			out[k] = conv
		case k == "nullable", strings.HasPrefix(k, "x-kubernetes-"):
		default:
			out[k] = v
		}
	}
	if s["x-kubernetes-int-or-string"] == true {
		out["type"] = []any{"integer", "string"}
	}
	if s["nullable"] == true {
		switch t := out["type"].(type) {
		case string:
			out["type"] = []any{t, "null"}
		case []any:
			out["type"] = append(t, "null")
		}
	}
	if s["type"] == "object" && s["properties"] != nil && s["x-kubernetes-preserve-unknown-fields"] != true {
		if _, has := s["additionalProperties"]; !has {
			out["additionalProperties"] = false
		}
	}
	return out
}

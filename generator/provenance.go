package generator

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/yamlx"
)

// Origin is where in the specs a generated object's field comes from: the
// place a user edits to change it.
type Origin struct {
	// Pos is the spec node: in the environment's spec, or in the specs
	// folder's defaults.yaml when the value comes from there. When the value
	// is a tier or catalogue default (no spec line holds it), Pos is the
	// start of the environment's spec, where Field would be set.
	Pos yamlx.Pos
	// Field is the spec path, such as cluster.kubernetesVersion or
	// components.karpenter.migration.
	Field string
	// Words maps what a policy message calls the field on the generated
	// object (a Terraform variable, an annotation) to Field and the other
	// spec fields of the object, so the message can speak the spec.
	Words map[string]string
}

var varsIndex = lazyRE(`^spec\.vars\[([0-9]+)\]`)

// Origin returns the origin of field (a path such as spec.vars[4].value,
// metadata.annotations["fluxtf.io/migration"] or metadata) of the object
// the environment renders at objPath (relative to its output folder, such
// as digx-uat-eu-west-1/eks.yaml). ok is false when the environment
// renders no object there.
func (l *Loaded) Origin(objPath, field string) (o Origin, ok bool) {
	obj, built := l.expanded[objPath]
	if !built {
		// only the object at objPath: an environment's findings are on a
		// few of its objects
		objs, err := expand(l, objPath, nil)
		if err != nil {
			return Origin{}, false
		}
		for _, x := range objs {
			obj = x.Object
		}
		if l.expanded == nil {
			l.expanded = map[string]any{}
		}
		l.expanded[objPath] = obj
	}
	if obj == nil {
		return Origin{}, false
	}
	e, st := &l.Env, l.Stack
	words := map[string]string{}
	var cands []string
	add := func(c ...string) { cands = append(cands, c...) }
	switch x := obj.(type) {
	case *infrav1.Terraform:
		dir, file := path.Split(objPath)
		ti := -1
		for i, t := range e.Targets {
			if t.ID()+"/" == dir {
				ti = i
			}
		}
		tpath := "targets[" + strconv.Itoa(ti) + "]"
		comp := strings.TrimSuffix(file, ".yaml")
		varField := func(name string) string {
			if comp == st.Base.Name {
				switch name {
				case contract.VarKubernetesVersion:
					return "cluster.kubernetesVersion"
				case contract.VarOS:
					return "cluster.os"
				case contract.VarNodeGroups:
					return "cluster.nodeGroups"
				case contract.VarCustomAMIID, contract.VarImagePipelineARN:
					return "cluster.customImage"
				case contract.VarClusterName:
					return tpath + ".clusterName"
				case contract.VarEndpointPublicAccess, contract.VarEndpointPublicCIDRs:
					return tpath + ".runnerAccess"
				}
				if _, ok := e.Cluster.Vars[name]; ok {
					return "cluster.vars." + name
				}
			} else if m := st.Component(comp); m != nil {
				if name == m.VersionVar && m.VersionVar != "" {
					return "components." + comp + ".version"
				}
				if _, ok := e.Components[comp].Vars[name]; ok {
					return "components." + comp + ".vars." + name
				}
			}
			switch name {
			case "account_id":
				return tpath + ".accountId"
			case "region":
				return tpath + ".region"
			case "assume_role_arn":
				return "terraform.assumeRole"
			}
			return ""
		}
		for _, v := range x.Spec.Vars {
			if f := varField(v.Name); f != "" {
				words[v.Name] = f
			}
		}
		if comp != st.Base.Name {
			words[contract.AnnotationMigration] = "components." + comp + ".migration"
		} else {
			words[contract.NodeGroupMinSize] = "cluster.nodeGroups[].minSize"
		}
		switch {
		case varsIndex.MatchString(field):
			i, _ := strconv.Atoi(varsIndex.FindStringSubmatch(field)[1])
			if i < len(x.Spec.Vars) {
				add(varField(x.Spec.Vars[i].Name))
			}
		case strings.Contains(field, contract.AnnotationMigration):
			add("components." + comp + ".migration")
		case strings.Contains(field, contract.WaiverPrefix):
			add("waivers")
		case strings.HasPrefix(field, "metadata.name"):
			// a rename: the target's name, else the environment's
			add(tpath+".name", "name")
		case strings.HasPrefix(field, "spec.backendConfig"):
			add("terraform.backend")
		case strings.HasPrefix(field, "spec.approvePlan"):
			add("approvals", "terraform.approvePlan")
		case strings.HasPrefix(field, "spec."):
			add("terraform")
		}
		if comp != st.Base.Name {
			add("components." + comp)
		} else {
			add("cluster")
		}
		if ti >= 0 {
			add(tpath)
		}
	default: // the GitRepository
		words[contract.AnnotationMigrationGuide] = "source.migrationGuide"
		words["spec.ref.tag"] = "source.tag"
		words["spec.ref.branch"] = "source.branch"
		words["spec.url"] = "source.url"
		switch {
		case strings.Contains(field, contract.AnnotationMigrationGuide):
			add("source.migrationGuide")
		case strings.HasPrefix(field, "spec.ref"):
			add("source.tag", "source.branch")
		case strings.HasPrefix(field, "spec.url"):
			add("source.url")
		case strings.Contains(field, contract.WaiverPrefix):
			add("waivers")
		}
		add("source")
	}
	o = Origin{Pos: yamlx.Pos{File: l.File, Line: 1, Column: 1}, Words: words}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if o.Field == "" {
			o.Field = c // what to set, even when no spec line holds it yet
		}
		if pos, found := l.keyPos(c); found && l.userFile(pos.File) {
			o.Pos, o.Field = pos, c
			break
		}
	}
	return o, true
}

// keyPos is Tree.KeyPos(path), or once Tree is dropped, what the index
// of its keys in the user's files finds (then a key found in another file
// is not found, which Origin, looking for a user file's, does alike).
func (l *Loaded) keyPos(path string) (yamlx.Pos, bool) {
	if l.Tree == nil && l.keys != nil {
		return l.keys.KeyPos(path)
	}
	return l.Tree.KeyPos(path)
}

// compact drops Tree, keeping of it the positions of its keys in the
// user's files (what Origin reads), with their paths numbered in paths:
// a render of a large fleet holds its environments only to report
// findings at spec lines, and the merged trees were most of their
// memory (about 80 MiB at 10,000 environments, against a tenth of that
// for the index).
func (l *Loaded) compact(paths *yamlx.KeyPaths) {
	if l == nil || l.Tree == nil {
		return
	}
	l.keys = yamlx.NewKeyIndex(l.Tree, paths, l.userFile)
	l.Tree = nil
}

// userFile reports whether file is one the user edits: the environment's
// spec or the specs folder's defaults.yaml (not a tier default or a
// catalogue in templates/).
func (l *Loaded) userFile(file string) bool {
	return file == l.File || path.Base(file) == DefaultsFile && path.Dir(file) == path.Dir(l.File)
}

// Speak rewrites a policy message about a generated object in the words
// of the spec: each name in o.Words (a Terraform variable, an annotation,
// standing alone) becomes its spec field, and "the annotation X" becomes
// the field.
func (o Origin) Speak(msg string) string {
	words := make([]string, 0, len(o.Words))
	for w := range o.Words {
		words = append(words, w)
	}
	// longest first, so no name is rewritten inside a longer one
	sort.Slice(words, func(i, j int) bool {
		if len(words[i]) != len(words[j]) {
			return len(words[i]) > len(words[j])
		}
		return words[i] < words[j]
	})
	for _, word := range words {
		field := o.Words[word]
		if strings.Contains(msg, word) { // else nothing to rewrite (and no expression to compile)
			msg = wordPattern(word).ReplaceAllString(msg, "${1}"+field+"${2}")
		}
		// a spec field is set in the spec, not on the generated object
		if !strings.Contains(msg, field) {
			continue
		}
		for _, on := range []string{" on this Terraform", " on this GitRepository", " on the Terraform", " on the GitRepository"} {
			msg = strings.ReplaceAll(msg, field+on, field)
		}
	}
	return msg
}

// wordPatterns holds wordPattern's expressions, compiled once per word: a
// check speaks every finding on every environment, with the same few
// words.
var wordPatterns sync.Map // word -> *regexp.Regexp

// wordPattern matches word in a message where Speak rewrites it: standing
// alone, in backquotes or not, after "annotation " or "the annotation ".
func wordPattern(word string) *regexp.Regexp {
	if re, ok := wordPatterns.Load(word); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(`(^|[^A-Za-z0-9_./-])(?:(?:the )?annotation )?` + "`?" + regexp.QuoteMeta(word) + "`?" + `($|[^A-Za-z0-9_/-])`)
	wordPatterns.Store(word, re)
	return re
}

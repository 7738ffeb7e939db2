package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/digx/fluxtf/bench/fleet"
	"github.com/digx/fluxtf/internal/racedetect"
)

// badCase is one bad input from fixtures/bad-input/<dir>/ run through one
// command. Every case must end in exit code 2 with exactly one line on
// stderr matching want (the file, and the line where there is one), no
// panic or stack trace, nothing on stdout, and the previous output byte
// for byte as it was.
type badCase struct {
	name string
	dir  string // folder under fixtures/bad-input
	cmd  string // "render" (spec input) or "validate" (manifest input)
	// file of dir that becomes environments/uat.yaml (render) or
	// manifests/<file> (validate); empty when setup makes the input
	file string
	// setup prepares what a file cannot hold, in the run's folder; src
	// is the case's folder
	setup func(t *testing.T, run, src string)
	args  []string // instead of the command's default arguments
	want  string   // regexp for the one stderr line
	// limit on the child process's peak RSS (memory stays bounded however
	// large the input claims to be). Time is logged, never asserted: the
	// expansion limit, not the clock, is what makes an alias bomb fail fast.
	maxRSSMiB int64
	asNobody  bool // run the CLI as an unprivileged user
	// lines is how many lines stderr must have (default 1); want then
	// matches them joined by newlines (a spec with several errors)
	lines int
	// secrets must not appear on stdout or stderr: content of files
	// outside the repository a kustomization tried to load
	secrets []string
	// cwd is the folder of the run folder the CLI runs in (default the
	// run folder itself); setup makes it
	cwd string
	// raceArgs are added under the race detector, where a case that is
	// heavy on purpose would take many minutes (the plain run holds the
	// case as written)
	raceArgs []string
}

// The runs work in a folder holding environments/ (the examples),
// clusters/ (their rendered output) and manifests/ (a good manifest),
// and name files relative to it.
const (
	badSpecs     = "environments"
	badOut       = "clusters"
	badManifests = "manifests"
)

var badCases = []badCase{
	{name: "alias-bomb/render", dir: "alias-bomb", cmd: "render", file: "bomb.yaml",
		want:      `^environments/uat\.yaml:7:59: data\.f\[0\]\S*: aliases expand to more than 100000 values \(an alias bomb\?\); refusing to read it$`,
		maxRSSMiB: 150},
	{name: "alias-bomb/validate", dir: "alias-bomb", cmd: "validate", file: "bomb.yaml",
		want:      `^manifests/bomb\.yaml:7:59: data\.f\[0\]\S*: aliases expand to more than 100000 values \(an alias bomb\?\); refusing to read it$`,
		maxRSSMiB: 150},
	{name: "huge-file/render", dir: "huge-file", cmd: "render", setup: hugeFile(badSpecs + "/uat.yaml"),
		want:      `^environments/uat\.yaml: file is 50\.0 MiB, over the 8\.0 MiB limit; split it or check it is the right file$`,
		maxRSSMiB: 150},
	{name: "huge-file/validate", dir: "huge-file", cmd: "validate", setup: hugeFile(badManifests + "/huge.yaml"),
		want:      `^manifests/huge\.yaml: file is 50\.0 MiB, over the 8\.0 MiB limit; split it or check it is the right file$`,
		maxRSSMiB: 150},
	{name: "non-utf8/render", dir: "non-utf8", cmd: "render", file: "latin1.yaml",
		want: `^environments/uat\.yaml:5:12: invalid UTF-8 \(byte 0xe9\); save the file as UTF-8$`},
	{name: "non-utf8/validate", dir: "non-utf8", cmd: "validate", file: "latin1.yaml",
		want: `^manifests/latin1\.yaml:5:12: invalid UTF-8 \(byte 0xe9\); save the file as UTF-8$`},
	{name: "binary/render", dir: "binary", cmd: "render", file: "image.yaml",
		want: `^environments/uat\.yaml:3:1: binary content \(NUL byte\); this is not a YAML text file$`},
	{name: "binary/validate", dir: "binary", cmd: "validate", file: "image.yaml",
		want: `^manifests/image\.yaml:3:1: binary content \(NUL byte\); this is not a YAML text file$`},
	// an empty manifest file is an empty YAML stream, not an error: only
	// a spec must hold something
	{name: "empty-file/render", dir: "empty-file", cmd: "render", file: "uat.yaml",
		want: `^environments/uat\.yaml:1: file is empty; an environment spec starts with apiVersion: fluxtf/v1alpha1$`},
	{name: "deeply-nested/render", dir: "deeply-nested", cmd: "render", file: "deep.yaml",
		want: `^environments/uat\.yaml:68:129: data\.k0\.k1\.\S*\.k62: nested more than 64 levels deep; flatten the document$`},
	{name: "deeply-nested/validate", dir: "deeply-nested", cmd: "validate", file: "deep.yaml",
		want: `^manifests/deep\.yaml:68:129: data\.k0\.k1\.\S*\.k62: nested more than 64 levels deep; flatten the document$`},
	{name: "backend-injection/render", dir: "backend-injection", cmd: "render", file: "uat.yaml",
		want: `^environments/uat\.yaml:17:7: terraform\.backend\.s3\.bucket: "b\\" }\\nterraform { backend \\"local\\" {} }\\n#" is not an S3 bucket name \(3-63 lower-case letters, digits, '\.' and '-'\)$`},
	{name: "undeclared-input/render", dir: "undeclared-input", cmd: "render", file: "uat.yaml",
		want: `^environments/uat\.yaml:18:7: components\[karpenter\]\.vars\[enable_spot_terminaton\]: enable_spot_terminaton is not an input of module karpenter in stack jeppesen-eks; remove it \(its optional inputs: [a-z_, ]*enable_spot_termination[a-z_, ]*\)$`},
	{name: "duplicate-keys/render", dir: "duplicate-keys", cmd: "render", file: "dup.yaml",
		want: `^environments/uat\.yaml:5:3: metadata\.name: duplicate key "name" \(first at line 4\); remove one$`},
	{name: "duplicate-keys/validate", dir: "duplicate-keys", cmd: "validate", file: "dup.yaml",
		want: `^manifests/dup\.yaml:5:3: metadata\.name: duplicate key "name" \(first at line 4\); remove one$`},
	{name: "env-name-traversal/name-field", dir: "env-name-traversal", cmd: "render", file: "uat.yaml",
		want: `^environments/uat\.yaml:5:1: name: "\.\./x" is not a valid environment name: use lower-case letters, digits and '-' \(a DNS-1123 label\) and the file's name, "uat"$`},
	{name: "env-name-traversal/dotdot-arg", dir: "env-name-traversal", cmd: "render",
		args: []string{"render", "--env", "../x", "--specs", badSpecs, "--out", badOut},
		want: `^fluxtf: environment name "\.\./x" is not valid: use lower-case letters, digits and '-' \(a DNS-1123 label\), for example uat$`},
	{name: "env-name-traversal/separator-arg", dir: "env-name-traversal", cmd: "render",
		args: []string{"render", "--env", "a/b", "--specs", badSpecs, "--out", badOut},
		want: `^fluxtf: environment name "a/b" is not valid: use lower-case letters, digits and '-' \(a DNS-1123 label\), for example uat$`},
	{name: "env-name-traversal/file-name", dir: "env-name-traversal", cmd: "render", setup: copyAs("uat.yaml", badSpecs+"/Up_Dir.yaml"),
		want: `^environments/Up_Dir\.yaml: environment name "Up_Dir" is not valid: use lower-case letters, digits and '-' \(a DNS-1123 label\), for example uat; rename the file$`},
	{name: "spec-is-folder/all", dir: "spec-is-folder", cmd: "render", setup: copyAs("uat.yaml", badSpecs+"/uat.yaml"),
		want: `^environments/uat\.yaml: is a folder, not a YAML file$`},
	{name: "spec-is-folder/env", dir: "spec-is-folder", cmd: "render", setup: copyAs("uat.yaml", badSpecs+"/uat.yaml"),
		args: []string{"render", "--env", "uat", "--specs", badSpecs, "--out", badOut},
		want: `^environments/uat\.yaml: is a folder, not a YAML file$`},
	// a spec the listing would skip: stage.yml, not stage.yaml
	{name: "spec-misnamed/render", dir: "spec-misnamed", cmd: "render", setup: copyAs("stage.yml", badSpecs+"/stage.yml"),
		want: `^environments/stage\.yml: fluxtf reads specs named <name>\.yaml only, so it would skip this file; rename it to stage\.yaml$`},
	{name: "spec-misnamed/check", dir: "spec-misnamed", cmd: "render", setup: copyAs("stage.yml", badSpecs+"/stage.yml"),
		args: []string{"check", "--specs", badSpecs, "--out", badOut, "--no-baseline"},
		want: `^(fluxtf: )?environments/stage\.yml: fluxtf reads specs named <name>\.yaml only, so it would skip this file; rename it to stage\.yaml$`},
	{name: "symlink-outside-root/render", dir: "symlink-outside-root", cmd: "render", setup: linkOutside,
		want: `^fluxtf: clusters/uat is a symlink; fluxtf never writes through links, remove it$`},
	// a spec linking out of the specs folder is never read (its text
	// would be quoted in errors)
	{name: "spec-link-outside/render-all", dir: "spec-link-outside", cmd: "render", setup: specLinkOutside("evil.yaml"),
		want:    `^environments/evil\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments; fluxtf reads nothing outside the specs folder, remove the link or copy the file$`,
		secrets: []string{outsideSecret}},
	{name: "spec-link-outside/render-env", dir: "spec-link-outside", cmd: "render", setup: specLinkOutside("evil.yaml"),
		args:    []string{"render", "--env", "evil", "--specs", badSpecs, "--out", badOut},
		want:    `^environments/evil\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments`,
		secrets: []string{outsideSecret}},
	{name: "spec-link-outside/check-defaults", dir: "spec-link-outside", cmd: "render", setup: specLinkOutside("defaults.yaml"),
		args:    []string{"check", "--specs", badSpecs, "--out", badOut, "--no-baseline"},
		want:    `^(fluxtf: )?environments/defaults\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments`,
		secrets: []string{outsideSecret}},
	// every command that reads specs refuses the link, not only render
	// and check
	{name: "spec-link-outside/approve", dir: "spec-link-outside", cmd: "render", setup: specLinkOutside("evil.yaml"),
		args:    []string{"approve", "--env", "evil", "--target", "digx-uat-eu-west-1", "--specs", badSpecs, "--out", badOut, "plan-v4.2.0-1a2b3c4d5e"},
		want:    `^(fluxtf: )?environments/evil\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments; fluxtf reads nothing outside the specs folder, remove the link or copy the file$`,
		secrets: []string{outsideSecret}},
	{name: "spec-link-outside/approve-defaults", dir: "spec-link-outside", cmd: "render", setup: specLinkOutside("defaults.yaml"),
		args:    []string{"approve", "--env", "uat", "--target", "digx-uat-eu-west-1", "--specs", badSpecs, "--out", badOut, "plan-v4.2.0-1a2b3c4d5e"},
		want:    `^(fluxtf: )?environments/defaults\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments`,
		secrets: []string{outsideSecret}},
	{name: "spec-link-outside/promote-defaults", dir: "spec-link-outside", cmd: "render", setup: specLinkOutside("defaults.yaml"),
		args:    []string{"promote", "--from", "uat", "--to", "prod", "--dry-run", "--specs", badSpecs, "--out", badOut},
		want:    `^(fluxtf: )?environments/defaults\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments`,
		secrets: []string{outsideSecret}},
	{name: "spec-link-outside/render-env-defaults", dir: "spec-link-outside", cmd: "render", setup: specLinkOutside("defaults.yaml"),
		args:    []string{"render", "--env", "uat", "--specs", badSpecs, "--out", badOut},
		want:    `^(fluxtf: )?environments/defaults\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments`,
		secrets: []string{outsideSecret}},
	{name: "spec-link-outside/validate-specs-defaults", dir: "spec-link-outside", cmd: "validate", setup: specLinkOutside("defaults.yaml"),
		args:    []string{"validate", badManifests, "--specs", badSpecs},
		want:    `^(fluxtf: )?environments/defaults\.yaml: is a symbolic link to /\S+/outside/secret\.yaml, outside environments`,
		secrets: []string{outsideSecret}},
	{name: "hostile-journal/render", dir: "hostile-journal", cmd: "render", setup: copyAs("journal.json", badOut+"/.fluxtf-journal"),
		want: `^fluxtf: clusters/\.fluxtf-journal: "uat/\.\./\.\./manifests/gitrepository\.yaml" is not a path inside the output root; it is not a journal fluxtf wrote: check the output folder with git status, remove the file and run fluxtf render again$`},
	{name: "read-only-output/render", dir: "read-only-output", cmd: "render", setup: readOnlyOutput, asNobody: true,
		want: `^fluxtf: cannot write the journal clusters/\.fluxtf-journal: permission denied; nothing was changed$`},
	{name: "unreadable-file/render", dir: "unreadable-file", cmd: "render", setup: unreadable(badSpecs + "/uat.yaml"), asNobody: true,
		want: `^environments/uat\.yaml: permission denied; make the file readable by this user \(chmod u\+r\)$`},
	// user policies (--policy) are bounded in time and memory and
	// sandboxed; the run's folder gets the case's policy/ folder
	{name: "policy-loop/validate", dir: "policy-loop", cmd: "validate", setup: copyAs("policy", "policy"),
		args: []string{"validate", badManifests, "--policy", "policy", "--policy-timeout", "1s"},
		want: `^policy/loop\.rego:[4-8]: user policy evaluation stopped after 1s \(--policy-timeout\): a rule runs too long \(an unbounded loop\?\); bound it, or raise --policy-timeout$`},
	{name: "policy-loop/check", dir: "policy-loop", cmd: "validate", setup: copyAs("policy", "policy"),
		args: []string{"check", "--specs", badSpecs, "--out", badOut, "--no-baseline", "--policy", "policy", "--policy-timeout", "1s"},
		want: `^policy/loop\.rego:[4-8]: user policy evaluation stopped after 1s \(--policy-timeout\)`},
	{name: "policy-huge-value/validate", dir: "policy-huge-value", cmd: "validate", setup: copyAs("policy", "policy"),
		args:      []string{"validate", badManifests, "--policy", "policy", "--policy-memory", "128Mi"},
		want:      `^policy/huge\.rego:6: user policy evaluation stopped: it grew the memory by more than 128 MiB \(--policy-memory\): a rule builds a huge value`,
		maxRSSMiB: 400},
	{name: "policy-stuck-builtin/validate", dir: "policy-stuck-builtin", cmd: "validate", setup: copyAs("policy", "policy"),
		args:      []string{"validate", badManifests, "--policy", "policy", "--policy-timeout", "1s", "--policy-memory", "256Mi"},
		want:      `^(fluxtf: )?policy/dag\.rego(:\d+)?: user policy evaluation stopped( after 1s \(--policy-timeout\)|: it grew the memory by more than 256 MiB \(--policy-memory\))`,
		maxRSSMiB: 1024},
	// with the default --policy-memory the process stays well under
	// 1 GiB, a built-in that never checks included (it was 1.0-1.35 GiB
	// when the bound counted only the heap's growth, by 1 GiB, and waited
	// a second for the stuck built-in); the timeout is long so that only
	// the memory bound can end them, on a loaded machine too
	{name: "policy-huge-value/default-memory", dir: "policy-huge-value", cmd: "validate", setup: copyAs("policy", "policy"),
		args:      []string{"validate", badManifests, "--policy", "policy", "--policy-timeout", "10m"},
		want:      `^policy/huge\.rego:6: user policy evaluation stopped: it grew the memory by more than 512 MiB \(--policy-memory\)`,
		maxRSSMiB: 850},
	{name: "policy-stuck-builtin/default-memory", dir: "policy-stuck-builtin", cmd: "validate", setup: copyAs("policy", "policy"),
		args:      []string{"validate", badManifests, "--policy", "policy", "--policy-timeout", "10m"},
		want:      `^(fluxtf: )?policy/dag\.rego(:\d+)?: user policy evaluation stopped: it grew the memory by more than 512 MiB \(--policy-memory\)`,
		maxRSSMiB: 850},
	{name: "policy-schema-ref/validate", dir: "policy-schema-ref", cmd: "validate", setup: copyAs("policy", "policy"),
		args: []string{"validate", badManifests, "--policy", "policy"},
		want: `^policy/oracle\.rego:6: json\.verify_schema is not allowed in fluxtf policies: it loads a schema's \$ref from files and URLs`},
	{name: "policy-nondeterministic/validate", dir: "policy-nondeterministic", cmd: "validate", setup: copyAs("policy", "policy"),
		args: []string{"validate", badManifests, "--policy", "policy"},
		want: `^policy/clock\.rego:6: time\.now_ns is not allowed in fluxtf policies: it reads the clock`},
	{name: "policy-shadows-builtin/validate", dir: "policy-shadows-builtin", cmd: "validate", setup: copyAs("policy", "policy"),
		args: []string{"validate", badManifests, "--policy", "policy"},
		want: `^policy/schema\.rego:5: user policy package main reports rule "schema", an id of fluxtf's own rules`},
	// a policy folder reads nothing outside itself: a parse error would
	// quote a linked file's text, and the loader followed every link to a
	// folder (one to its parent walked for ever)
	{name: "policy-link-outside/file", dir: "policy-link-outside", cmd: "validate", setup: policyLinkOutside("leak.rego", "outside/secret.rego"),
		args:    []string{"validate", badManifests, "--policy", "policy"},
		want:    `^fluxtf: policy/leak\.rego: is a symbolic link to /\S+/outside/secret\.rego, outside policy; fluxtf reads nothing outside the policy folder, remove the link or copy the file$`,
		secrets: []string{outsideSecret}},
	{name: "policy-link-outside/folder", dir: "policy-link-outside", cmd: "validate", setup: policyLinkOutside("shared", "outside"),
		args:    []string{"validate", badManifests, "--policy", "policy"},
		want:    `^fluxtf: policy/shared: is a symbolic link to /\S+/outside, outside policy; fluxtf reads nothing outside the policy folder, remove the link or copy the file$`,
		secrets: []string{outsideSecret, "outside policy loaded"}},
	{name: "policy-link-outside/policy-test", dir: "policy-link-outside", cmd: "validate", setup: policyLinkOutside("leak.rego", "outside/secret.rego"),
		args:    []string{"policy", "test", "--no-builtin", "policy"},
		want:    `^fluxtf: policy/leak\.rego: is a symbolic link to /\S+/outside/secret\.rego, outside policy;`,
		secrets: []string{outsideSecret}},
	{name: "policy-link-loop/validate", dir: "policy-link-loop", cmd: "validate", setup: policyLinkLoop,
		args:      []string{"validate", badManifests, "--policy", "policy"},
		want:      `^fluxtf: policy/up: is a symbolic link to /\S+, outside policy; fluxtf reads nothing outside the policy folder, remove the link or copy the file$`,
		maxRSSMiB: 300},
	{name: "policy-deny-function/validate", dir: "policy-deny-function", cmd: "validate", setup: copyAs("policy", "policy"),
		args: []string{"validate", badManifests, "--policy", "policy"},
		want: `^policy/helper\.rego:4: main\.deny is a function; fluxtf, as conftest, reads deny, warn and violation rules as sets of messages \(strings or objects with msg\): write ` + "`deny contains msg if \\{ … \\}`$"},
	{name: "policy-syntax-error/validate", dir: "policy-syntax-error", cmd: "validate", setup: copyAs("policy", "policy"),
		args: []string{"validate", badManifests, "--policy", "policy"},
		want: `^policy/broken\.rego:5: unexpected } token$`},
	{name: "unreadable-file/validate", dir: "unreadable-file", cmd: "validate", setup: unreadable(badManifests + "/gitrepository.yaml"), asNobody: true,
		want: `^manifests/gitrepository\.yaml: permission denied; make the file readable by this user \(chmod u\+r\)$`},
	{name: "baseline-unreadable/check-no-checkout", dir: "baseline-unreadable", cmd: "check",
		args: []string{"check", "--specs", badSpecs, "--out", badOut, "--baseline-ref", "HEAD"},
		want: `^fluxtf: cannot read the baseline HEAD: .* is not inside a git work tree; run fluxtf in a git checkout of the repository \(with its \.git folder\)$`},
	{name: "baseline-unreadable/validate-ref-not-fetched", dir: "baseline-unreadable", cmd: "validate", setup: gitCommitted,
		args: []string{"validate", "--baseline-ref", "origin/main", badManifests},
		want: `^fluxtf: cannot read the baseline origin/main: git ref "origin/main" does not name a commit in .*; fetch it first: git fetch origin main \(in GitHub Actions, actions/checkout with fetch-depth: 0\)$`},
	// a working folder whose name holds a newline: still one line
	{name: "baseline-unreadable/cwd-newline", dir: "baseline-unreadable", cmd: "validate", setup: mkdir("nl\nx"), cwd: "nl\nx",
		args: []string{"validate", "--baseline-ref", "HEAD", "../" + badManifests},
		want: `^fluxtf: cannot read the baseline HEAD: /\S+/nl\\nx is not inside a git work tree; run fluxtf in a git checkout of the repository \(with its \.git folder\)$`},
	// spec errors like a compiler: all of them, sorted by line, with the fix
	{name: "spec-typos/render", dir: "spec-typos", cmd: "render", file: "uat.yaml", lines: 5,
		want: `^environments/uat\.yaml:11:5: targets\[0\]\.region: "eu-wset-1" is not an AWS region; did you mean "eu-west-1"\?\n` +
			`environments/uat\.yaml:13:3: cluster\.kubernetesVersoin: unknown field "kubernetesVersoin"; did you mean "kubernetesVersion"\?\n` +
			`environments/uat\.yaml:14:3: cluster\.os: must be one of AL2, AL2023, BOTTLEROCKET, DEFAULT, CUSTOM, got "BOTTLEROCKT"\n` +
			`environments/uat\.yaml:16:3: components\[karpentr\]: unknown component "karpentr"; did you mean "karpenter"\?\n` +
			`environments/uat\.yaml:18:3: terraform\.intervall: unknown field "intervall"; did you mean "interval"\?$`},
	{name: "k8s-version-unknown/1.99", dir: "k8s-version-unknown", cmd: "render", file: "uat.yaml",
		want: `^environments/uat\.yaml:13:3: cluster\.kubernetesVersion: "1\.99" is not a Kubernetes version of EKS; use one of "1\.23", .*"1\.35" \(templates/eks-versions\.yaml\)$`},
	{name: "k8s-version-unknown/1.3", dir: "k8s-version-unknown", cmd: "render", file: "old.yaml",
		want: `^environments/uat\.yaml:13:3: cluster\.kubernetesVersion: "1\.3" is not a Kubernetes version of EKS; use one of "1\.23", .*"1\.35" \(templates/eks-versions\.yaml\)$`},
	{name: "region-typo/render", dir: "region-typo", cmd: "render", file: "uat.yaml",
		want: `^environments/uat\.yaml:11:5: targets\[0\]\.region: "eu-wset-1" is not an AWS region; did you mean "eu-west-1"\?$`},
	// the ocm-client stack takes no EKS field: the example ocm-uat
	// environment with a cluster block
	{name: "ocm-client-eks-field/render", dir: "ocm-client-eks-field", cmd: "render", setup: replaceSpec("ocm-uat.yaml"),
		want: `^environments/ocm-uat\.yaml:31:1: cluster: is a field of stack jeppesen-eks; environment ocm-uat deploys stack ocm-client, which does not take it \(its fields: functionApp\): remove it$`},
	{name: "inline-secret/render", dir: "inline-secret", cmd: "render", file: "uat.yaml",
		want: `^environments/uat\.yaml:18:7: components\[argocd\]\.vars\[admin_password\]: admin_password looks like a secret, which must not live in Git: store it in a Secret, name its key under components\.argocd\.secrets\.admin_password: \{name: <Secret>, key: <key>\} and remove the value$`},
	{name: "fifo-manifest/validate", dir: "fifo-manifest", cmd: "validate", setup: fifoManifest,
		want: `^manifests/pipe\.yaml: is not a regular file \(p---------\); fluxtf reads only regular files, remove it$`},
	// named on the command line, a FIFO is not opened either (it would
	// block until a writer came)
	{name: "fifo-manifest/validate-named", dir: "fifo-manifest", cmd: "validate", setup: fifoManifest,
		args: []string{"validate", badManifests + "/pipe.yaml"},
		want: `^manifests/pipe\.yaml: is not a regular file \(p---------\); fluxtf reads only regular files, name a file or folder of manifests$`},
	// a FIFO wherever fluxtf reads a file: never opened (it would block)
	{name: "fifo-anywhere/kustomize-file", dir: "fifo-anywhere", cmd: "validate", setup: fifoIn("generator", "generator/pipe.env"),
		args: []string{"validate", badManifests + "/generator"},
		want: `^manifests/generator/kustomization\.yaml:5:5: configMapGenerator\[0\]\.files\[0\]: "pipe\.env" is not a regular file \(p---------\): a kustomization may only read regular files and folders; remove it or list a file$`},
	{name: "fifo-anywhere/kustomization", dir: "fifo-anywhere", cmd: "validate", setup: fifoIn("nested", "nested/sub/kustomization.yaml"),
		args: []string{"validate", badManifests + "/nested"},
		want: `^manifests/nested/sub/kustomization\.yaml: is not a regular file \(p---------\); fluxtf reads only regular files, remove it$`},
	{name: "fifo-anywhere/policy", dir: "fifo-anywhere", cmd: "validate", setup: fifoIn("policy", "policy/stuck.rego"),
		args: []string{"validate", badManifests, "--policy", badManifests + "/policy"},
		want: `^(fluxtf: )?manifests/policy/stuck\.rego: is not a regular file \(p---------\); fluxtf reads only regular files, remove it$`},
	{name: "fifo-anywhere/spec", dir: "fifo-anywhere", cmd: "render", setup: fifoIn("", badSpecs+"/stage.yaml"),
		want: `^environments/stage\.yaml: is not a regular file \(p---------\); fluxtf reads only regular files, remove it$`},
	// kustomizations may read nothing outside the repository root, and
	// a user policy that prints values sees none of it
	{name: "kustomize-outside-root/environ", dir: "kustomize-outside-root", cmd: "validate", setup: outsideRoot("environ"),
		args:    []string{"validate", badManifests + "/environ", "--policy", "policy"},
		want:    `^manifests/environ/kustomization\.yaml:5:5: configMapGenerator\[0\]\.files\[0\]: "/proc/self/environ" is an absolute path: a kustomization may only name files inside the repository, relative to its folder$`,
		secrets: []string{"FLUXTF_TEST_AS_CLI", "PATH="}},
	{name: "kustomize-outside-root/dotdot", dir: "kustomize-outside-root", cmd: "validate", setup: outsideRoot("dotdot"),
		args:    []string{"validate", badManifests + "/dotdot", "--policy", "policy"},
		want:    `^manifests/dotdot/kustomization\.yaml:5:5: secretGenerator\[0\]\.envs\[0\]: "\.\./\.\./outside\.env" is outside the repository root /\S+/manifests/dotdot; a kustomization may only read files inside it`,
		secrets: []string{outsideSecret}},
	{name: "kustomize-outside-root/symlink", dir: "kustomize-outside-root", cmd: "validate", setup: outsideRoot("symlink"),
		args:    []string{"validate", badManifests + "/symlink", "--policy", "policy"},
		want:    `^manifests/symlink/kustomization\.yaml:3:3: resources\[1\]: "leak\.yaml" leads through a symbolic link to /\S+/outside/leak\.yaml, outside the repository root /\S+/manifests/symlink; a kustomization may only read files inside it$`,
		secrets: []string{outsideSecret}},
	// remote references a field-by-field check would miss, but kustomize
	// fetches: a key spelt with a long s, a patch entry that is a mapping
	{name: "kustomize-remote-disguised/long-s", dir: "kustomize-remote-disguised", cmd: "validate", setup: copyAs("long-s", badManifests+"/long-s"),
		args: []string{"validate", badManifests + "/long-s"},
		want: `^manifests/long-s/kustomization\.yaml:6:5: \x{017f}ecretGenerator\[0\]\.files\[0\]: remote reference "http://127\.0\.0\.1:9/token" is not supported: fluxtf reads local files only and never fetches or runs anything; vendor it into this repository, or validate that repository where it lives$`},
	{name: "kustomize-remote-disguised/mapping-patch", dir: "kustomize-remote-disguised", cmd: "validate", setup: copyAs("mapping-patch", badManifests+"/mapping-patch"),
		args: []string{"validate", badManifests + "/mapping-patch"},
		want: `^manifests/mapping-patch/kustomization\.yaml:4:3: patchesStrategicMerge\[0\]: remote reference "http://127\.0\.0\.1:9/patch: y" is not supported: fluxtf reads local files only`},
	// folder entries kustomize refuses (a cycle, a ".." inside a name),
	// which the fast path built
	{name: "kustomize-cycle/parent", dir: "kustomize-cycle", cmd: "validate", setup: copyAs("parent", badManifests+"/parent"),
		args: []string{"validate", badManifests + "/parent"},
		want: `^manifests/parent/app/child/kustomization\.yaml:3:3: resources\[0\]: kustomization lists "\.\.", which holds manifests/parent/app/child, a folder this build is in: kustomize refuses it as a cycle; remove the entry`},
	{name: "kustomize-cycle/self", dir: "kustomize-cycle", cmd: "validate", setup: copyAs("self", badManifests+"/self"),
		args: []string{"validate", badManifests + "/self"},
		want: `^manifests/self/kustomization\.yaml:3:3: resources\[1\]: kustomization lists "\./", which holds manifests/self, a folder this build is in: kustomize refuses it as a cycle; remove the entry`},
	{name: "kustomize-cycle/ambiguous", dir: "kustomize-cycle", cmd: "validate", setup: copyAs("ambiguous", badManifests+"/ambiguous"),
		args: []string{"validate", badManifests + "/ambiguous"},
		want: `^manifests/ambiguous/kustomization\.yaml:2:3: resources\[0\]: "app\.\.v2" is ambiguous: kustomize refuses a folder entry with "\.\." inside a name \(it takes it for a mistyped path\); rename the folder$`},
	// a kustomization entry that is a symbolic link loop: said so, with
	// the fix, not "does not exist"
	{name: "symlink-loop", dir: "symlink-loop", cmd: "validate", setup: linkLoop,
		args: []string{"validate", badManifests + "/loop"},
		want: `^manifests/loop/kustomization\.yaml:3:3: resources\[1\]: kustomization lists "a\.yaml", but manifests/loop/a\.yaml leads through symbolic links that never end \(a loop, or more than 40\); fix or remove the links$`},
	// YAML that is not a Kubernetes object: skipped with a note in a
	// folder walk, an error when named
	{name: "not-kubernetes/validate-named", dir: "not-kubernetes", cmd: "validate", file: "Taskfile.yml",
		args: []string{"validate", badManifests + "/Taskfile.yml"},
		want: `^manifests/Taskfile\.yml:1:1: not a Kubernetes object: apiVersion and kind are required \(apiVersion and kind missing\)$`},
	// many files, each under the limit per file, over the run's budget
	{name: "memory-budget/validate", dir: "memory-budget", cmd: "validate", setup: twelveLargeFiles,
		args:      []string{"validate", badManifests},
		raceArgs:  []string{"--max-objects", "30000"},
		want:      `^fluxtf: the manifests of this run \(its baseline included\) hold more than (300000|30000) objects, fluxtf's budget of objects per run \(--max-objects\): fluxtf stops before the machine runs out of memory`,
		maxRSSMiB: 2560},
	// files kustomize reads for a generator count in the budget too
	{name: "memory-budget/generator-files", dir: "memory-budget", cmd: "validate", setup: generatorFiles(6000),
		args: []string{"validate", badManifests + "/gen", "--max-input-bytes", "1Mi"},
		want: `^fluxtf: the manifests of this run \(its baseline included\) are over 1(\.0)? MiB, fluxtf's budget of file bytes per run \(--max-input-bytes\)`},
	// and at manifest.GeneratorFactor times their size, what kustomize
	// holds in memory: 300 KB of them are over 1 MiB
	{name: "memory-budget/generator-factor", dir: "memory-budget", cmd: "validate", setup: generatorFiles(1000),
		args: []string{"validate", badManifests + "/gen", "--max-input-bytes", "1Mi"},
		want: `^fluxtf: the manifests of this run \(its baseline included\) are over 1 MiB, fluxtf's budget of file bytes per run \(--max-input-bytes\) \(a file a configMapGenerator or secretGenerator reads counts 6 times its size: kustomize holds about that much in memory to build it\): fluxtf stops before the machine runs out of memory`},
	// --live reads only kubectl's output of Terraforms and GitRepositories
	{name: "live-not-kubectl/check-pod", dir: "live-not-kubectl", cmd: "check", setup: liveFile("pod.yaml"),
		args: []string{"check", "--specs", badSpecs, "--out", badOut, "--no-baseline", "--live", "live/pod.yaml"},
		want: "^fluxtf: --live: live/pod\\.yaml:4:5: a Pod; --live reads Terraform and GitRepository objects only; give --live the output of `kubectl get terraforms,gitrepositories -A -o yaml`$"},
	{name: "live-not-kubectl/validate-generation", dir: "live-not-kubectl", cmd: "validate", setup: liveFile("generation.yaml"),
		args: []string{"validate", badManifests, "--live", "live/generation.yaml"},
		want: "^fluxtf: --live: live/generation\\.yaml:6:15: generation is the string \"5\", not an integer; give --live the output of `kubectl get terraforms,gitrepositories -A -o yaml`$"},
	{name: "live-not-kubectl/validate-alias-bomb", dir: "live-not-kubectl", cmd: "validate", setup: liveFile("alias-bomb.yaml"),
		args:      []string{"validate", badManifests, "--live", "live/alias-bomb.yaml"},
		want:      `^fluxtf: --live: live/alias-bomb\.yaml:\d+:\d+: .*aliases expand to more than 100000 values`,
		maxRSSMiB: 150},
}

// mkdir makes the folder rel of the run folder.
func mkdir(rel string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, _ string) {
		if err := os.MkdirAll(filepath.Join(run, rel), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// liveFile copies the case's file name into the run's live/ folder, for
// --live.
func liveFile(name string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, src string) {
		t.Helper()
		if err := os.Mkdir(filepath.Join(run, "live"), 0o755); err != nil {
			t.Fatal(err)
		}
		copyFile(t, filepath.Join(src, name), filepath.Join(run, "live", name))
	}
}

// linkLoop copies the symlink-loop case folder to manifests/loop and
// makes its a.yaml a link to b.yaml, a link back to a.yaml.
func linkLoop(t *testing.T, run, src string) {
	copyAs("loop", badManifests+"/loop")(t, run, src)
	for link, target := range map[string]string{"a.yaml": "b.yaml", "b.yaml": "a.yaml"} {
		if err := os.Symlink(target, filepath.Join(run, badManifests, "loop", link)); err != nil {
			t.Fatal(err)
		}
	}
}

// outsideSecret is the content of the file outside the repository root
// that the kustomize-outside-root cases try to read.
const outsideSecret = "s3cr3t-outside-the-root"

// outsideRoot copies the kustomize-outside-root case folder name to
// manifests/<name> and the printing policy to policy/, and puts a secret
// outside the root: outside.env beside manifests/, and outside/leak.yaml,
// which manifests/symlink/leak.yaml links to.
func outsideRoot(name string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, src string) {
		copyAs(name, badManifests+"/"+name)(t, run, src)
		copyAs("policy", "policy")(t, run, src)
		writeFile(t, filepath.Join(run, "outside.env"), []byte("TOKEN="+outsideSecret+"\n"))
		if err := os.Mkdir(filepath.Join(run, "outside"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(run, "outside", "leak.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\ndata: {TOKEN: "+outsideSecret+"}\n"))
		if name == "symlink" {
			if err := os.Symlink(filepath.Join("..", "..", "outside", "leak.yaml"), filepath.Join(run, badManifests, name, "leak.yaml")); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// specLinkOutside writes outside/secret.yaml in the run folder (a mapping
// whose key and value are the secret) and makes environments/<name> a
// symbolic link to it.
func specLinkOutside(name string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, _ string) {
		if err := os.Mkdir(filepath.Join(run, "outside"), 0o755); err != nil {
			t.Fatal(err)
		}
		secret := filepath.Join(run, "outside", "secret.yaml")
		writeFile(t, secret, []byte(outsideSecret+": "+outsideSecret+"\ntier: "+outsideSecret+"\n"))
		link := filepath.Join(run, badSpecs, name)
		_ = os.Remove(link)
		if err := os.Symlink(secret, link); err != nil {
			t.Fatal(err)
		}
	}
}

// policyLinkOutside copies the case's policy folder and links name in it
// to target under the run folder: outside/secret.rego, text that is no
// Rego and holds outsideSecret, beside outside/o.rego, a policy.
func policyLinkOutside(name, target string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, src string) {
		copyAs("policy", "policy")(t, run, src)
		_ = os.RemoveAll(filepath.Join(run, "outside"))
		if err := os.Mkdir(filepath.Join(run, "outside"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(run, "outside", "secret.rego"), []byte("TOKEN="+outsideSecret+" {\n"))
		writeFile(t, filepath.Join(run, "outside", "o.rego"), []byte("package main\n\ndeny contains \"outside policy loaded\" if true\n"))
		if err := os.Symlink(filepath.Join(run, filepath.FromSlash(target)), filepath.Join(run, "policy", name)); err != nil {
			t.Fatal(err)
		}
	}
}

// policyLinkLoop copies the case's policy folder and links policy/up to
// its parent and policy/again to itself.
func policyLinkLoop(t *testing.T, run, src string) {
	copyAs("policy", "policy")(t, run, src)
	for name, target := range map[string]string{"up": "..", "again": "."} {
		if err := os.Symlink(target, filepath.Join(run, "policy", name)); err != nil {
			t.Fatal(err)
		}
	}
}

// twelveLargeFiles writes twelve files of 7.8 MB into manifests/, each a
// stream of small ConfigMaps (71,000 a file).
func twelveLargeFiles(t *testing.T, run, _ string) {
	for i := range 12 {
		var b bytes.Buffer
		for j := 0; b.Len() < 7_800_000; j++ {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d-%d, labels: {a: b}}\ndata: {a: '1', b: '2', c: '3'}\n", i, j)
		}
		writeFile(t, filepath.Join(run, badManifests, fmt.Sprintf("large-%02d.yaml", i)), b.Bytes())
	}
}

// generatorFiles writes manifests/gen/, a kustomization whose
// configMapGenerator reads three files of lines lines of 100 bytes.
func generatorFiles(lines int) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, _ string) {
		dir := filepath.Join(run, badManifests, "gen")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		k := "configMapGenerator:\n- name: big\n  files:\n"
		for i := range 3 {
			name := fmt.Sprintf("f%d.txt", i)
			writeFile(t, filepath.Join(dir, name), bytes.Repeat([]byte(strings.Repeat("x", 99)+"\n"), lines))
			k += "  - " + name + "\n"
		}
		writeFile(t, filepath.Join(dir, "kustomization.yaml"), []byte(k))
	}
}

// gitCommitted makes the run folder a git repository with everything
// committed.
func gitCommitted(t *testing.T, run, _ string) {
	env := cleanEnv()
	mustRun(t, run, env, "git", "init", "-q", "-b", "main")
	mustRun(t, run, env, "git", "add", "-A")
	mustRun(t, run, env, "git", "commit", "-q", "-m", "specs and output")
}

// fifoManifest puts a FIFO named like a manifest in the manifests folder.
func fifoManifest(t *testing.T, run, _ string) {
	if err := syscall.Mkfifo(filepath.Join(run, badManifests, "pipe.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fifoIn copies the case's folder name (none when empty) to manifests/,
// then makes rel a FIFO (relative to manifests/, or to the run folder for
// a path under environments/).
func fifoIn(name, rel string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, src string) {
		if name != "" {
			copyAs(name, badManifests+"/"+name)(t, run, src)
		}
		p := filepath.Join(run, badManifests, filepath.FromSlash(rel))
		if strings.HasPrefix(rel, badSpecs+"/") {
			p = filepath.Join(run, filepath.FromSlash(rel))
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// replaceSpec puts the case's file name over the example environment of
// the same name (an environment other than uat).
func replaceSpec(name string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, src string) {
		copyFile(t, filepath.Join(src, name), filepath.Join(run, badSpecs, name))
	}
}

// unreadable makes a file of the run folder unreadable (mode 000).
func unreadable(rel string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, _ string) {
		p := filepath.Join(run, filepath.FromSlash(rel))
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(p, 0o644) })
	}
}

// TestBadInput runs every case of fixtures/bad-input (see badCases) through
// the CLI in a child process (this test binary in CLI mode), after a good
// render of the examples, and checks the outcome and that the previous
// output is intact. TestConcurrentRenders, the last case, needs two
// processes of its own.
func TestBadInput(t *testing.T) {
	t.Parallel()
	corpus := filepath.Join(repoRoot, "fixtures", "bad-input")
	used := map[string]bool{}
	for _, c := range badCases {
		used[c.dir] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run := badSetup(t)
			src := filepath.Join(corpus, c.dir)
			if c.file != "" {
				dst := filepath.Join(run, badManifests, c.file)
				if c.cmd == "render" {
					dst = filepath.Join(run, badSpecs, "uat.yaml")
				}
				copyFile(t, filepath.Join(src, c.file), dst)
			}
			if c.setup != nil {
				c.setup(t, run, src)
			}
			before := badTree(t, filepath.Join(run, badOut))
			args := c.args
			switch {
			case args != nil:
			case c.cmd == "render":
				args = []string{"render", "--all", "--specs", badSpecs, "--out", badOut}
			default:
				args = []string{"validate", badManifests}
			}
			if racedetect.Enabled {
				args = append(slices.Clone(args), c.raceArgs...)
			}
			res := badRunCLI(t, filepath.Join(run, c.cwd), c.asNobody, args...)
			t.Logf("exit %d in %s, peak RSS %d MiB: %s", res.code, res.elapsed.Round(time.Millisecond), res.rssKiB>>10, strings.TrimSpace(res.stderr))
			if res.code != exitInput {
				t.Errorf("exit code %d, want %d", res.code, exitInput)
			}
			lines := strings.Split(strings.TrimRight(res.stderr, "\n"), "\n")
			if n := max(c.lines, 1); len(lines) != n || !regexp.MustCompile(c.want).MatchString(strings.Join(lines, "\n")) {
				t.Errorf("stderr:\n%s\nwant %d line(s) matching %s", res.stderr, n, c.want)
			}
			if strings.Contains(res.stderr, "panic") || strings.Contains(res.stderr, "goroutine ") || strings.Contains(res.stderr, "internal error") {
				t.Errorf("a crash: %s", res.stderr)
			}
			if res.stdout != "" {
				t.Errorf("partial output on stdout: %q", res.stdout)
			}
			for _, secret := range c.secrets {
				if strings.Contains(res.stdout+res.stderr, secret) {
					t.Errorf("%q, read outside the repository root, reached the output", secret)
				}
			}
			if limit := c.maxRSSMiB * raceMemFactor(); limit > 0 && res.rssKiB>>10 > limit {
				t.Errorf("peak RSS %d MiB, over %d MiB", res.rssKiB>>10, limit)
			}
			badSameTree(t, before, badTree(t, filepath.Join(run, badOut)))
		})
	}
	ents, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() && !used[e.Name()] && e.Name() != "concurrent-renders" {
			t.Errorf("fixtures/bad-input/%s has no case in badCases", e.Name())
		}
	}
}

// badHWMEnv names the file a child writes its peak RSS to. The kernel's
// own accounting (wait4's ru_maxrss) counts the parent's memory too,
// because exec folds the peak of the memory the child started in (the
// parent's, after vfork) into it; VmHWM is the child's own.
const badHWMEnv = "FLUXTF_TEST_HWM_FILE"

// init runs before TestMain: a child started by badCommand runs the CLI
// as main does (cliMain: the soft memory limit and the collector's tuning
// included, which set the peak RSS the cases' lines bound) and records
// its peak RSS.
func init() {
	hwm := os.Getenv(badHWMEnv)
	if hwm == "" || os.Getenv("FLUXTF_TEST_AS_CLI") != "1" {
		return
	}
	code := cliMain()
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				_ = os.WriteFile(hwm, []byte(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))), 0o666)
			}
		}
	}
	os.Exit(code)
}

// badSetup makes a run folder: the examples' specs, their rendered output
// and a folder with one good manifest. The folder and everything in it can
// be read and searched by any user (for asNobody).
func badSetup(t *testing.T) string {
	t.Helper()
	run := t.TempDir()
	for d := run; d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()) && d != os.TempDir(); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	for _, d := range []string{badSpecs, badManifests} {
		if err := os.Mkdir(filepath.Join(run, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"defaults.yaml", "dev.yaml", "uat.yaml", "prod.yaml"} {
		copyFile(t, filepath.Join(repoRoot, "fixtures", "environments", f), filepath.Join(run, badSpecs, f))
	}
	copyFile(t, filepath.Join(repoRoot, "fixtures", "clusters", "uat", "gitrepository.yaml"), filepath.Join(run, badManifests, "gitrepository.yaml"))
	if code, _, stderr := runCLI(t, "render", "--all", "--specs", filepath.Join(run, badSpecs), "--out", filepath.Join(run, badOut)); code != 0 {
		t.Fatalf("good render: %d %s", code, stderr)
	}
	return run
}

type badResult struct {
	code           int
	stdout, stderr string
	rssKiB         int64
	elapsed        time.Duration
}

// badRunCLI runs this test binary as the CLI in dir.
func badRunCLI(t *testing.T, dir string, asNobody bool, args ...string) badResult {
	t.Helper()
	cmd := badCommand(t, dir, asNobody, args...)
	hwm := filepath.Join(dir, "vmhwm")
	writeFile(t, hwm, nil)
	if err := os.Chmod(hwm, 0o666); err != nil { // for asNobody
		t.Fatal(err)
	}
	cmd.Env = append(cmd.Env, badHWMEnv+"="+hwm)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := badResult{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	data, _ := os.ReadFile(hwm)
	_ = os.Remove(hwm)
	res.rssKiB, _ = strconv.ParseInt(string(data), 10, 64)
	if res.rssKiB == 0 && runtime.GOOS == "linux" {
		t.Errorf("the child recorded no peak RSS")
	}
	return res
}

func badCommand(t *testing.T, dir string, asNobody bool, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	asNobody = asNobody && os.Getuid() == 0 // root ignores permissions
	if asNobody {
		// a copy that the unprivileged user can reach and run
		copyFile(t, bin, filepath.Join(dir, "fluxtf"))
		bin = filepath.Join(dir, "fluxtf")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FLUXTF_TEST_AS_CLI=1")
	if asNobody {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	return cmd
}

// badTree lists every file, folder and symlink under dir with what it
// holds, without following links.
func badTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	tree := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			tree[rel] = []byte("symlink to " + target)
			return err
		case d.IsDir():
			tree[rel+"/"] = nil
			return nil
		}
		data, err := os.ReadFile(p)
		tree[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// badSameTree fails when a file was added, removed or changed.
func badSameTree(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	for name, data := range before {
		if got, ok := after[name]; !ok {
			t.Errorf("%s deleted by a failed run", name)
		} else if !bytes.Equal(got, data) {
			t.Errorf("%s changed by a failed run", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s written by a failed run", name)
		}
	}
}

// hugeFile writes a 50 MB YAML file at rel: a ConfigMap with 546,133 keys.
func hugeFile(rel string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, _ string) {
		var b bytes.Buffer
		b.WriteString("apiVersion: v1\nkind: ConfigMap\ndata:\n")
		for i := 0; b.Len() < 50<<20; i++ {
			fmt.Fprintf(&b, "  k%08d: %q\n", i, strings.Repeat("x", 80))
		}
		writeFile(t, filepath.Join(run, filepath.FromSlash(rel)), b.Bytes()[:50<<20])
	}
}

// copyAs copies a file or folder of the case into the run folder.
func copyAs(name, rel string) func(t *testing.T, run, src string) {
	return func(t *testing.T, run, dir string) {
		src := filepath.Join(dir, name)
		dst := filepath.Join(run, filepath.FromSlash(rel))
		_ = os.RemoveAll(dst)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			r, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, r), 0o755)
			}
			copyFile(t, p, filepath.Join(dst, r))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// linkOutside replaces clusters/uat with a symlink to an empty folder
// outside the output root, and checks at the end that nothing reached it.
func linkOutside(t *testing.T, run, _ string) {
	outside := filepath.Join(run, "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	uat := filepath.Join(run, badOut, "uat")
	if err := os.RemoveAll(uat); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, uat); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if ents, _ := os.ReadDir(outside); len(ents) != 0 {
			t.Errorf("wrote through the symlink: %v", ents)
		}
	})
}

// readOnlyOutput changes the uat spec, so that a render has to write, and
// makes the rendered output read-only.
func readOnlyOutput(t *testing.T, run, _ string) {
	spec := filepath.Join(run, badSpecs, "uat.yaml")
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, spec, bytes.Replace(data, []byte("v4.2.0"), []byte("v4.3.0"), 1))
	out := filepath.Join(run, badOut)
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			mode := os.FileMode(0o444)
			if d.IsDir() {
				mode = 0o555
			}
			_ = os.Chmod(p, mode)
		}
		return nil
	})
	t.Cleanup(func() {
		_ = filepath.WalkDir(out, func(p string, _ fs.DirEntry, _ error) error { return os.Chmod(p, 0o755) })
	})
}

// TestConcurrentRenders starts two renders of the same 150-environment
// fleet into the same empty output root at once, as two processes: one
// writes, the other exits 2 with the lock message and writes nothing, and
// the output is complete and byte for byte a single render's. Both may
// succeed when one finished before the other reached the lock; the test
// then tries again, a few times.
func TestConcurrentRenders(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("renders a 150-environment fleet three times")
	}
	run := t.TempDir()
	specs := filepath.Join(run, badSpecs)
	if err := fleet.Write(specs, 150, 3); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(run, "reference")
	if code, _, stderr := runCLI(t, "render", "--all", "--specs", specs, "--out", ref); code != 0 {
		t.Fatalf("reference render: %d %s", code, stderr)
	}
	want := badTree(t, ref)
	for attempt := 1; attempt <= 5; attempt++ {
		out := fmt.Sprintf("clusters-%d", attempt)
		cmds := make([]*exec.Cmd, 2)
		outs := make([]*bytes.Buffer, 2)
		for i := range cmds {
			cmds[i] = badCommand(t, run, false, "render", "--all", "--specs", badSpecs, "--out", out)
			outs[i] = &bytes.Buffer{}
			cmds[i].Stderr = outs[i]
			cmds[i].Stdout = io.Discard
		}
		for _, c := range cmds {
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
		}
		codes := make([]int, 2)
		for i, c := range cmds {
			err := c.Wait()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				codes[i] = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
		}
		badSameTree(t, want, badTree(t, filepath.Join(run, out)))
		if codes[0] == 0 && codes[1] == 0 {
			t.Logf("attempt %d: the renders did not overlap; again", attempt)
			continue
		}
		loser := 1
		if codes[1] == 0 {
			loser = 0
		}
		if codes[1-loser] != 0 || codes[loser] != exitInput {
			t.Fatalf("exit codes %v, want one 0 and one 2; stderr:\n%s\n%s", codes, outs[0], outs[1])
		}
		msg := strings.TrimRight(outs[loser].String(), "\n")
		wantMsg := "fluxtf: another fluxtf render is writing " + out + "; wait for it to finish and run again"
		if msg != wantMsg {
			t.Fatalf("loser's stderr %q, want %q", msg, wantMsg)
		}
		t.Logf("attempt %d: render %d won, render %d: %s", attempt, 1-loser, loser, msg)
		return
	}
	t.Fatal("the two renders never overlapped in 5 attempts")
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// raceMemFactor widens the peak-memory bounds of TestBadInput under the
// race detector, which costs its shadow memory on every allocation; the
// plain `make test` run holds the real bounds.
func raceMemFactor() int64 {
	if racedetect.Enabled {
		return 3
	}
	return 1
}

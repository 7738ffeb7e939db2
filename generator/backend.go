package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/invopop/jsonschema"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/templates"
)

// BackendType is where tf-controller keeps an object's Terraform state.
type BackendType string

// State backends.
const (
	// BackendS3 keeps state in an S3 bucket, rendered as a `backend "s3"`
	// block in spec.backendConfig.customConfiguration (the uat and prod
	// tier default).
	BackendS3 BackendType = "s3"
	// BackendKubernetes keeps state in a Secret of the management cluster
	// (tf-controller's Kubernetes backend), with an explicit secret suffix
	// derived from the object's identity (the dev tier default).
	BackendKubernetes BackendType = "kubernetes"
)

// JSONSchema describes BackendType for editors.
func (BackendType) JSONSchema() *jsonschema.Schema {
	return enumSchema("s3: state in an S3 bucket (uat and prod default); kubernetes: state in a Secret of the management cluster (dev default).", "s3", "kubernetes")
}

// Backend is the Terraform state backend of every Terraform object of the
// environment. Each object's state key derives from its identity (stack,
// environment, account id, region, component), never from a display name.
type Backend struct {
	// Type is s3 or kubernetes (tier default: kubernetes in dev, s3 in uat and prod).
	Type BackendType `json:"type,omitempty"`
	// S3 configures the s3 backend; used when type is s3.
	S3 *S3Backend `json:"s3,omitempty"`
}

// S3Backend configures Terraform's s3 backend.
type S3Backend struct {
	// Bucket holding the state files; required with type s3 (set it in defaults.yaml).
	Bucket string `json:"bucket,omitempty"`
	// Region of the bucket, such as eu-west-1; required with type s3.
	Region string `json:"region,omitempty"`
	// DynamoDBTable is the DynamoDB table used for state locking (the older lock mechanism).
	DynamoDBTable string `json:"dynamodbTable,omitempty"`
	// UseLockfile locks with an S3 lock file beside the state (S3 native locking, Terraform 1.10+; tier default true).
	UseLockfile *bool `json:"useLockfile,omitempty"`
	// RoleARN is the IAM role the runner assumes to read and write the state (default: the runner's own credentials).
	RoleARN string `json:"roleArn,omitempty"`
	// KeyPrefix is put before every state key, such as terraform/eks (default none).
	KeyPrefix string `json:"keyPrefix,omitempty"`
}

// Identity is what a Terraform object deploys, independent of display
// names: the stack, environment, target account id and region, and the
// component (the base module's name for the base stack). The environment
// is its name before any rename recorded in moved, so a renamed
// environment keeps its state keys.
type Identity struct {
	Stack, Environment, AccountID, Region, Component string
}

// identityOf is the identity of a target's object for a module.
func identityOf(e *Environment, st *templates.Stack, t Target, component string) Identity {
	if t.AccountID == "" && t.Azure != nil {
		// a target of Azure only: its subscription and location
		return Identity{Stack: st.Name, Environment: originalEnvName(e), AccountID: t.Azure.SubscriptionID, Region: t.Azure.Location, Component: component}
	}
	return Identity{Stack: st.Name, Environment: originalEnvName(e), AccountID: t.AccountID, Region: t.Region, Component: component}
}

// StateKey is the S3 object key of the identity's state, below prefix:
// <prefix>/<stack>/<environment>/<account id>/<region>/<component>.tfstate.
func (id Identity) StateKey(prefix string) string {
	k := strings.Join([]string{id.Stack, id.Environment, id.AccountID, id.Region, id.Component}, "/") + ".tfstate"
	if prefix != "" {
		k = prefix + "/" + k
	}
	return k
}

// maxSecretSuffix is the longest secret suffix: the Kubernetes backend
// writes it into a label value, which holds at most 63 characters.
const maxSecretSuffix = 63

// SecretSuffix is the Kubernetes backend's secret_suffix of the identity:
// <stack>-<environment>-<account id>-<region>-<component>; when that is
// longer than a label value may be, its first 52 characters and 10 hex
// digits of its SHA-256.
func (id Identity) SecretSuffix() string {
	s := strings.Join([]string{id.Stack, id.Environment, id.AccountID, id.Region, id.Component}, "-")
	if len(s) <= maxSecretSuffix {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return strings.TrimRight(s[:52], "-") + "-" + hex.EncodeToString(sum[:])[:10]
}

// stateKey is where the backend keeps the identity's state: the S3 key, or
// the Kubernetes secret suffix (with its namespace).
func stateKey(e *Environment, id Identity) string {
	b := e.Terraform.Backend
	if b != nil && b.Type == BackendS3 && b.S3 != nil {
		return "s3://" + b.S3.Bucket + "/" + id.StateKey(b.S3.KeyPrefix)
	}
	return "kubernetes://" + e.Namespace + "/" + id.SecretSuffix()
}

// backendConfig is the spec.backendConfig of the identity's object; nil
// when the environment has no backend (tf-controller's in-cluster default).
func backendConfig(e *Environment, id Identity) *infrav1.BackendConfigSpec {
	b := e.Terraform.Backend
	if b == nil {
		return nil
	}
	switch b.Type {
	case BackendS3:
		return &infrav1.BackendConfigSpec{CustomConfiguration: s3Block(b.S3, id)}
	case BackendKubernetes:
		return &infrav1.BackendConfigSpec{SecretSuffix: id.SecretSuffix(), InClusterConfig: true}
	}
	return nil
}

// s3Block is the `backend "s3" {...}` block tf-controller wraps in a
// `terraform {}` block of its own (controllers/tf_controller_backend.go):
// customConfiguration holds the backend block only.
func s3Block(s *S3Backend, id Identity) string {
	type attr struct{ k, v string }
	attrs := make([]attr, 0, 6) // (on the stack)
	attrs = append(attrs,
		attr{"bucket", hclString(s.Bucket)},
		attr{"key", hclString(id.StateKey(s.KeyPrefix))},
		attr{"region", hclString(s.Region)},
		attr{"encrypt", "true"},
	)
	if s.DynamoDBTable != "" {
		attrs = append(attrs, attr{"dynamodb_table", hclString(s.DynamoDBTable)})
	}
	if s.UseLockfile != nil && *s.UseLockfile {
		attrs = append(attrs, attr{"use_lockfile", "true"})
	}
	width := 0
	for _, a := range attrs {
		width = max(width, len(a.k))
	}
	const head, tail = "backend \"s3\" {\n", "}\n"
	size := len(head) + len(tail)
	for _, a := range attrs {
		size += 2 + width + 3 + len(a.v) + 1
	}
	var role string
	if s.RoleARN != "" {
		role = hclString(s.RoleARN)
		size += len("  assume_role = {\n    role_arn = ") + len(role) + len("\n  }\n")
	}
	var b strings.Builder
	b.Grow(size) // (the block's exact size: one allocation)
	b.WriteString(head)
	for _, a := range attrs { // "  %-*s = %s\n" (the keys are ASCII)
		b.WriteString("  ")
		b.WriteString(a.k)
		for range width - len(a.k) {
			b.WriteByte(' ')
		}
		b.WriteString(" = ")
		b.WriteString(a.v)
		b.WriteByte('\n')
	}
	if role != "" {
		b.WriteString("  assume_role = {\n    role_arn = ")
		b.WriteString(role)
		b.WriteString("\n  }\n")
	}
	b.WriteString(tail)
	return b.String()
}

// hclString quotes s as an HCL string literal: backslashes, quotes and
// control characters escaped, and template sequences (${, %{) doubled so
// they stay literal.
func hclString(s string) string {
	if !strings.ContainsFunc(s, hclSpecial) {
		return "\"" + s + "\""
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '"':
			b.WriteString(`\"`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte(c)
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// hclSpecial reports whether hclString writes r other than as it is:
// a backslash, a quote, a control character, or the '$' or '%' of a
// template sequence.
func hclSpecial(r rune) bool {
	return r == '\\' || r == '"' || r < 0x20 || r == '$' || r == '%'
}

// backend checks terraform.backend.
func (c *checker) backend(e *Environment) {
	b := e.Terraform.Backend
	if b == nil {
		return
	}
	const p = "terraform.backend"
	switch b.Type {
	case BackendKubernetes:
	case BackendS3:
		s := b.S3
		if s == nil {
			c.add(p+".s3", "is required with type s3: set bucket and region of the state bucket (in defaults.yaml for every environment)")
			return
		}
		switch {
		case s.Bucket == "":
			c.add(p+".s3.bucket", "is required with type s3: the state bucket, such as digx-terraform-state (set it in defaults.yaml), or choose type: kubernetes")
		case !bucketRE.MatchString(s.Bucket):
			c.add(p+".s3.bucket", "%q is not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')", s.Bucket)
		}
		switch {
		case s.Region == "":
			c.add(p+".s3.region", "is required with type s3: the state bucket's region, such as eu-west-1")
		case !regionRE.MatchString(s.Region):
			c.add(p+".s3.region", "must be an AWS region such as eu-west-1, got %q", s.Region)
		}
		if s.DynamoDBTable != "" && !dynamoRE.MatchString(s.DynamoDBTable) {
			c.add(p+".s3.dynamodbTable", "%q is not a DynamoDB table name", s.DynamoDBTable)
		}
		if s.DynamoDBTable == "" && (s.UseLockfile == nil || !*s.UseLockfile) {
			c.add(p+".s3", "has no state locking: set useLockfile: true (S3 native locking) or dynamodbTable")
		}
		if s.RoleARN != "" && !roleARNRE.MatchString(s.RoleARN) {
			c.add(p+".s3.roleArn", "%q is not an IAM role ARN such as arn:aws:iam::123456789012:role/terraform-state", s.RoleARN)
		}
		if s.KeyPrefix != "" && !keyPrefixRE.MatchString(s.KeyPrefix) {
			c.add(p+".s3.keyPrefix", "%q is not a key prefix: '/'-separated parts of letters, digits and !_.*'()- without a leading or trailing '/'", s.KeyPrefix)
		}
	case "":
		c.add(p+".type", "is required: s3 or kubernetes")
	default:
		c.add(p+".type", "must be s3 or kubernetes, got %q", b.Type)
	}
}

// stateKeys checks that no two objects of the environment share a state
// key: two targets with the same account id and region would write one
// state.
func (c *checker) stateKeys(e *Environment, st *templates.Stack) {
	seen := map[string]int{}
	for i, t := range e.Targets {
		id := identityOf(e, st, t, st.Base.Name)
		k := stateKey(e, id)
		if j, dup := seen[k]; dup {
			c.add(fmt.Sprintf("targets[%d]", i), "deploys to the same account id %s and region %s as targets[%d]; both would keep their Terraform state under %s: one target per account and region", t.AccountID, t.Region, j, k)
			continue
		}
		seen[k] = i
	}
}

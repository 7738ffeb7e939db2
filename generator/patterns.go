package generator

import (
	"fmt"
	"regexp"

	"github.com/invopop/jsonschema"
)

// One definition per constraint: every spec field with a pattern has one
// *regexp.Regexp, which the checker matches (check.go, backend.go,
// functionapp.go...) and which fieldPatterns writes into the published
// JSON Schema, so that a value the schema accepts is never refused by
// render for its shape (the checker may still refuse it for what it
// means: a region not in templates/aws-regions.yaml, a Kubernetes version
// EKS does not run). Struct tags carry no pattern;
// TestSchemaPatternsAreTheCheckers holds the schema to this table and
// TestSchemaAndCheckerAgreeOnValues the checker to the schema.
var (
	// durationRE is an unsigned Go duration (Duration checks it, then
	// time.ParseDuration reads it).
	durationRE        = regexp.MustCompile(`^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))+$`)
	dnsLabel          = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dnsSubdomainRE    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	urlRE             = regexp.MustCompile(`^(http|https|ssh)://.+$`)
	accountIDRE       = regexp.MustCompile(`^[0-9]{12}$`)
	regionRE          = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`)
	k8sRE             = regexp.MustCompile(`^1\.(0|[1-9][0-9]*)$`)
	amiRE             = regexp.MustCompile(`^ami-[0-9a-f]{8,17}$`)
	pipelineRE        = regexp.MustCompile(`^arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:[0-9]{12}:image-pipeline/[a-z0-9_-]+$`)
	clusterRE         = regexp.MustCompile(`^[a-zA-Z0-9][-a-zA-Z0-9_]{0,99}$`)
	roleRE            = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	secretKeyRE       = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
	planIDRE          = regexp.MustCompile(`^plan-([A-Za-z0-9._/-]+)-([0-9a-f]{10})$`)
	bucketRE          = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	dynamoRE          = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)
	roleARNRE         = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$`)
	keyPrefixRE       = regexp.MustCompile(`^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$`)
	guidRE            = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	locationRE        = regexp.MustCompile(`^[a-z][a-z0-9]+$`)
	resourceGroupRE   = regexp.MustCompile(`^[-\w._()]{1,90}$`)
	pythonRE          = regexp.MustCompile(`^3\.(0|[1-9][0-9]*)$`)
	secretsManagerRE  = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`)
	keyVaultSecretRE  = regexp.MustCompile(`^https://[a-z0-9-]{3,24}\.vault\.azure\.net/secrets/[A-Za-z0-9-]{1,127}(/[0-9a-f]{32})?$`)
	fieldPatternTable = []fieldPattern{
		{"Approval", "plan", planIDRE},
		{"AzureTarget", "subscription", dnsLabel},
		{"AzureTarget", "subscriptionId", guidRE},
		{"AzureTarget", "location", locationRE},
		{"AzureTarget", "resourceGroup", resourceGroupRE},
		{"Cluster", "kubernetesVersion", k8sRE},
		{"CustomImage", "amiId", amiRE},
		{"CustomImage", "pipelineArn", pipelineRE},
		{"Environment", "name", dnsLabel},
		{"Environment", "namespace", dnsLabel},
		{"FunctionApp", "pythonVersion", pythonRE},
		{"Move", "from", dnsLabel},
		{"Move", "to", dnsLabel},
		{"NodeGroup", "name", dnsLabel},
		{"OAuthClient", "name", dnsLabel},
		{"RegionalImage", "amiId", amiRE},
		{"RegionalImage", "pipelineArn", pipelineRE},
		{"S3Backend", "bucket", bucketRE},
		{"S3Backend", "region", regionRE},
		{"S3Backend", "dynamodbTable", dynamoRE},
		{"S3Backend", "roleArn", roleARNRE},
		{"S3Backend", "keyPrefix", keyPrefixRE},
		{"SecretKeyRef", "name", dnsSubdomainRE},
		{"SecretKeyRef", "key", secretKeyRE},
		{"SecretRef", "secretsManager", secretsManagerRE},
		{"SecretRef", "keyVault", keyVaultSecretRE},
		{"Source", "url", urlRE},
		{"Target", "name", dnsLabel},
		{"Target", "account", dnsLabel},
		{"Target", "accountId", accountIDRE},
		{"Target", "region", regionRE},
		{"Target", "clusterName", clusterRE},
		{"TerraformSettings", "assumeRole", roleRE},
	}
)

// fieldPattern is the pattern of one spec field: the property of a schema
// definition (named after its Go type) and the checker's expression.
type fieldPattern struct {
	def, prop string
	re        *regexp.Regexp
}

// applyFieldPatterns writes fieldPatternTable into a schema reflected from
// Environment; a table row naming no property is an error, so that the
// table cannot go stale.
func applyFieldPatterns(s *jsonschema.Schema) error {
	for _, fp := range fieldPatternTable {
		def := s.Definitions[fp.def]
		if def == nil || def.Properties == nil {
			return fmt.Errorf("schema: no definition %s for the pattern of %s", fp.def, fp.prop)
		}
		p, ok := def.Properties.Get(fp.prop)
		if !ok {
			return fmt.Errorf("schema: definition %s has no property %s", fp.def, fp.prop)
		}
		p.Pattern = fp.re.String()
	}
	return nil
}

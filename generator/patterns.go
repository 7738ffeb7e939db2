package generator

import (
	"fmt"

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
	durationRE        = lazyRE(`^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))+$`)
	dnsLabel          = lazyRE(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dnsSubdomainRE    = lazyRE(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	urlRE             = lazyRE(`^(http|https|ssh)://.+$`)
	accountIDRE       = lazyRE(`^[0-9]{12}$`)
	regionRE          = lazyRE(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`)
	k8sRE             = lazyRE(`^1\.(0|[1-9][0-9]*)$`)
	amiRE             = lazyRE(`^ami-[0-9a-f]{8,17}$`)
	pipelineRE        = lazyRE(`^arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:[0-9]{12}:image-pipeline/[a-z0-9_-]+$`)
	clusterRE         = lazyRE(`^[a-zA-Z0-9][-a-zA-Z0-9_]{0,99}$`)
	roleRE            = lazyRE(`^[\w+=,.@-]{1,64}$`)
	secretKeyRE       = lazyRE(`^[-._a-zA-Z0-9]+$`)
	planIDRE          = lazyRE(`^plan-([A-Za-z0-9._/-]+)-([0-9a-f]{10})$`)
	bucketRE          = lazyRE(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	dynamoRE          = lazyRE(`^[a-zA-Z0-9_.-]{3,255}$`)
	roleARNRE         = lazyRE(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$`)
	keyPrefixRE       = lazyRE(`^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$`)
	guidRE            = lazyRE(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	locationRE        = lazyRE(`^[a-z][a-z0-9]+$`)
	resourceGroupRE   = lazyRE(`^[-\w._()]{1,90}$`)
	pythonRE          = lazyRE(`^3\.(0|[1-9][0-9]*)$`)
	secretsManagerRE  = lazyRE(`^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`)
	keyVaultSecretRE  = lazyRE(`^https://[a-z0-9-]{3,24}\.vault\.azure\.net/secrets/[A-Za-z0-9-]{1,127}(/[0-9a-f]{32})?$`)
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
	re        *lazyRegexp
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

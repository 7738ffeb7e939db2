package generator

import (
	"fmt"
	"sort"

	"github.com/invopop/jsonschema"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/templates"
)

// AzureTarget is the Azure side of a target: where a stack with azure
// targets (ocm-client) deploys its Azure resources.
type AzureTarget struct {
	// Subscription is the subscription's alias, a DNS-1123 label such as digx-ocm-uat.
	Subscription string `json:"subscription"`
	// SubscriptionID is the subscription's id, a GUID.
	SubscriptionID string `json:"subscriptionId"`
	// Location is the Azure region, such as westeurope.
	Location string `json:"location"`
	// ResourceGroup is the resource group the stack's resources go into.
	ResourceGroup string `json:"resourceGroup" jsonschema:"maxLength=90"`
}

// FunctionPlan is the App Service plan SKU of a function app.
type FunctionPlan string

// Function app plans.
const (
	// PlanConsumption is the (Linux) Consumption plan.
	PlanConsumption FunctionPlan = "Y1"
	// PlanElastic1, 2 and 3 are Elastic Premium plans (VNet integration,
	// no cold start).
	PlanElastic1 FunctionPlan = "EP1"
	PlanElastic2 FunctionPlan = "EP2"
	PlanElastic3 FunctionPlan = "EP3"
)

var functionPlans = []FunctionPlan{PlanConsumption, PlanElastic1, PlanElastic2, PlanElastic3}

// JSONSchema describes FunctionPlan for editors.
func (FunctionPlan) JSONSchema() *jsonschema.Schema {
	return enumSchema("App Service plan SKU: Y1 (Consumption) or EP1, EP2, EP3 (Elastic Premium).", "Y1", "EP1", "EP2", "EP3")
}

// FunctionApp is the ocm-client stack's function app: its Python runtime,
// plan, app settings and the OAuth clients it manages.
type FunctionApp struct {
	// PythonVersion is the Python minor of the Functions runtime, quoted, such as "3.12" (templates/functions-python.yaml lists them with their end of support).
	PythonVersion string `json:"pythonVersion"`
	// Plan is the App Service plan SKU (default EP1).
	Plan FunctionPlan `json:"plan,omitempty"`
	// AppSettings are extra app settings (environment variables) of the function app; never credentials: name a Key Vault reference (@Microsoft.KeyVault(SecretUri=...)) or a client's secretRef instead.
	AppSettings map[string]string `json:"appSettings,omitempty"`
	// Clients are the OAuth clients the app manages, each with where its secret is kept.
	Clients []OAuthClient `json:"clients,omitempty"`
}

// OAuthClient is one OAuth client (an Azure AD application) the function
// app manages. Its secret is never in the spec: only a reference.
type OAuthClient struct {
	// Name of the client, a DNS-1123 label.
	Name string `json:"name" jsonschema:"maxLength=63"`
	// SecretRef is where the client's secret is kept.
	SecretRef SecretRef `json:"secretRef"`
}

// SecretRef names a secret kept in AWS Secrets Manager or Azure Key Vault:
// exactly one of the two.
type SecretRef struct {
	// SecretsManager is the ARN of the AWS Secrets Manager secret, such as arn:aws:secretsmanager:eu-west-1:111111111111:secret:ocm-client/uat/partner.
	SecretsManager string `json:"secretsManager,omitempty"`
	// KeyVault is the URI of the Key Vault secret, such as https://kv-ocm-uat.vault.azure.net/secrets/partner.
	KeyVault string `json:"keyVault,omitempty"`
}

var (
	appSettingRE = lazyRE(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	// keyVaultReferenceRE matches an app setting that is a Key Vault reference.
	keyVaultReferenceRE = lazyRE(`^@Microsoft\.KeyVault\((SecretUri=https://[^)]+|VaultName=[^;)]+;SecretName=[^)]+)\)$`)
)

// Variables of the function-app base module and of every Terraform of a
// stack with azure targets, with the spec field they come from.
var azureVarNames = map[string]string{
	contract.VarSubscriptionID:  "targets[].azure.subscriptionId",
	contract.VarLocation:        "targets[].azure.location",
	contract.VarResourceGroup:   "targets[].azure.resourceGroup",
	contract.VarPythonVersion:   "functionApp.pythonVersion",
	contract.VarPlanSKU:         "functionApp.plan",
	contract.VarAppSettings:     "functionApp.appSettings",
	contract.VarOAuthClients:    "functionApp.clients",
	contract.VarFunctionAppName: "the environment and target",
}

// azureTarget checks a target's azure block.
func (c *checker) azureTarget(p string, a *AzureTarget) {
	if a.Subscription == "" || !dnsLabel.MatchString(a.Subscription) {
		c.add(p+".subscription", "is required: the subscription's alias, a DNS-1123 label such as digx-ocm-uat, got %q", a.Subscription)
	}
	if !guidRE.MatchString(a.SubscriptionID) {
		c.add(p+".subscriptionId", "must be the subscription's id, a lower-case GUID such as 00000000-0000-0000-0000-000000000000, got %q", a.SubscriptionID)
	}
	if !locationRE.MatchString(a.Location) {
		c.add(p+".location", "must be an Azure location such as westeurope, got %q", a.Location)
	}
	if !resourceGroupRE.MatchString(a.ResourceGroup) {
		c.add(p+".resourceGroup", "must be a resource group name (letters, digits, -_.() up to 90 characters), got %q", a.ResourceGroup)
	}
}

// functionApp checks the function app section against the Python runtime
// table.
func (c *checker) functionApp(f *FunctionApp, runtimes *templates.PythonRuntimes) {
	if f == nil {
		return
	}
	switch {
	case f.PythonVersion == "":
		c.add("functionApp.pythonVersion", "is required, quoted, such as \"3.12\"")
	case !pythonRE.MatchString(f.PythonVersion):
		c.add("functionApp.pythonVersion", "%q is not a Python minor version such as \"3.12\"; quote it", f.PythonVersion)
	case runtimes != nil && runtimes.Find(f.PythonVersion) == nil:
		c.add("functionApp.pythonVersion", "Python %s is not a version Azure Functions runs; known: %v (templates/functions-python.yaml)", f.PythonVersion, runtimes.Names())
	}
	if f.Plan != "" && !containsPlan(f.Plan) {
		c.add("functionApp.plan", "must be Y1, EP1, EP2 or EP3, got %q", f.Plan)
	}
	for _, k := range sortedKeys(f.AppSettings) {
		p := "functionApp.appSettings[" + k + "]"
		v := f.AppSettings[k]
		switch {
		case !appSettingRE.MatchString(k):
			c.add(p, "%q is not an app setting name (letters, digits, _ . -)", k)
		case reservedAppSetting[k]:
			c.add(p, "%s is set by the function-app module; remove it", k)
		case keyVaultReferenceRE.MatchString(v):
		case secretName(k) || credentialValue(v):
			c.add(p, "looks like a credential; app settings are plain text in the rendered Terraform and in the app's configuration: keep it in Key Vault and write @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>), or use a client's secretRef")
		}
	}
	seen := map[string]int{}
	for i, cl := range f.Clients {
		p := fmt.Sprintf("functionApp.clients[%d]", i)
		if !dnsLabel.MatchString(cl.Name) {
			c.add(p+".name", "is required, a DNS-1123 label such as partner-portal")
		} else if j, dup := seen[cl.Name]; dup {
			c.add(p+".name", "%q is also functionApp.clients[%d]", cl.Name, j)
		}
		seen[cl.Name] = i
		r := cl.SecretRef
		switch {
		case r.SecretsManager == "" && r.KeyVault == "":
			c.add(p+".secretRef", "is required: secretsManager (the ARN of an AWS Secrets Manager secret) or keyVault (the URI of a Key Vault secret); the secret itself never goes in the spec")
		case r.SecretsManager != "" && r.KeyVault != "":
			c.add(p+".secretRef", "set secretsManager or keyVault, not both")
		case r.SecretsManager != "" && !secretsManagerRE.MatchString(r.SecretsManager):
			c.add(p+".secretRef.secretsManager", "%q is not a Secrets Manager secret ARN such as arn:aws:secretsmanager:eu-west-1:111111111111:secret:ocm-client/uat/%s", r.SecretsManager, cl.Name)
		case r.KeyVault != "" && !keyVaultSecretRE.MatchString(r.KeyVault):
			c.add(p+".secretRef.keyVault", "%q is not a Key Vault secret URI such as https://kv-ocm.vault.azure.net/secrets/%s", r.KeyVault, cl.Name)
		}
	}
}

func containsPlan(p FunctionPlan) bool {
	for _, x := range functionPlans {
		if x == p {
			return true
		}
	}
	return false
}

// reservedAppSetting are the settings the function-app module sets itself.
var reservedAppSetting = map[string]bool{
	"FUNCTIONS_WORKER_RUNTIME":              true,
	"FUNCTIONS_EXTENSION_VERSION":           true,
	"AzureWebJobsStorage":                   true,
	"APPLICATIONINSIGHTS_CONNECTION_STRING": true,
}

// secretWordRE matches the parts of a setting name that say it holds a
// secret.
var secretWordRE = lazyRE(`(?i)(^|[_.-])(password|passwd|pwd|secret|token|credential|credentials|api_?key|access_?key|private_?key|client_?secret|connection_?string|conn_?str|sas)([_.-]|$)`)

// notSecretSuffixRE matches the last parts of a name that say it names a secret
// rather than holding one (an ARN, a URI, a name).
var notSecretSuffixRE = lazyRE(`(?i)[_.-](arn|uri|url|name|id|ref|path|prefix)$`)

// secretName reports whether an app setting name looks like it holds a
// credential.
func secretName(k string) bool {
	return secretWordRE.MatchString(k) && !notSecretSuffixRE.MatchString(k)
}

// credentialValueRE matches values that are credentials whatever their
// name: storage and Service Bus connection strings with a key, SAS
// signatures, passwords in connection strings, AWS access key ids,
// private keys.
var credentialValueRE = lazyRE(`(?i)(AccountKey=|SharedAccessKey=|[?&]sig=|Password=|Pwd=|-----BEGIN [A-Z ]*PRIVATE KEY-----)|\b(AKIA|ASIA)[0-9A-Z]{16}\b`)

func credentialValue(v string) bool {
	return credentialValueRE.MatchString(v)
}

// functionAppVars sets the function-app base module's variables.
func functionAppVars(e *Environment, t Target, v map[string]any) {
	f := e.FunctionApp
	if f == nil {
		return
	}
	v[contract.VarPythonVersion] = f.PythonVersion
	plan := f.Plan
	if plan == "" {
		plan = PlanElastic1
	}
	v[contract.VarPlanSKU] = string(plan)
	v[contract.VarFunctionAppName] = e.Name + "-" + t.ID()
	settings := map[string]any{}
	for k, s := range f.AppSettings {
		settings[k] = s
	}
	v[contract.VarAppSettings] = settings
	clients := make([]any, 0, len(f.Clients))
	byName := append([]OAuthClient(nil), f.Clients...)
	sort.Slice(byName, func(i, j int) bool { return byName[i].Name < byName[j].Name })
	for _, cl := range byName {
		ref := map[string]any{}
		if cl.SecretRef.SecretsManager != "" {
			ref["secrets_manager_arn"] = cl.SecretRef.SecretsManager
		}
		if cl.SecretRef.KeyVault != "" {
			ref["key_vault_secret_uri"] = cl.SecretRef.KeyVault
		}
		clients = append(clients, map[string]any{"name": cl.Name, "secret_ref": ref})
	}
	v[contract.VarOAuthClients] = clients
}

// azureVars sets the variables every Terraform of a target with an azure
// block gets.
func azureVars(t Target, v map[string]any) {
	if t.Azure == nil {
		return
	}
	v[contract.VarSubscriptionID] = t.Azure.SubscriptionID
	v[contract.VarLocation] = t.Azure.Location
	v[contract.VarResourceGroup] = t.Azure.ResourceGroup
}

# The ocm-client stack's mini-environment for the rule tests, shaped like
# the generator's output (fixtures/clusters/ocm-*): a GitRepository and the
# function-app Terraform per tier, which no rule finds anything in.
package fluxtf.test

ocm_labels(t) := {
	"app.kubernetes.io/managed-by": "fluxtf",
	"fluxtf.io/environment": sprintf("ocm-%s", [t]),
	"fluxtf.io/stack": "ocm-client",
	"fluxtf.io/tier": t,
}

ocm_annotations := {"fluxtf.io/policies": "common,ocm-client"}

# ocm_subscriptions: each tier's own Azure subscription id.
ocm_subscriptions := {
	"dev": "a1b2c3d4-0000-4000-8000-000000000001",
	"uat": "a1b2c3d4-0000-4000-8000-000000000002",
	"prod": "a1b2c3d4-0000-4000-8000-000000000003",
}

ocm_source_name(t) := sprintf("ocm-client-ocm-%s", [t])

ocm_source(t) := {
	"apiVersion": "source.toolkit.fluxcd.io/v1",
	"kind": "GitRepository",
	"metadata": {
		"name": ocm_source_name(t), "namespace": ns, "labels": ocm_labels(t),
		"annotations": object.union(ocm_annotations, {"fluxtf.io/source-prefix": "ocm-client"}),
	},
	"spec": {
		"interval": "10m0s",
		"ref": refs[t],
		"secretRef": {"name": "flux-git-auth"},
		"url": "ssh://git@github.com/digx/infrastructure.git",
	},
}

ocm_app_name(t) := sprintf("ocm-%s-%s-function-app", [t, target(t)])

ocm_app(t) := {
	"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
	"kind": "Terraform",
	"metadata": {
		"name": ocm_app_name(t), "namespace": ns, "annotations": ocm_annotations,
		"labels": object.union(ocm_labels(t), {
			"fluxtf.io/account": accounts[t].account,
			"fluxtf.io/component": "function-app",
			"fluxtf.io/region": region,
			"fluxtf.io/target": target(t),
		}),
	},
	"spec": object.union(object.union(approve(t), backend(ocm_app_name(t))), {
		"interval": "10m0s",
		"path": "./ocm-client/base",
		"sourceRef": {"kind": "GitRepository", "name": ocm_source_name(t), "namespace": ns},
		"vars": [
			{"name": "account_id", "value": accounts[t].id},
			{"name": "app_settings", "value": {"LOG_LEVEL": "INFO"}},
			{"name": "environment", "value": sprintf("ocm-%s", [t])},
			{"name": "oauth_clients", "value": [{
				"name": "partner-portal",
				"secret_ref": {"secrets_manager_arn": sprintf("arn:aws:secretsmanager:eu-west-1:%s:secret:ocm-client/%s/partner-portal", [accounts[t].id, t])},
			}]},
			{"name": "python_version", "value": "3.12"},
			{"name": "region", "value": region},
			# the rest of the base module's required inputs (module-contract),
			# after the ones the tests address by index
			{"name": "function_app_name", "value": sprintf("func-ocm-%s", [t])},
			{"name": "location", "value": "westeurope"},
			{"name": "plan_sku", "value": "EP1"},
			{"name": "resource_group_name", "value": sprintf("rg-ocm-%s", [t])},
			{"name": "subscription_id", "value": ocm_subscriptions[t]},
		],
		"writeOutputsToSecret": {"name": sprintf("%s-outputs", [ocm_app_name(t)]), "outputs": ["function_app_principal_id"]},
	}),
}

ocm_env(t) := [ocm_source(t), ocm_app(t)]

# ocm_all_tiers: the ocm-client stack in dev, uat and prod together.
ocm_all_tiers := array.concat(array.concat(ocm_env("dev"), ocm_env("uat")), ocm_env("prod"))

# ocm_today: the context of a run on day d.
ocm_input(objs, d) := object.union(input_of(objs), {"context": {"today": d}})

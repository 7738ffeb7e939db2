# Generated from fixtures/policies/<rule>/{baseline,deny,pass}/ for the
# rules whose fixtures have a baseline: conftest has no baseline, so these
# tests check those fixtures with their baseline, over all rules: deny/
# finds exactly the findings of its expect.yaml (rule, file, and the field
# in the comment after the rule), pass/ finds nothing, and deny/ without
# the baseline finds nothing (as under conftest).
# DO NOT EDIT: go test ./policies -run TestBaselineFixturesRegoIsFresh -update
package fluxtf.fixtures_test

import data.fluxtf.test as t

context := {"repositoryURL": "github.com/digx/fluxtf"}

identity_moved_baseline := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

identity_moved_deny := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "uat-main",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-uat-main-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-uat-main",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-uat-main-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

identity_moved_pass := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/moved-from": "uat-digx-uat-eu-west-1-eks",
					"fluxtf.io/moved-reason": "the platform naming standard (PLAT-1234)",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "uat-main",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-uat-main-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-uat-main-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

test_identity_moved_deny_fixture if {
	t.located == {["identity-moved", "eks.yaml", "metadata.name"]} with input as {"files": identity_moved_deny, "baseline": identity_moved_baseline, "context": context}
}

test_identity_moved_pass_fixture if {
	count(t.located) == 0 with input as {"files": identity_moved_pass, "baseline": identity_moved_baseline, "context": context}
}

test_identity_moved_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": identity_moved_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in identity_moved_deny]
}

k8s_sequential_upgrade_baseline := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.28",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

k8s_sequential_upgrade_deny := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.30",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

k8s_sequential_upgrade_pass := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

test_k8s_sequential_upgrade_deny_fixture if {
	t.located == {["k8s-sequential-upgrade", "eks.yaml", "spec.vars[4].value"]} with input as {"files": k8s_sequential_upgrade_deny, "baseline": k8s_sequential_upgrade_baseline, "context": context}
}

test_k8s_sequential_upgrade_pass_fixture if {
	count(t.located) == 0 with input as {"files": k8s_sequential_upgrade_pass, "baseline": k8s_sequential_upgrade_baseline, "context": context}
}

test_k8s_sequential_upgrade_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": k8s_sequential_upgrade_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in k8s_sequential_upgrade_deny]
}

karpenter_no_inplace_upgrade_baseline := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "karpenter",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-karpenter",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-karpenter.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"dependsOn": [
					{
						"name": "uat-digx-uat-eu-west-1-eks",
					},
				],
				"interval": "15m0s",
				"path": "./jeppesen-eks/modules/karpenter",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "create_instance_profile",
						"value": true,
					},
					{
						"name": "karpenter_version",
						"value": "0.37.0",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "uat-digx-uat-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_endpoint",
							"cluster_name",
							"oidc_provider_arn",
							"private_subnet_ids",
						],
					},
				],
			},
		},
		"path": "karpenter.yaml",
	},
]

karpenter_no_inplace_upgrade_deny := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/migration": "0.36 -> 0.37",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "karpenter",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-karpenter",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-karpenter.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"dependsOn": [
					{
						"name": "uat-digx-uat-eu-west-1-eks",
					},
				],
				"interval": "15m0s",
				"path": "./jeppesen-eks/modules/karpenter",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "create_instance_profile",
						"value": true,
					},
					{
						"name": "karpenter_version",
						"value": "1.1.0",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "uat-digx-uat-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_endpoint",
							"cluster_name",
							"oidc_provider_arn",
							"private_subnet_ids",
							"cluster_certificate_authority_data",
							"node_iam_role_name",
							"node_security_group_id",
						],
					},
				],
			},
		},
		"path": "karpenter.yaml",
	},
]

karpenter_no_inplace_upgrade_pass := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/migration": "0.37 -> 1.0",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "karpenter",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-karpenter",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-karpenter.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"dependsOn": [
					{
						"name": "uat-digx-uat-eu-west-1-eks",
					},
				],
				"interval": "15m0s",
				"path": "./jeppesen-eks/modules/karpenter",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "create_instance_profile",
						"value": true,
					},
					{
						"name": "karpenter_version",
						"value": "1.1.0",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "uat-digx-uat-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_endpoint",
							"cluster_name",
							"oidc_provider_arn",
							"private_subnet_ids",
							"cluster_certificate_authority_data",
							"node_iam_role_name",
							"node_security_group_id",
						],
					},
				],
			},
		},
		"path": "karpenter.yaml",
	},
]

test_karpenter_no_inplace_upgrade_deny_fixture if {
	t.located == {["karpenter-no-inplace-upgrade", "karpenter.yaml", "metadata.annotations"]} with input as {"files": karpenter_no_inplace_upgrade_deny, "baseline": karpenter_no_inplace_upgrade_baseline, "context": context}
}

test_karpenter_no_inplace_upgrade_pass_fixture if {
	count(t.located) == 0 with input as {"files": karpenter_no_inplace_upgrade_pass, "baseline": karpenter_no_inplace_upgrade_baseline, "context": context}
}

test_karpenter_no_inplace_upgrade_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": karpenter_no_inplace_upgrade_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in karpenter_no_inplace_upgrade_deny]
}

major_bump_migration_baseline := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

major_bump_migration_deny := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"annotations": {
					"fluxtf.io/migration": "v3 -> v4",
					"fluxtf.io/migration-guide": "docs/migrations/v4.md",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v5.0.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

major_bump_migration_pass := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"annotations": {
					"fluxtf.io/migration": "v4 -> v5",
					"fluxtf.io/migration-guide": "docs/migrations/v5.md",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v5.0.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
]

test_major_bump_migration_deny_fixture if {
	t.located == {["major-bump-migration", "gitrepository.yaml", "metadata.annotations"]} with input as {"files": major_bump_migration_deny, "baseline": major_bump_migration_baseline, "context": context}
}

test_major_bump_migration_pass_fixture if {
	count(t.located) == 0 with input as {"files": major_bump_migration_pass, "baseline": major_bump_migration_baseline, "context": context}
}

test_major_bump_migration_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": major_bump_migration_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in major_bump_migration_deny]
}

migration_marker_stale_baseline := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/migration": "0.37 -> 1.0",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "karpenter",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-karpenter",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-karpenter.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"dependsOn": [
					{
						"name": "uat-digx-uat-eu-west-1-eks",
					},
				],
				"interval": "15m0s",
				"path": "./jeppesen-eks/modules/karpenter",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "create_instance_profile",
						"value": true,
					},
					{
						"name": "karpenter_version",
						"value": "1.1.0",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "uat-digx-uat-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_endpoint",
							"cluster_name",
							"oidc_provider_arn",
							"private_subnet_ids",
							"cluster_certificate_authority_data",
							"node_iam_role_name",
							"node_security_group_id",
						],
					},
				],
			},
		},
		"path": "karpenter.yaml",
	},
]

migration_marker_stale_deny := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/migration": "0.37 -> 1.0",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "karpenter",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-karpenter",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-karpenter.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"dependsOn": [
					{
						"name": "uat-digx-uat-eu-west-1-eks",
					},
				],
				"interval": "15m0s",
				"path": "./jeppesen-eks/modules/karpenter",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "create_instance_profile",
						"value": true,
					},
					{
						"name": "karpenter_version",
						"value": "1.1.0",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "uat-digx-uat-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_endpoint",
							"cluster_name",
							"oidc_provider_arn",
							"private_subnet_ids",
							"cluster_certificate_authority_data",
							"node_iam_role_name",
							"node_security_group_id",
						],
					},
				],
			},
		},
		"path": "karpenter.yaml",
	},
]

migration_marker_stale_pass := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "karpenter",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-karpenter",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-karpenter.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"dependsOn": [
					{
						"name": "uat-digx-uat-eu-west-1-eks",
					},
				],
				"interval": "15m0s",
				"path": "./jeppesen-eks/modules/karpenter",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "create_instance_profile",
						"value": true,
					},
					{
						"name": "karpenter_version",
						"value": "1.1.0",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "uat-digx-uat-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_endpoint",
							"cluster_name",
							"oidc_provider_arn",
							"private_subnet_ids",
							"cluster_certificate_authority_data",
							"node_iam_role_name",
							"node_security_group_id",
						],
					},
				],
			},
		},
		"path": "karpenter.yaml",
	},
]

test_migration_marker_stale_deny_fixture if {
	t.located == {["migration-marker-stale", "karpenter.yaml", "metadata.annotations"]} with input as {"files": migration_marker_stale_deny, "baseline": migration_marker_stale_baseline, "context": context}
}

test_migration_marker_stale_pass_fixture if {
	count(t.located) == 0 with input as {"files": migration_marker_stale_pass, "baseline": migration_marker_stale_baseline, "context": context}
}

test_migration_marker_stale_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": migration_marker_stale_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in migration_marker_stale_deny]
}

no_downgrade_baseline := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.2.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"annotations": {
					"fluxtf.io/policies": "common,ocm-client",
					"fluxtf.io/source-prefix": "ocm-client",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "ocm-prod",
					"fluxtf.io/stack": "ocm-client",
					"fluxtf.io/tier": "prod",
				},
				"name": "ocm-client-ocm-prod",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.3",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"ocm-client",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "ocm-prod-gitrepository.yaml",
	},
]

no_downgrade_deny := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"annotations": {
					"fluxtf.io/policies": "common,ocm-client",
					"fluxtf.io/source-prefix": "ocm-client",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "ocm-prod",
					"fluxtf.io/stack": "ocm-client",
					"fluxtf.io/tier": "prod",
				},
				"name": "ocm-client-ocm-prod",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.2",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"ocm-client",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "ocm-prod-gitrepository.yaml",
	},
]

no_downgrade_pass := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-uat",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-uat-eu-west-1",
					"fluxtf.io/tier": "uat",
				},
				"name": "uat-digx-uat-eu-west-1-eks",
				"namespace": "flux-system",
			},
			"spec": {
				"approvePlan": "auto",
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"fixtures/flux-system/uat-digx-uat-eu-west-1-eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n}\n",
				},
				"interval": "15m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "5m0s",
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-uat",
					"namespace": "flux-system",
				},
				"vars": [
					{
						"name": "account_id",
						"value": "111111111111",
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::111111111111:role/flux-terraform",
					},
					{
						"name": "cluster_name",
						"value": "uat-digx-uat-eu-west-1",
					},
					{
						"name": "environment",
						"value": "uat",
					},
					{
						"name": "kubernetes_version",
						"value": "1.29",
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 2,
								"disk_size": 50,
								"instance_types": [
									"m6i.large",
								],
								"max_size": 5,
								"min_size": 2,
							},
						},
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET",
					},
					{
						"name": "region",
						"value": "eu-west-1",
					},
				],
				"writeOutputsToSecret": {
					"name": "uat-digx-uat-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_endpoint",
						"cluster_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"cluster_certificate_authority_data",
						"node_iam_role_name",
					],
				},
			},
		},
		"path": "eks.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"annotations": {
					"fluxtf.io/rollback": "v4.1.0: v4.2.0 breaks IRSA for the runners (INC-1234)",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "uat",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "uat",
				},
				"name": "jeppesen-eks-uat",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.0",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"jeppesen-eks",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "gitrepository.yaml",
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"annotations": {
					"fluxtf.io/policies": "common,ocm-client",
					"fluxtf.io/rollback": "v4.1.2: v4.1.3 breaks the Graph permissions (INC-2345)",
					"fluxtf.io/source-prefix": "ocm-client",
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "ocm-prod",
					"fluxtf.io/stack": "ocm-client",
					"fluxtf.io/tier": "prod",
				},
				"name": "ocm-client-ocm-prod",
				"namespace": "flux-system",
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.2",
				},
				"secretRef": {
					"name": "flux-git-auth",
				},
				"sparseCheckout": [
					"ocm-client",
				],
				"url": "ssh://git@github.com/digx/infrastructure.git",
			},
		},
		"path": "ocm-prod-gitrepository.yaml",
	},
]

test_no_downgrade_deny_fixture if {
	t.located == {["no-downgrade", "gitrepository.yaml", "spec.ref.tag"], ["no-downgrade", "ocm-prod-gitrepository.yaml", "spec.ref.tag"]} with input as {"files": no_downgrade_deny, "baseline": no_downgrade_baseline, "context": context}
}

test_no_downgrade_pass_fixture if {
	count(t.located) == 0 with input as {"files": no_downgrade_pass, "baseline": no_downgrade_baseline, "context": context}
}

test_no_downgrade_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": no_downgrade_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in no_downgrade_deny]
}

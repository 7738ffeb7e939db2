# prod-removal's rule fixtures with their baseline: its removed Terraform is
# only in baseline/, so the finding has no field and the generated
# baseline_fixtures_test.rego (which covers identity-moved) leaves it out.
# Keep it in step with fixtures/policies/prod-removal by hand.
package fluxtf.fixtures_test

import data.fluxtf.test as t

prod_removal_baseline := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/runner-access": "private"
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-prod-eu",
					"fluxtf.io/component": "efs",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-prod-eu-eu-west-1",
					"fluxtf.io/tier": "prod"
				},
				"name": "prod-digx-prod-eu-eu-west-1-efs",
				"namespace": "flux-system"
			},
			"spec": {
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"jeppesen-eks/prod/333333333333/eu-west-1/efs.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n  assume_role = {\n    role_arn = \"arn:aws:iam::999999999999:role/terraform-state\"\n  }\n}\n"
				},
				"dependsOn": [
					{
						"name": "prod-digx-prod-eu-eu-west-1-eks"
					}
				],
				"interval": "30m0s",
				"path": "./jeppesen-eks/modules/efs",
				"retryInterval": "10m0s",
				"runnerPodTemplate": {
					"metadata": {
						"annotations": {
							"eks.amazonaws.com/role-arn": "arn:aws:iam::999999999999:role/tf-runner-prod"
						}
					},
					"spec": {
						"nodeSelector": {
							"node.kubernetes.io/role": "platform"
						},
						"resources": {
							"requests": {
								"cpu": "500m",
								"memory": "1Gi"
							}
						},
						"tolerations": [
							{
								"effect": "NoSchedule",
								"key": "platform",
								"operator": "Exists"
							}
						]
					}
				},
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-prod",
					"namespace": "flux-system"
				},
				"tfstate": {
					"forceUnlock": "no"
				},
				"vars": [
					{
						"name": "account_id",
						"value": "333333333333"
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::333333333333:role/flux-terraform"
					},
					{
						"name": "efs_csi_driver_version",
						"value": "v2.1.4-eksbuild.1"
					},
					{
						"name": "encrypted",
						"value": true
					},
					{
						"name": "environment",
						"value": "prod"
					},
					{
						"name": "performance_mode",
						"value": "generalPurpose"
					},
					{
						"name": "region",
						"value": "eu-west-1"
					},
					{
						"name": "throughput_mode",
						"value": "elastic"
					}
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "prod-digx-prod-eu-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_certificate_authority_data",
							"cluster_endpoint",
							"cluster_name",
							"node_security_group_id",
							"oidc_provider_arn",
							"private_subnet_ids",
							"vpc_id"
						]
					}
				],
				"writeOutputsToSecret": {
					"name": "prod-digx-prod-eu-eu-west-1-efs-outputs",
					"outputs": [
						"efs_file_system_id"
					]
				}
			}
		},
		"path": "../baseline/efs.yaml"
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/runner-access": "private"
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-prod-eu",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-prod-eu-eu-west-1",
					"fluxtf.io/tier": "prod"
				},
				"name": "prod-digx-prod-eu-eu-west-1-eks",
				"namespace": "flux-system"
			},
			"spec": {
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"jeppesen-eks/prod/333333333333/eu-west-1/eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n  assume_role = {\n    role_arn = \"arn:aws:iam::999999999999:role/terraform-state\"\n  }\n}\n"
				},
				"interval": "30m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "10m0s",
				"runnerPodTemplate": {
					"metadata": {
						"annotations": {
							"eks.amazonaws.com/role-arn": "arn:aws:iam::999999999999:role/tf-runner-prod"
						}
					},
					"spec": {
						"nodeSelector": {
							"node.kubernetes.io/role": "platform"
						},
						"resources": {
							"requests": {
								"cpu": "500m",
								"memory": "1Gi"
							}
						},
						"tolerations": [
							{
								"effect": "NoSchedule",
								"key": "platform",
								"operator": "Exists"
							}
						]
					}
				},
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-prod",
					"namespace": "flux-system"
				},
				"tfstate": {
					"forceUnlock": "no"
				},
				"vars": [
					{
						"name": "account_id",
						"value": "333333333333"
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::333333333333:role/flux-terraform"
					},
					{
						"name": "cluster_addons",
						"value": [
							"coredns",
							"kube-proxy",
							"vpc-cni"
						]
					},
					{
						"name": "cluster_endpoint_public_access",
						"value": false
					},
					{
						"name": "cluster_name",
						"value": "prod-digx-prod-eu-eu-west-1"
					},
					{
						"name": "enable_irsa",
						"value": true
					},
					{
						"name": "environment",
						"value": "prod"
					},
					{
						"name": "kubernetes_version",
						"value": "1.29"
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 3,
								"disk_size": 50,
								"instance_types": [
									"m6i.xlarge"
								],
								"max_size": 6,
								"min_size": 3
							}
						}
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET"
					},
					{
						"name": "region",
						"value": "eu-west-1"
					},
					{
						"name": "tags",
						"value": {
							"Environment": "prod",
							"ManagedBy": "fluxtf",
							"Stack": "jeppesen-eks",
							"Tier": "prod"
						}
					}
				],
				"writeOutputsToSecret": {
					"name": "prod-digx-prod-eu-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_certificate_authority_data",
						"cluster_endpoint",
						"cluster_name",
						"cluster_oidc_issuer_url",
						"cluster_security_group_id",
						"node_iam_role_arn",
						"node_iam_role_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"vpc_id"
					]
				}
			}
		},
		"path": "../baseline/eks.yaml"
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "prod"
				},
				"name": "jeppesen-eks-prod",
				"namespace": "flux-system"
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.3"
				},
				"secretRef": {
					"name": "flux-git-auth"
				},
				"sparseCheckout": [
					"jeppesen-eks"
				],
				"url": "ssh://git@github.com/digx/infrastructure.git"
			}
		},
		"path": "../baseline/gitrepository.yaml"
	}
]

prod_removal_deny := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/runner-access": "private"
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-prod-eu",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-prod-eu-eu-west-1",
					"fluxtf.io/tier": "prod"
				},
				"name": "prod-digx-prod-eu-eu-west-1-eks",
				"namespace": "flux-system"
			},
			"spec": {
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"jeppesen-eks/prod/333333333333/eu-west-1/eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n  assume_role = {\n    role_arn = \"arn:aws:iam::999999999999:role/terraform-state\"\n  }\n}\n"
				},
				"interval": "30m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "10m0s",
				"runnerPodTemplate": {
					"metadata": {
						"annotations": {
							"eks.amazonaws.com/role-arn": "arn:aws:iam::999999999999:role/tf-runner-prod"
						}
					},
					"spec": {
						"nodeSelector": {
							"node.kubernetes.io/role": "platform"
						},
						"resources": {
							"requests": {
								"cpu": "500m",
								"memory": "1Gi"
							}
						},
						"tolerations": [
							{
								"effect": "NoSchedule",
								"key": "platform",
								"operator": "Exists"
							}
						]
					}
				},
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-prod",
					"namespace": "flux-system"
				},
				"tfstate": {
					"forceUnlock": "no"
				},
				"vars": [
					{
						"name": "account_id",
						"value": "333333333333"
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::333333333333:role/flux-terraform"
					},
					{
						"name": "cluster_addons",
						"value": [
							"coredns",
							"kube-proxy",
							"vpc-cni"
						]
					},
					{
						"name": "cluster_endpoint_public_access",
						"value": false
					},
					{
						"name": "cluster_name",
						"value": "prod-digx-prod-eu-eu-west-1"
					},
					{
						"name": "enable_irsa",
						"value": true
					},
					{
						"name": "environment",
						"value": "prod"
					},
					{
						"name": "kubernetes_version",
						"value": "1.29"
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 3,
								"disk_size": 50,
								"instance_types": [
									"m6i.xlarge"
								],
								"max_size": 6,
								"min_size": 3
							}
						}
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET"
					},
					{
						"name": "region",
						"value": "eu-west-1"
					},
					{
						"name": "tags",
						"value": {
							"Environment": "prod",
							"ManagedBy": "fluxtf",
							"Stack": "jeppesen-eks",
							"Tier": "prod"
						}
					}
				],
				"writeOutputsToSecret": {
					"name": "prod-digx-prod-eu-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_certificate_authority_data",
						"cluster_endpoint",
						"cluster_name",
						"cluster_oidc_issuer_url",
						"cluster_security_group_id",
						"node_iam_role_arn",
						"node_iam_role_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"vpc_id"
					]
				}
			}
		},
		"path": "eks.yaml"
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "prod"
				},
				"name": "jeppesen-eks-prod",
				"namespace": "flux-system"
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.3"
				},
				"secretRef": {
					"name": "flux-git-auth"
				},
				"sparseCheckout": [
					"jeppesen-eks"
				],
				"url": "ssh://git@github.com/digx/infrastructure.git"
			}
		},
		"path": "gitrepository.yaml"
	}
]

prod_removal_pass := [
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/runner-access": "private"
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-prod-eu",
					"fluxtf.io/component": "efs",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-prod-eu-eu-west-1",
					"fluxtf.io/tier": "prod"
				},
				"name": "prod-digx-prod-eu-eu-west-1-efs",
				"namespace": "flux-system"
			},
			"spec": {
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"jeppesen-eks/prod/333333333333/eu-west-1/efs.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n  assume_role = {\n    role_arn = \"arn:aws:iam::999999999999:role/terraform-state\"\n  }\n}\n"
				},
				"dependsOn": [
					{
						"name": "prod-digx-prod-eu-eu-west-1-eks"
					}
				],
				"interval": "30m0s",
				"path": "./jeppesen-eks/modules/efs",
				"retryInterval": "10m0s",
				"runnerPodTemplate": {
					"metadata": {
						"annotations": {
							"eks.amazonaws.com/role-arn": "arn:aws:iam::999999999999:role/tf-runner-prod"
						}
					},
					"spec": {
						"nodeSelector": {
							"node.kubernetes.io/role": "platform"
						},
						"resources": {
							"requests": {
								"cpu": "500m",
								"memory": "1Gi"
							}
						},
						"tolerations": [
							{
								"effect": "NoSchedule",
								"key": "platform",
								"operator": "Exists"
							}
						]
					}
				},
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-prod",
					"namespace": "flux-system"
				},
				"tfstate": {
					"forceUnlock": "no"
				},
				"vars": [
					{
						"name": "account_id",
						"value": "333333333333"
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::333333333333:role/flux-terraform"
					},
					{
						"name": "efs_csi_driver_version",
						"value": "v2.1.4-eksbuild.1"
					},
					{
						"name": "encrypted",
						"value": true
					},
					{
						"name": "environment",
						"value": "prod"
					},
					{
						"name": "performance_mode",
						"value": "generalPurpose"
					},
					{
						"name": "region",
						"value": "eu-west-1"
					},
					{
						"name": "throughput_mode",
						"value": "elastic"
					}
				],
				"varsFrom": [
					{
						"kind": "Secret",
						"name": "prod-digx-prod-eu-eu-west-1-eks-outputs",
						"varsKeys": [
							"cluster_certificate_authority_data",
							"cluster_endpoint",
							"cluster_name",
							"node_security_group_id",
							"oidc_provider_arn",
							"private_subnet_ids",
							"vpc_id"
						]
					}
				],
				"writeOutputsToSecret": {
					"name": "prod-digx-prod-eu-eu-west-1-efs-outputs",
					"outputs": [
						"efs_file_system_id"
					]
				}
			}
		},
		"path": "efs.yaml"
	},
	{
		"contents": {
			"apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
			"kind": "Terraform",
			"metadata": {
				"annotations": {
					"fluxtf.io/runner-access": "private"
				},
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/account": "digx-prod-eu",
					"fluxtf.io/component": "eks",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/region": "eu-west-1",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/target": "digx-prod-eu-eu-west-1",
					"fluxtf.io/tier": "prod"
				},
				"name": "prod-digx-prod-eu-eu-west-1-eks",
				"namespace": "flux-system"
			},
			"spec": {
				"backendConfig": {
					"customConfiguration": "backend \"s3\" {\n  bucket       = \"digx-terraform-state\"\n  key          = \"jeppesen-eks/prod/333333333333/eu-west-1/eks.tfstate\"\n  region       = \"eu-west-1\"\n  encrypt      = true\n  use_lockfile = true\n  assume_role = {\n    role_arn = \"arn:aws:iam::999999999999:role/terraform-state\"\n  }\n}\n"
				},
				"interval": "30m0s",
				"path": "./jeppesen-eks/base",
				"retryInterval": "10m0s",
				"runnerPodTemplate": {
					"metadata": {
						"annotations": {
							"eks.amazonaws.com/role-arn": "arn:aws:iam::999999999999:role/tf-runner-prod"
						}
					},
					"spec": {
						"nodeSelector": {
							"node.kubernetes.io/role": "platform"
						},
						"resources": {
							"requests": {
								"cpu": "500m",
								"memory": "1Gi"
							}
						},
						"tolerations": [
							{
								"effect": "NoSchedule",
								"key": "platform",
								"operator": "Exists"
							}
						]
					}
				},
				"serviceAccountName": "tf-runner",
				"sourceRef": {
					"kind": "GitRepository",
					"name": "jeppesen-eks-prod",
					"namespace": "flux-system"
				},
				"tfstate": {
					"forceUnlock": "no"
				},
				"vars": [
					{
						"name": "account_id",
						"value": "333333333333"
					},
					{
						"name": "assume_role_arn",
						"value": "arn:aws:iam::333333333333:role/flux-terraform"
					},
					{
						"name": "cluster_addons",
						"value": [
							"coredns",
							"kube-proxy",
							"vpc-cni"
						]
					},
					{
						"name": "cluster_endpoint_public_access",
						"value": false
					},
					{
						"name": "cluster_name",
						"value": "prod-digx-prod-eu-eu-west-1"
					},
					{
						"name": "enable_irsa",
						"value": true
					},
					{
						"name": "environment",
						"value": "prod"
					},
					{
						"name": "kubernetes_version",
						"value": "1.29"
					},
					{
						"name": "node_groups",
						"value": {
							"system": {
								"ami_type": "BOTTLEROCKET_x86_64",
								"capacity_type": "ON_DEMAND",
								"desired_size": 3,
								"disk_size": 50,
								"instance_types": [
									"m6i.xlarge"
								],
								"max_size": 6,
								"min_size": 3
							}
						}
					},
					{
						"name": "os",
						"value": "BOTTLEROCKET"
					},
					{
						"name": "region",
						"value": "eu-west-1"
					},
					{
						"name": "tags",
						"value": {
							"Environment": "prod",
							"ManagedBy": "fluxtf",
							"Stack": "jeppesen-eks",
							"Tier": "prod"
						}
					}
				],
				"writeOutputsToSecret": {
					"name": "prod-digx-prod-eu-eu-west-1-eks-outputs",
					"outputs": [
						"cluster_certificate_authority_data",
						"cluster_endpoint",
						"cluster_name",
						"cluster_oidc_issuer_url",
						"cluster_security_group_id",
						"node_iam_role_arn",
						"node_iam_role_name",
						"node_security_group_id",
						"oidc_provider_arn",
						"private_subnet_ids",
						"vpc_id"
					]
				}
			}
		},
		"path": "eks.yaml"
	},
	{
		"contents": {
			"apiVersion": "source.toolkit.fluxcd.io/v1",
			"kind": "GitRepository",
			"metadata": {
				"labels": {
					"app.kubernetes.io/managed-by": "fluxtf",
					"fluxtf.io/environment": "prod",
					"fluxtf.io/stack": "jeppesen-eks",
					"fluxtf.io/tier": "prod"
				},
				"name": "jeppesen-eks-prod",
				"namespace": "flux-system"
			},
			"spec": {
				"interval": "10m0s",
				"ref": {
					"tag": "v4.1.3"
				},
				"secretRef": {
					"name": "flux-git-auth"
				},
				"sparseCheckout": [
					"jeppesen-eks"
				],
				"url": "ssh://git@github.com/digx/infrastructure.git"
			}
		},
		"path": "gitrepository.yaml"
	}
]

test_prod_removal_deny_fixture if {
	t.located == {["prod-removal", "../baseline/efs.yaml", ""]} with input as {"files": prod_removal_deny, "baseline": prod_removal_baseline, "context": context}
}

test_prod_removal_pass_fixture if {
	count(t.located) == 0 with input as {"files": prod_removal_pass, "baseline": prod_removal_baseline, "context": context}
}

test_prod_removal_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": prod_removal_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in prod_removal_deny]
}

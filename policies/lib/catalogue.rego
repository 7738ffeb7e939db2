# Code generated from templates/stacks/*.yaml and templates/compatibility/*.yaml
# by `go test ./policies -run TestCatalogueIsFresh -update`. DO NOT EDIT.
package fluxtf.catalogue

# modules: the module contracts of the stack catalogues, keyed by module
# path (no leading "./"): stack, module name, inputs (type, required; a
# read output arrives as a string), outputs (name -> type), the base outputs
# it reads through varsFrom and the input carrying its version
# (versionVar). Read by module-contract and, through
# data.fluxtf.api.version_var, the version rules.
modules := {
	"jeppesen-eks/base": {
		"stack": "jeppesen-eks",
		"name": "eks",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_addons": {
				"type": "list(string)",
				"required": false
			},
			"cluster_endpoint_public_access": {
				"type": "bool",
				"required": false
			},
			"cluster_endpoint_public_access_cidrs": {
				"type": "list(string)",
				"required": false
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"custom_ami_id": {
				"type": "string",
				"required": false
			},
			"enable_irsa": {
				"type": "bool",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"force_update_version": {
				"type": "bool",
				"required": false
			},
			"image_builder_pipeline_arn": {
				"type": "string",
				"required": false
			},
			"kubernetes_version": {
				"type": "string",
				"required": true
			},
			"node_groups": {
				"type": "map(object({min_size = number, max_size = number, desired_size = number, instance_types = list(string), capacity_type = string, disk_size = number, ami_type = string, labels = optional(map(string))}))",
				"required": true
			},
			"os": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"tags": {
				"type": "map(string)",
				"required": false
			}
		},
		"outputs": {
			"cluster_certificate_authority_data": "string",
			"cluster_endpoint": "string",
			"cluster_name": "string",
			"cluster_oidc_issuer_url": "string",
			"cluster_security_group_id": "string",
			"node_iam_role_arn": "string",
			"node_iam_role_name": "string",
			"node_security_group_id": "string",
			"oidc_provider_arn": "string",
			"private_subnet_ids": "list(string)",
			"vpc_id": "string"
		},
		"reads": []
	},
	"jeppesen-eks/modules/adot": {
		"stack": "jeppesen-eks",
		"name": "adot",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"adot_version": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"metrics_exporter": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"traces_exporter": {
				"type": "string",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "adot_version"
	},
	"jeppesen-eks/modules/argocd": {
		"stack": "jeppesen-eks",
		"name": "argocd",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"argocd_chart_version": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"ha_enabled": {
				"type": "bool",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"server_ingress_enabled": {
				"type": "bool",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data"
		],
		"versionVar": "argocd_chart_version"
	},
	"jeppesen-eks/modules/aws-for-fluentbit": {
		"stack": "jeppesen-eks",
		"name": "aws-for-fluentbit",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"log_retention_days": {
				"type": "number",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/aws-load-balancer-controller": {
		"stack": "jeppesen-eks",
		"name": "aws-load-balancer-controller",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"enable_waf": {
				"type": "bool",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"vpc_id": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn",
			"vpc_id"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/aws-node-termination-handler": {
		"stack": "jeppesen-eks",
		"name": "aws-node-termination-handler",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"enable_sqs_termination_draining": {
				"type": "bool",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/aws-privateca-issuer": {
		"stack": "jeppesen-eks",
		"name": "aws-privateca-issuer",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/cert-manager": {
		"stack": "jeppesen-eks",
		"name": "cert-manager",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cert_manager_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"install_crds": {
				"type": "bool",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "cert_manager_version"
	},
	"jeppesen-eks/modules/cloudwatch-observability": {
		"stack": "jeppesen-eks",
		"name": "cloudwatch-observability",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"addon_version": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "addon_version"
	},
	"jeppesen-eks/modules/cluster-autoscaler": {
		"stack": "jeppesen-eks",
		"name": "cluster-autoscaler",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/ebs-csi": {
		"stack": "jeppesen-eks",
		"name": "ebs-csi",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"default_storage_class": {
				"type": "string",
				"required": false
			},
			"ebs_csi_driver_version": {
				"type": "string",
				"required": true
			},
			"encrypted": {
				"type": "bool",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "ebs_csi_driver_version"
	},
	"jeppesen-eks/modules/efs": {
		"stack": "jeppesen-eks",
		"name": "efs",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"efs_csi_driver_version": {
				"type": "string",
				"required": true
			},
			"encrypted": {
				"type": "bool",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"node_security_group_id": {
				"type": "string",
				"required": true
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"performance_mode": {
				"type": "string",
				"required": false
			},
			"private_subnet_ids": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"throughput_mode": {
				"type": "string",
				"required": false
			},
			"vpc_id": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {
			"efs_file_system_id": "string"
		},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn",
			"vpc_id",
			"private_subnet_ids",
			"node_security_group_id"
		],
		"versionVar": "efs_csi_driver_version"
	},
	"jeppesen-eks/modules/external-dns": {
		"stack": "jeppesen-eks",
		"name": "external-dns",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"external_dns_chart_version": {
				"type": "string",
				"required": true
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"policy": {
				"type": "string",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"txt_owner_id_prefix": {
				"type": "string",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "external_dns_chart_version"
	},
	"jeppesen-eks/modules/external-secrets": {
		"stack": "jeppesen-eks",
		"name": "external-secrets",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"parameter_store_enabled": {
				"type": "bool",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"secrets_manager_enabled": {
				"type": "bool",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/ingress-nginx": {
		"stack": "jeppesen-eks",
		"name": "ingress-nginx",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"internal": {
				"type": "bool",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/istio": {
		"stack": "jeppesen-eks",
		"name": "istio",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"default_deny_authorization_policy": {
				"type": "bool",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"ingress_gateway_enabled": {
				"type": "bool",
				"required": false
			},
			"istio_version": {
				"type": "string",
				"required": true
			},
			"mtls_mode": {
				"type": "string",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data"
		],
		"versionVar": "istio_version"
	},
	"jeppesen-eks/modules/karpenter": {
		"stack": "jeppesen-eks",
		"name": "karpenter",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"create_instance_profile": {
				"type": "bool",
				"required": false
			},
			"enable_spot_termination": {
				"type": "bool",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"karpenter_version": {
				"type": "string",
				"required": true
			},
			"node_iam_role_name": {
				"type": "string",
				"required": true
			},
			"node_security_group_id": {
				"type": "string",
				"required": true
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"private_subnet_ids": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {
			"karpenter_iam_role_arn": "string",
			"karpenter_queue_name": "string"
		},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn",
			"node_iam_role_name",
			"node_security_group_id",
			"private_subnet_ids"
		],
		"versionVar": "karpenter_version"
	},
	"jeppesen-eks/modules/kube-prometheus-stack": {
		"stack": "jeppesen-eks",
		"name": "kube-prometheus-stack",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"retention": {
				"type": "string",
				"required": false
			},
			"storage_size": {
				"type": "string",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/kyverno": {
		"stack": "jeppesen-eks",
		"name": "kyverno",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"validation_failure_action": {
				"type": "string",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/metrics-server": {
		"stack": "jeppesen-eks",
		"name": "metrics-server",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/secrets-store-csi-driver": {
		"stack": "jeppesen-eks",
		"name": "secrets-store-csi-driver",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"sync_secret_enabled": {
				"type": "bool",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "chart_version"
	},
	"jeppesen-eks/modules/velero": {
		"stack": "jeppesen-eks",
		"name": "velero",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"backup_schedule": {
				"type": "string",
				"required": false
			},
			"backup_ttl": {
				"type": "string",
				"required": false
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"oidc_provider_arn": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"velero_chart_version": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {
			"velero_bucket_name": "string"
		},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data",
			"oidc_provider_arn"
		],
		"versionVar": "velero_chart_version"
	},
	"jeppesen-eks/modules/vertical-pod-autoscaler": {
		"stack": "jeppesen-eks",
		"name": "vertical-pod-autoscaler",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"chart_version": {
				"type": "string",
				"required": true
			},
			"cluster_certificate_authority_data": {
				"type": "string",
				"required": true
			},
			"cluster_endpoint": {
				"type": "string",
				"required": true
			},
			"cluster_name": {
				"type": "string",
				"required": true
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"updater_enabled": {
				"type": "bool",
				"required": false
			}
		},
		"outputs": {},
		"reads": [
			"cluster_name",
			"cluster_endpoint",
			"cluster_certificate_authority_data"
		],
		"versionVar": "chart_version"
	},
	"ocm-client/base": {
		"stack": "ocm-client",
		"name": "function-app",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"app_settings": {
				"type": "map(string)",
				"required": false
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"function_app_name": {
				"type": "string",
				"required": true
			},
			"https_only": {
				"type": "bool",
				"required": false
			},
			"location": {
				"type": "string",
				"required": true
			},
			"minimum_tls_version": {
				"type": "string",
				"required": false
			},
			"oauth_clients": {
				"type": "any",
				"required": false
			},
			"plan_sku": {
				"type": "string",
				"required": true
			},
			"python_version": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"resource_group_name": {
				"type": "string",
				"required": true
			},
			"storage_account_replication": {
				"type": "string",
				"required": false
			},
			"subscription_id": {
				"type": "string",
				"required": true
			},
			"tags": {
				"type": "map(string)",
				"required": false
			}
		},
		"outputs": {
			"function_app_hostname": "string",
			"function_app_id": "string",
			"function_app_name": "string",
			"function_app_principal_id": "string",
			"service_plan_id": "string",
			"storage_account_name": "string"
		},
		"reads": []
	},
	"ocm-client/modules/app-registration": {
		"stack": "ocm-client",
		"name": "app-registration",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"function_app_hostname": {
				"type": "string",
				"required": true
			},
			"function_app_principal_id": {
				"type": "string",
				"required": true
			},
			"graph_application_permissions": {
				"type": "list(string)",
				"required": false
			},
			"location": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"resource_group_name": {
				"type": "string",
				"required": true
			},
			"sign_in_audience": {
				"type": "string",
				"required": false
			},
			"subscription_id": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {
			"application_client_id": "string",
			"service_principal_object_id": "string"
		},
		"reads": [
			"function_app_hostname",
			"function_app_principal_id"
		]
	},
	"ocm-client/modules/key-vault": {
		"stack": "ocm-client",
		"name": "key-vault",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"function_app_principal_id": {
				"type": "string",
				"required": true
			},
			"location": {
				"type": "string",
				"required": true
			},
			"purge_protection_enabled": {
				"type": "bool",
				"required": false
			},
			"rbac_authorization": {
				"type": "bool",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"resource_group_name": {
				"type": "string",
				"required": true
			},
			"soft_delete_retention_days": {
				"type": "number",
				"required": false
			},
			"subscription_id": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {
			"key_vault_id": "string",
			"key_vault_uri": "string"
		},
		"reads": [
			"function_app_principal_id"
		]
	},
	"ocm-client/modules/monitoring": {
		"stack": "ocm-client",
		"name": "monitoring",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"failure_alert_threshold": {
				"type": "number",
				"required": false
			},
			"function_app_id": {
				"type": "string",
				"required": true
			},
			"function_app_name": {
				"type": "string",
				"required": true
			},
			"location": {
				"type": "string",
				"required": true
			},
			"region": {
				"type": "string",
				"required": true
			},
			"resource_group_name": {
				"type": "string",
				"required": true
			},
			"retention_in_days": {
				"type": "number",
				"required": false
			},
			"subscription_id": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {
			"application_insights_id": "string",
			"log_analytics_workspace_id": "string"
		},
		"reads": [
			"function_app_id",
			"function_app_name"
		]
	},
	"ocm-client/modules/secrets-manager": {
		"stack": "ocm-client",
		"name": "secrets-manager",
		"inputs": {
			"account_id": {
				"type": "string",
				"required": true
			},
			"assume_role_arn": {
				"type": "string",
				"required": false
			},
			"environment": {
				"type": "string",
				"required": false
			},
			"function_app_name": {
				"type": "string",
				"required": true
			},
			"function_app_principal_id": {
				"type": "string",
				"required": true
			},
			"kms_key_rotation": {
				"type": "bool",
				"required": false
			},
			"location": {
				"type": "string",
				"required": true
			},
			"recovery_window_in_days": {
				"type": "number",
				"required": false
			},
			"region": {
				"type": "string",
				"required": true
			},
			"resource_group_name": {
				"type": "string",
				"required": true
			},
			"subscription_id": {
				"type": "string",
				"required": true
			}
		},
		"outputs": {
			"kms_key_arn": "string",
			"secret_name_prefix": "string",
			"secrets_role_arn": "string"
		},
		"reads": [
			"function_app_principal_id",
			"function_app_name"
		]
	}
}

# stacks: each stack's policy families (the defaults of its objects
# without the fluxtf.io/policies annotation: lib.families) and source
# prefix.
stacks := {
	"jeppesen-eks": {
		"policies": [
			"common",
			"eks"
		],
		"sourcePrefix": "jeppesen-eks"
	},
	"ocm-client": {
		"policies": [
			"common",
			"ocm-client"
		],
		"sourcePrefix": "ocm-client"
	}
}

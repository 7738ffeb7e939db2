# Code generated from templates/stacks/*.yaml and templates/compatibility/*.yaml
# by `go test ./policies -run TestCatalogueIsFresh -update`. DO NOT EDIT.
package fluxtf.lib

# catalogue_versions: stack -> component -> {"var": its version variable,
# "rows": [{"line": MAJOR.MINOR, "from": first version, "patch", "min",
# "max": Kubernetes minors, "source": URL of the published matrix}]}.
# Read by component-compatibility and the release facts (lib.component_version).
catalogue_versions := {
	"jeppesen-eks": {
		"adot": {
			"var": "adot_version"
		},
		"argocd": {
			"var": "argocd_chart_version"
		},
		"aws-for-fluentbit": {
			"var": "chart_version"
		},
		"aws-load-balancer-controller": {
			"var": "chart_version"
		},
		"aws-node-termination-handler": {
			"var": "chart_version"
		},
		"aws-privateca-issuer": {
			"var": "chart_version"
		},
		"cert-manager": {
			"var": "cert_manager_version",
			"rows": [
				{
					"line": "1.10",
					"from": "1.10.0",
					"patch": 0,
					"min": 20,
					"max": 26,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.11",
					"from": "1.11.0",
					"patch": 0,
					"min": 21,
					"max": 27,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.12",
					"from": "1.12.0",
					"patch": 0,
					"min": 22,
					"max": 31,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.13",
					"from": "1.13.0",
					"patch": 0,
					"min": 23,
					"max": 28,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.14",
					"from": "1.14.0",
					"patch": 0,
					"min": 24,
					"max": 31,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.15",
					"from": "1.15.0",
					"patch": 0,
					"min": 25,
					"max": 31,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.16",
					"from": "1.16.0",
					"patch": 0,
					"min": 25,
					"max": 32,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.17",
					"from": "1.17.0",
					"patch": 0,
					"min": 29,
					"max": 33,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.18",
					"from": "1.18.0",
					"patch": 0,
					"min": 29,
					"max": 33,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.19",
					"from": "1.19.0",
					"patch": 0,
					"min": 31,
					"max": 35,
					"source": "https://cert-manager.io/docs/releases/"
				},
				{
					"line": "1.20",
					"from": "1.20.0",
					"patch": 0,
					"min": 32,
					"max": 35,
					"source": "https://cert-manager.io/docs/releases/"
				}
			]
		},
		"cloudwatch-observability": {
			"var": "addon_version"
		},
		"cluster-autoscaler": {
			"var": "chart_version"
		},
		"ebs-csi": {
			"var": "ebs_csi_driver_version"
		},
		"efs": {
			"var": "efs_csi_driver_version"
		},
		"external-dns": {
			"var": "external_dns_chart_version"
		},
		"external-secrets": {
			"var": "chart_version"
		},
		"ingress-nginx": {
			"var": "chart_version"
		},
		"istio": {
			"var": "istio_version",
			"rows": [
				{
					"line": "1.20",
					"from": "1.20.0",
					"patch": 0,
					"min": 25,
					"max": 29,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.21",
					"from": "1.21.0",
					"patch": 0,
					"min": 26,
					"max": 29,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.22",
					"from": "1.22.0",
					"patch": 0,
					"min": 27,
					"max": 30,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.23",
					"from": "1.23.0",
					"patch": 0,
					"min": 27,
					"max": 30,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.24",
					"from": "1.24.0",
					"patch": 0,
					"min": 28,
					"max": 31,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.25",
					"from": "1.25.0",
					"patch": 0,
					"min": 29,
					"max": 32,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.26",
					"from": "1.26.0",
					"patch": 0,
					"min": 29,
					"max": 33,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.27",
					"from": "1.27.0",
					"patch": 0,
					"min": 29,
					"max": 33,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.28",
					"from": "1.28.0",
					"patch": 0,
					"min": 30,
					"max": 34,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				},
				{
					"line": "1.29",
					"from": "1.29.0",
					"patch": 0,
					"min": 30,
					"max": 35,
					"source": "https://istio.io/latest/docs/releases/supported-releases/"
				}
			]
		},
		"karpenter": {
			"var": "karpenter_version",
			"rows": [
				{
					"line": "0.34",
					"from": "0.34.0",
					"patch": 0,
					"min": 23,
					"max": 29,
					"source": "https://karpenter.sh/v0.34/upgrading/compatibility/"
				},
				{
					"line": "0.35",
					"from": "0.35.0",
					"patch": 0,
					"min": 23,
					"max": 29,
					"source": "https://karpenter.sh/v0.35/upgrading/compatibility/"
				},
				{
					"line": "0.36",
					"from": "0.36.0",
					"patch": 0,
					"min": 23,
					"max": 29,
					"source": "https://karpenter.sh/v0.36/upgrading/compatibility/"
				},
				{
					"line": "0.37",
					"from": "0.37.0",
					"patch": 0,
					"min": 23,
					"max": 30,
					"source": "https://karpenter.sh/v0.37/upgrading/compatibility/"
				},
				{
					"line": "1.0",
					"from": "1.0.0",
					"patch": 0,
					"min": 25,
					"max": 30,
					"source": "https://karpenter.sh/v1.0/upgrading/compatibility/"
				},
				{
					"line": "1.0",
					"from": "1.0.5",
					"patch": 5,
					"min": 25,
					"max": 31,
					"source": "https://karpenter.sh/v1.0/upgrading/compatibility/"
				},
				{
					"line": "1.1",
					"from": "1.1.0",
					"patch": 0,
					"min": 25,
					"max": 31,
					"source": "https://karpenter.sh/v1.1/upgrading/compatibility/"
				},
				{
					"line": "1.2",
					"from": "1.2.0",
					"patch": 0,
					"min": 25,
					"max": 32,
					"source": "https://karpenter.sh/v1.2/upgrading/compatibility/"
				},
				{
					"line": "1.3",
					"from": "1.3.0",
					"patch": 0,
					"min": 25,
					"max": 32,
					"source": "https://karpenter.sh/v1.3/upgrading/compatibility/"
				},
				{
					"line": "1.4",
					"from": "1.4.0",
					"patch": 0,
					"min": 25,
					"max": 32,
					"source": "https://karpenter.sh/v1.4/upgrading/compatibility/"
				},
				{
					"line": "1.5",
					"from": "1.5.0",
					"patch": 0,
					"min": 25,
					"max": 33,
					"source": "https://karpenter.sh/v1.5/upgrading/compatibility/"
				},
				{
					"line": "1.6",
					"from": "1.6.0",
					"patch": 0,
					"min": 25,
					"max": 34,
					"source": "https://karpenter.sh/v1.6/upgrading/compatibility/"
				},
				{
					"line": "1.7",
					"from": "1.7.0",
					"patch": 0,
					"min": 25,
					"max": 34,
					"source": "https://karpenter.sh/v1.7/upgrading/compatibility/"
				},
				{
					"line": "1.8",
					"from": "1.8.0",
					"patch": 0,
					"min": 25,
					"max": 34,
					"source": "https://karpenter.sh/v1.8/upgrading/compatibility/"
				},
				{
					"line": "1.9",
					"from": "1.9.0",
					"patch": 0,
					"min": 29,
					"max": 35,
					"source": "https://karpenter.sh/docs/upgrading/compatibility/"
				},
				{
					"line": "1.10",
					"from": "1.10.0",
					"patch": 0,
					"min": 29,
					"max": 35,
					"source": "https://karpenter.sh/docs/upgrading/compatibility/"
				},
				{
					"line": "1.11",
					"from": "1.11.0",
					"patch": 0,
					"min": 29,
					"max": 35,
					"source": "https://karpenter.sh/docs/upgrading/compatibility/"
				}
			]
		},
		"kube-prometheus-stack": {
			"var": "chart_version"
		},
		"kyverno": {
			"var": "chart_version"
		},
		"metrics-server": {
			"var": "chart_version"
		},
		"secrets-store-csi-driver": {
			"var": "chart_version"
		},
		"velero": {
			"var": "velero_chart_version"
		},
		"vertical-pod-autoscaler": {
			"var": "chart_version"
		}
	},
	"ocm-client": {}
}

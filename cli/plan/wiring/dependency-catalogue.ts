/**
 * What the dependency analysis knows about the cluster: built-in API groups, the charts Semester installs (which
 * CRDs each brings and which groups its controller acts on), the CSI drivers by provisioner, and the annotations
 * that mark default classes. Extend it when a chart, driver or custom resource group is added. Pure data.
 */

/** API groups every Kubernetes API server serves without a CRD. */
export const BUILT_IN_GROUPS = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
]);

/**
 * Charts Semester installs, by chart name: the API groups whose CRDs each installs (`crdsInCrdsDir`: shipped in
 * the chart's `crds/` directory, so `skipCrds: true` drops them) and the groups whose objects its controller acts on.
 */
export const CHARTS: Readonly<
  Record<
    string,
    {
      readonly crds: readonly string[];
      readonly crdsInCrdsDir: boolean;
      readonly operates: readonly string[];
    }
  >
> = {
  // CRDs from its templates (`crds.create`, on by default); the operator reconciles collectors and
  // Instrumentations and injects the latter's agents into pods.
  "opentelemetry-operator": {
    crds: ["opentelemetry.io"],
    crdsInCrdsDir: false,
    operates: ["opentelemetry.io"],
  },
  // The prometheus-operator CRDs come from its `crds` subchart's crds/ directory (in-cluster profile).
  "kube-prometheus-stack": {
    crds: ["monitoring.coreos.com"],
    crdsInCrdsDir: true,
    operates: ["monitoring.coreos.com"],
  },
  "karpenter-crd": { crds: ["karpenter.sh", "karpenter.k8s.aws"], crdsInCrdsDir: false, operates: [] },
  karpenter: {
    crds: ["karpenter.sh", "karpenter.k8s.aws"],
    crdsInCrdsDir: true,
    operates: ["karpenter.sh", "karpenter.k8s.aws"],
  },
  keda: {
    crds: ["keda.sh", "eventing.keda.sh"],
    crdsInCrdsDir: false,
    operates: ["keda.sh", "eventing.keda.sh"],
  },
  kyverno: {
    crds: ["kyverno.io", "policies.kyverno.io", "reports.kyverno.io", "wgpolicyk8s.io"],
    crdsInCrdsDir: false,
    operates: ["kyverno.io", "policies.kyverno.io", "reports.kyverno.io", "wgpolicyk8s.io"],
  },
  "strimzi-kafka-operator": {
    crds: ["kafka.strimzi.io", "core.strimzi.io"],
    crdsInCrdsDir: true,
    operates: ["kafka.strimzi.io", "core.strimzi.io"],
  },
  // Istio 1.30.3: the base chart renders every Istio CRD from its templates (`files/crd-all.gen.yaml`), istiod
  // serves and enforces those groups' objects (xDS to the sidecars and gateways).
  base: {
    crds: ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"],
    crdsInCrdsDir: false,
    operates: [],
  },
  istiod: {
    crds: [],
    crdsInCrdsDir: false,
    operates: ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"],
  },
  // CRDs from its templates (`installCRDs`, on by default); the controller reconciles Rollouts and runs analyses.
  "argo-rollouts": {
    crds: ["argoproj.io"],
    crdsInCrdsDir: false,
    operates: ["argoproj.io"],
  },
  // GameDays: the Schedule CRD (and every chaos kind) ships in the chart's crds/ directory.
  "chaos-mesh": { crds: ["chaos-mesh.org"], crdsInCrdsDir: true, operates: ["chaos-mesh.org"] },
  "aws-load-balancer-controller": {
    crds: ["elbv2.k8s.aws"],
    crdsInCrdsDir: true,
    operates: ["elbv2.k8s.aws"],
  },
};

/** CSI drivers by provisioner name: the EKS add-on that installs each, and its controller's service account. */
export const CSI_DRIVERS: Readonly<
  Record<string, { readonly addon: string; readonly serviceAccount: string }>
> = {
  "ebs.csi.aws.com": { addon: "aws-ebs-csi-driver", serviceAccount: "kube-system/ebs-csi-controller-sa" },
  "efs.csi.aws.com": { addon: "aws-efs-csi-driver", serviceAccount: "kube-system/efs-csi-controller-sa" },
};

/** The controller behind `spec.controller` of an IngressClass the AWS Load Balancer Controller serves. */
export const ALB_CONTROLLER = "ingress.k8s.aws/alb";
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
export const DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

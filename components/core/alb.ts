/**
 * What every public Ingress of Semester tells the AWS Load Balancer Controller about its ALB. ARC zonal shift and
 * autoshift act on an ALB only with the ELBv2 attribute `zonal_shift.config.enabled`; all Ingresses of an
 * IngressGroup must carry the same group-wide annotations, so they all take them from here.
 */
export const ALB_ZONAL_SHIFT_ANNOTATIONS: Readonly<Record<string, string>> = {
  "alb.ingress.kubernetes.io/load-balancer-attributes": "zonal_shift.config.enabled=true",
};

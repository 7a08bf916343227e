//! Routing and TLS for a partner's domains — the part that differs most between clouds.
//!
//! - `gateway` routing (`k8s`): an `HTTPRoute` on the shared gateway, a cert-manager
//!   `Certificate`, and a `ReferenceGrant` letting the gateway read the certificate's secret.
//! - `ingress` routing: an `Ingress` with the target's class and annotations, and TLS from the
//!   target's certificate source: cert-manager, a GKE `ManagedCertificate`, or the cloud's own
//!   certificate store (ACM on EKS, named by ARN or requested by domain through an ACK
//!   `Certificate` that the load balancer controller finds by host; Key Vault on AKS).
//!
//! Every route carries ExternalDNS annotations, so the partner's DNS records follow its load
//! balancer; with `dns_hold` the route names its hosts but ExternalDNS leaves them alone (the
//! `controller` annotation names another controller) until the cut-over removes it.

use super::crd::{
    BackendRef, Certificate, CertificateSpec, GrantFrom, GrantTo, HttpRoute, HttpRouteRule, HttpRouteSpec, IssuerRef,
    ManagedCertificate, ManagedCertificateSpec, ParentRef, ReferenceGrant, ReferenceGrantSpec,
};
use super::labels::{meta, with_annotations};
use super::operators::{AcmCertificate, AcmCertificateSpec};
use super::rollout::{canary_routing, front_service, CanaryRouting};
use super::workload::SERVICE_PORT;
use super::{names, Lowering, Object, Placement};
use crate::model::{Certificates, Provider, Routing, StrategyKind};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule, IngressServiceBackend, IngressSpec,
    IngressTLS, ServiceBackendPort,
};
use std::collections::BTreeMap;

pub fn objects(lw: &Lowering, at: &Placement) -> Vec<Object> {
    if at.partner.domains.is_empty() {
        return Vec::new();
    }
    match at.target.routing {
        Routing::Gateway => gateway(lw, at),
        Routing::Ingress => ingress(lw, at),
    }
}

fn domains(at: &Placement) -> Vec<String> {
    at.partner.domains.iter().map(|d| d.value.clone()).collect()
}

/// The ExternalDNS annotation naming the hosts a route publishes.
pub const DNS_HOSTNAME: &str = "external-dns.alpha.kubernetes.io/hostname";
/// The ExternalDNS annotation that, naming another controller, makes ExternalDNS skip a route.
pub const DNS_CONTROLLER: &str = "external-dns.alpha.kubernetes.io/controller";
/// The controller a held route names (no ExternalDNS answers to it).
pub const DNS_HOLD: &str = "bdc-dns-hold";

/// ExternalDNS annotations of a partner's route.
pub fn dns_annotations(at: &Placement) -> BTreeMap<String, String> {
    let mut out = BTreeMap::from([(DNS_HOSTNAME.to_string(), domains(at).join(","))]);
    if at.dns_hold {
        out.insert(DNS_CONTROLLER.into(), DNS_HOLD.into());
    }
    out
}

fn tls_secret(at: &Placement) -> String {
    names::derive(&at.partner.name.value, names::TLS)
}

fn certificate(lw: &Lowering, at: &Placement) -> Object {
    Certificate::new(
        meta(lw, at, &tls_secret(at), "routing"),
        CertificateSpec {
            secret_name: tls_secret(at),
            dns_names: domains(at),
            issuer_ref: IssuerRef {
                name: at.target.issuer.clone(),
                kind: "ClusterIssuer".into(),
                group: "cert-manager.io".into(),
            },
        },
    )
    .into()
}

/// `namespace/name` of the gateway, split.
fn gateway_ref(at: &Placement) -> (Option<String>, String) {
    let text = at.target.gateway.clone().unwrap_or_else(|| "public".into());
    match text.split_once('/') {
        Some((ns, name)) => (Some(ns.to_string()), name.to_string()),
        None => (None, text),
    }
}

/// A canary splits the route between its stable and canary Services (all on stable at rest);
/// everything else routes to the partner's one Service.
fn route_backends(at: &Placement) -> Vec<BackendRef> {
    let name = &at.partner.name.value;
    match at.partner.strategy.kind {
        StrategyKind::Canary { .. } => {
            let canary = match at.stage {
                super::Stage::Canary { weight, .. } => super::rollout::canary_percent(weight),
                _ => 0,
            };
            vec![
                BackendRef { name: names::derive(name, names::STABLE), port: SERVICE_PORT, weight: Some(100 - canary) },
                BackendRef { name: names::derive(name, names::CANARY), port: SERVICE_PORT, weight: Some(canary) },
            ]
        }
        _ => vec![BackendRef { name: name.clone(), port: SERVICE_PORT, weight: None }],
    }
}

fn gateway(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let (gw_namespace, gw_name) = gateway_ref(at);
    let route = HttpRoute::new(
        with_annotations(meta(lw, at, &at.partner.name.value, "routing"), dns_annotations(at)),
        HttpRouteSpec {
            parent_refs: vec![ParentRef { name: gw_name, namespace: gw_namespace.clone() }],
            hostnames: domains(at),
            rules: vec![HttpRouteRule { backend_refs: route_backends(at) }],
        },
    );
    if at.target.certificates == Certificates::None {
        return vec![route.into()];
    }
    let mut out = vec![certificate(lw, at), route.into()];
    if let Some(ns) = gw_namespace {
        out.push(
            ReferenceGrant::new(
                meta(lw, at, "gateway-tls", "routing"),
                ReferenceGrantSpec {
                    from: vec![GrantFrom {
                        group: "gateway.networking.k8s.io".into(),
                        kind: "Gateway".into(),
                        namespace: ns,
                    }],
                    to: vec![GrantTo { group: String::new(), kind: "Secret".into(), name: Some(tls_secret(at)) }],
                },
            )
            .into(),
        );
    }
    out
}

fn ingress(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let name = &at.partner.name.value;
    let mut out = Vec::new();
    let mut annotations: BTreeMap<String, String> = at.target.annotations.clone().into_iter().collect();
    let mut class = at.target.ingress_class.clone();
    let mut tls = IngressTLS { hosts: Some(domains(at)), secret_name: None };
    match (at.target.provider, at.target.certificates) {
        (Provider::Gke, certificates) => {
            // GKE's controller is selected by annotation, not by ingress class name.
            if let Some(c) = class.take() {
                annotations.insert("kubernetes.io/ingress.class".into(), c);
            }
            if let Some(ip) = &at.partner.static_ip {
                annotations.insert("kubernetes.io/ingress.global-static-ip-name".into(), ip.clone());
            }
            if certificates == Certificates::GkeManaged {
                out.push(
                    ManagedCertificate::new(
                        meta(lw, at, name, "routing"),
                        ManagedCertificateSpec { domains: domains(at) },
                    )
                    .into(),
                );
                annotations.insert("networking.gke.io/managed-certificates".into(), name.clone());
                tls = IngressTLS::default();
            }
        }
        (Provider::Eks, _) => {
            annotations.insert("alb.ingress.kubernetes.io/healthcheck-path".into(), lw.platform.health_path.clone());
            // Without an ARN the controller finds ACM certificates by the hosts listed in `tls`:
            // ACK requests one for them.
            match &at.partner.certificate {
                Some(arn) => {
                    annotations.insert("alb.ingress.kubernetes.io/certificate-arn".into(), arn.clone());
                }
                None if at.target.certificates != Certificates::None => {
                    let all = domains(at);
                    out.push(
                        AcmCertificate::new(
                            meta(lw, at, name, "routing"),
                            AcmCertificateSpec {
                                domain_name: all[0].clone(),
                                subject_alternative_names: all[1..].to_vec(),
                            },
                        )
                        .into(),
                    );
                }
                None => {}
            }
        }
        (_, Certificates::None) => tls = IngressTLS::default(),
        (Provider::Aks, _) if at.partner.certificate.is_some() => {
            let uri = at.partner.certificate.clone().unwrap_or_default();
            annotations.insert("kubernetes.azure.com/tls-cert-keyvault-uri".into(), uri);
            tls.secret_name = Some(names::derive(name, names::KEYVAULT));
        }
        _ => {
            out.push(certificate(lw, at));
            tls.secret_name = Some(tls_secret(at));
        }
    }
    // With Argo's ALB routing the controller fills in the weighted action named by the port.
    let port = match (&at.partner.strategy.kind, canary_routing(at)) {
        (StrategyKind::Canary { .. }, CanaryRouting::Alb) => {
            ServiceBackendPort { number: None, name: Some("use-annotation".into()) }
        }
        _ => ServiceBackendPort { number: Some(SERVICE_PORT), name: None },
    };
    let backend = IngressBackend {
        service: Some(IngressServiceBackend { name: front_service(at), port: Some(port) }),
        resource: None,
    };
    let rules = at
        .partner
        .domains
        .iter()
        .map(|d| IngressRule {
            host: Some(d.value.clone()),
            http: Some(HTTPIngressRuleValue {
                paths: vec![HTTPIngressPath {
                    path: Some("/".into()),
                    path_type: "Prefix".into(),
                    backend: backend.clone(),
                }],
            }),
        })
        .collect();
    annotations.extend(dns_annotations(at));
    let has_tls = tls.hosts.is_some();
    out.push(
        Ingress {
            metadata: with_annotations(meta(lw, at, name, "routing"), annotations),
            spec: Some(IngressSpec {
                ingress_class_name: class,
                rules: Some(rules),
                tls: has_tls.then(|| vec![tls]),
                ..Default::default()
            }),
            ..Default::default()
        }
        .into(),
    );
    out
}

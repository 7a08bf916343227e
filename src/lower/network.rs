//! Network isolation: default deny for ingress and egress, then only what a site needs — its
//! load balancer or gateway in, DNS out, and the egress the spec declares.

use super::labels::{label_selector, meta};
use super::{Lowering, Object, Placement};
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

fn port(protocol: &str, number: i32) -> NetworkPolicyPort {
    NetworkPolicyPort { protocol: Some(protocol.into()), port: Some(IntOrString::Int(number)), ..Default::default() }
}

fn namespace_peer(name: &str, pods: Option<(&str, &str)>) -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        namespace_selector: Some(LabelSelector {
            match_labels: Some(BTreeMap::from([("kubernetes.io/metadata.name".to_string(), name.to_string())])),
            ..Default::default()
        }),
        pod_selector: pods.map(|(k, v)| LabelSelector {
            match_labels: Some(BTreeMap::from([(k.to_string(), v.to_string())])),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn cidr_peer(cidr: &str) -> NetworkPolicyPeer {
    NetworkPolicyPeer { ip_block: Some(IPBlock { cidr: cidr.into(), except: None }), ..Default::default() }
}

fn policy(lw: &Lowering, at: &Placement, name: &str, pods: LabelSelector, spec: NetworkPolicySpec) -> Object {
    NetworkPolicy {
        metadata: meta(lw, at, name, "tenancy"),
        spec: Some(NetworkPolicySpec { pod_selector: Some(pods), ..spec }),
    }
    .into()
}

pub fn policies(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let all = LabelSelector::default();
    let mut out = vec![policy(
        lw,
        at,
        "default-deny",
        all.clone(),
        NetworkPolicySpec { policy_types: Some(vec!["Ingress".into(), "Egress".into()]), ..Default::default() },
    )];
    let mut sources: Vec<NetworkPolicyPeer> =
        at.target.ingress_namespace.iter().map(|ns| namespace_peer(ns, None)).collect();
    sources.extend(at.target.ingress_cidrs.iter().map(|c| cidr_peer(c)));
    if !sources.is_empty() {
        out.push(policy(
            lw,
            at,
            "allow-ingress",
            label_selector(at),
            NetworkPolicySpec {
                policy_types: Some(vec!["Ingress".into()]),
                ingress: Some(vec![NetworkPolicyIngressRule {
                    from: Some(sources),
                    ports: Some(vec![port("TCP", i32::from(lw.platform.port))]),
                }]),
                ..Default::default()
            },
        ));
    }
    out.push(policy(
        lw,
        at,
        "allow-dns",
        all,
        NetworkPolicySpec {
            policy_types: Some(vec!["Egress".into()]),
            egress: Some(vec![NetworkPolicyEgressRule {
                to: Some(vec![namespace_peer("kube-system", Some(("k8s-app", "kube-dns")))]),
                ports: Some(vec![port("UDP", 53), port("TCP", 53)]),
            }]),
            ..Default::default()
        },
    ));
    if !at.partner.egress.is_empty() {
        let rules = at
            .partner
            .egress
            .iter()
            .map(|e| {
                let (cidr, p) = match e.value.rsplit_once(':') {
                    Some((c, p)) => (c, p.parse::<i32>().ok()),
                    None => (e.value.as_str(), None),
                };
                NetworkPolicyEgressRule { to: Some(vec![cidr_peer(cidr)]), ports: p.map(|p| vec![port("TCP", p)]) }
            })
            .collect();
        out.push(policy(
            lw,
            at,
            "allow-egress",
            label_selector(at),
            NetworkPolicySpec { policy_types: Some(vec!["Egress".into()]), egress: Some(rules), ..Default::default() },
        ));
    }
    out
}

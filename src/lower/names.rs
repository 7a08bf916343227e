//! The names lowering gives objects, derived from a partner's name and from a service's
//! `<partner>-<service>`: every suffix lives here, lowering builds names with [`derive`], and
//! [`partner_names`] and [`service_names`] list every name it can build, so that validation
//! (`validate::names`) checks each one before lowering runs instead of lowering failing after a
//! clean check.

/// The ConfigMap of a partner's `env`.
pub const CONFIG: &str = "-config";
/// The volume claim of a partner's `storage`.
pub const DATA: &str = "-data";
/// The cert-manager Certificate and its Secret.
pub const TLS: &str = "-tls";
/// The Role and RoleBinding of a partner's `team`.
pub const TEAM: &str = "-team";
/// The blue/green preview Service.
pub const PREVIEW: &str = "-preview";
/// The canary's stable-track Service.
pub const STABLE: &str = "-stable";
/// The canary track's Deployment and Service.
pub const CANARY: &str = "-canary";
/// Prefix (not suffix) of the Secret AKS's application routing fills from Key Vault.
pub const KEYVAULT: &str = "keyvault-";
/// The NetworkPolicy that lets a partner's web pods reach an in-cluster service.
pub const CLIENT: &str = "-client";
/// The cloud identity bdc creates for a partner whose own does not fit the target (ACK IAM
/// `Role`, ASO `UserAssignedIdentity` and its federated credential and client-id ConfigMap,
/// Config Connector `IAMPolicyMember`).
pub const IDENTITY: &str = "-iam";
/// Where a cloud's operator exports a managed service's address.
pub const ENDPOINT: &str = "-endpoint";
/// The fields ACK's `FieldExport`s copy (each export is named `<object>-<field>`).
pub const EXPORTED: [&str; 2] = ["host", "port"];
/// The blue/green slots (Deployments `<partner>-blue`, `<partner>-green`).
pub const SLOTS: [&str; 2] = ["blue", "green"];

/// Kubernetes' limit on names that are DNS labels and on label values.
pub const LABEL_MAX: usize = 63;
/// A StatefulSet's pods carry `controller-revision-hash: <name>-<hash of up to 10 characters>`,
/// a label value: the StatefulSet name may be at most 63 − 11 characters.
pub const STATEFUL_SET_MAX: usize = LABEL_MAX - 11;

/// `name` + `suffix` (or `prefix` + `name` for [`KEYVAULT`]).
pub fn derive(name: &str, suffix: &str) -> String {
    if suffix.ends_with('-') {
        format!("{suffix}{name}")
    } else {
        format!("{name}{suffix}")
    }
}

/// A blue/green slot's Deployment: `<partner>-blue`.
pub fn slot(name: &str, slot: &str) -> String {
    format!("{name}-{slot}")
}

/// What a derived name must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A DNS-1035 label (Service names): a lowercase letter first.
    Dns1035,
    /// A DNS-1123 label: what bdc keeps every other object name to.
    Dns1123,
    /// A label value (`app.kubernetes.io/instance`).
    LabelValue,
}

/// One name lowering may derive: the object it names, the name, its shape and longest length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    pub object: &'static str,
    pub name: String,
    pub shape: Shape,
    pub max: usize,
}

fn derived(object: &'static str, name: String, shape: Shape) -> Derived {
    Derived { object, name, shape, max: LABEL_MAX }
}

/// Every name of an object bdc creates from a partner's name, whatever its strategy, backend
/// and target. Not here: names bdc only refers to, of objects others create (the [`KEYVAULT`]
/// Secret, a service's `-credentials` Secret), which may be DNS subdomains of 253 characters.
pub fn partner_names(partner: &str) -> Vec<Derived> {
    use Shape::*;
    let mut out = vec![
        derived("label `app.kubernetes.io/instance`", partner.to_string(), LabelValue),
        derived("Service", partner.to_string(), Dns1035),
    ];
    for suffix in [PREVIEW, STABLE, CANARY] {
        out.push(derived("Service", derive(partner, suffix), Dns1035));
    }
    out.extend(SLOTS.iter().map(|s| derived("Deployment", slot(partner, s), Dns1123)));
    out.push(derived("ConfigMap", derive(partner, CONFIG), Dns1123));
    out.push(derived("PersistentVolumeClaim", derive(partner, DATA), Dns1123));
    out.push(derived("Certificate", derive(partner, TLS), Dns1123));
    out.push(derived("Role", derive(partner, TEAM), Dns1123));
    out.push(derived("UserAssignedIdentity", derive(partner, IDENTITY), Dns1123));
    out
}

/// Where a service's objects can be created, which decides the names it gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Placed {
    /// Runs in the cluster (StatefulSet, Service, NetworkPolicies).
    pub in_cluster: bool,
    /// A cloud operator exports its address into `<object>-endpoint` (EKS, AKS).
    pub exported: bool,
    /// ACK `FieldExport`s copy the address (EKS).
    pub field_exports: bool,
}

/// Every name derived from a service's `<partner>-<service>` where it can be `placed`.
pub fn service_names(object: &str, placed: Placed) -> Vec<Derived> {
    use Shape::*;
    let mut out = vec![
        derived("label `app.kubernetes.io/instance`", object.to_string(), LabelValue),
        derived("ConfigMap", object.to_string(), Dns1123),
    ];
    if placed.in_cluster {
        out.push(Derived { max: STATEFUL_SET_MAX, ..derived("StatefulSet", object.to_string(), Dns1123) });
        out.push(derived("Service", object.to_string(), Dns1035));
        out.push(derived("NetworkPolicy", derive(object, CLIENT), Dns1123));
    }
    if placed.exported {
        out.push(derived("ConfigMap", derive(object, ENDPOINT), Dns1123));
    }
    if placed.field_exports {
        out.extend(EXPORTED.iter().map(|f| derived("FieldExport", format!("{object}-{f}"), Dns1123)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::{verify, Lowering};

    const HEAD: &str = r#"
platform p {
  registry = "registry.example.com/p"
  managed {
    gke = { project = "acme-prod", region = "asia-northeast3" }
    eks = { db_subnet_group = "d", cache_subnet_group = "c", security_groups = ["sg-1"] }
    aks = { resource_group = "rg", region = "koreacentral" }
  }
}
release "1.0.0" { image = "web@sha256:0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091", channel = stable }
"#;

    /// Partners whose names use every character the checker allows, with every strategy ×
    /// backend and every optional object, and services at the longest names they may have.
    fn spec(extra: usize) -> String {
        let long = |tag: &str| format!("{tag}-{}", "x".repeat(55 + extra - tag.len() - 1));
        let mut out = HEAD.to_string();
        let strategies = [
            ("rolling", "rolling { max_surge = 1 }", "native"),
            ("bg", "blue_green { preview = true }", "native"),
            ("bga", "blue_green { preview = true }", "argo"),
            ("can", "canary { steps = [50% for 1m] }", "native"),
            ("cana", "canary { steps = [50% for 1m] }", "argo"),
        ];
        for (tag, strategy, backend) in strategies {
            out.push_str(&format!(
                "partner \"{}\" {{\n  domains = [\"{tag}.example.com\"]\n  follows = stable\n  strategy = {strategy}\n  backend = {backend}\n  team = \"t\"\n  storage = 1Gi\n  env {{ A = \"b\" }}\n  certificate = \"https://vault.example.net/certificates/{tag}\"\n}}\n",
                long(tag)
            ));
        }
        // `<partner>-<service>`: 52 characters in the cluster, 40 for a managed cache.
        let partner = "s".repeat(21);
        let service = |c: char, n: usize| format!("{c}{}", "z".repeat(n - 1));
        out.push_str(&format!(
            "partner \"{partner}\" {{\n  domains = [\"svc.example.com\"]\n  follows = stable\n  target = eks\n  services {{\n    {} = postgres {{ mode = in_cluster }}\n    {} = postgres {{ mode = managed }}\n    {} = redis {{ mode = managed }}\n  }}\n}}\n",
            service('a', 30),
            service('b', 30),
            service('c', 18 + extra),
        ));
        out
    }

    fn compile(text: &str) -> crate::Compilation {
        let loader = crate::load::MemoryLoader::default().with("main.bdot", text);
        crate::compile(&[std::path::PathBuf::from("main.bdot")], &loader).expect("compiles")
    }

    #[test]
    fn every_name_lowering_builds_is_listed_and_fits_at_the_limit() {
        let c = compile(&spec(0));
        let errors: Vec<_> =
            c.diagnostics.iter().filter(|d| d.code.severity() == crate::diagnostic::Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let lw = Lowering::new(&c.fleet).expect("a platform");
        for p in &c.fleet.partners {
            let mut listed: Vec<String> = partner_names(&p.name.value).into_iter().map(|n| n.name).collect();
            let all = Placed { in_cluster: true, exported: true, field_exports: true };
            for s in &p.services {
                listed.extend(service_names(&s.object_name(p), all).into_iter().map(|n| n.name));
            }
            for t in &c.fleet.targets {
                let at = lw.place(p, Some(&t.name.value)).expect("placed");
                let objects = lw.partner_objects(&at);
                assert_eq!(verify::objects(&objects), Vec::new(), "{} on {}", p.name.value, t.name.value);
                for o in &objects {
                    let derived = o.name().contains(p.name.value.as_str()) && o.kind() != "Namespace";
                    assert!(
                        !derived || listed.iter().any(|n| n == o.name()),
                        "{} `{}` is not in lower::names",
                        o.kind(),
                        o.name()
                    );
                }
            }
        }
    }

    #[test]
    fn one_character_more_is_refused() {
        let c = compile(&spec(1));
        let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes.iter().filter(|c| **c == "E0440").count(), 5, "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == "E0441").count(), 1, "{codes:?}");
    }
}

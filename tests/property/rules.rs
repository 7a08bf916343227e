//! What the API server, the clouds and the operators refuse that no OpenAPI schema says:
//! name shapes and lengths, label syntax, ConfigMap keys and size, rolling-update bounds,
//! Ingress hosts, and the naming rules of the managed databases and caches the operators create.
//! Each rule names where it comes from; they are checked on every emitted object.

use serde_json::Value;

fn dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// DNS-1035 label: a DNS-1123 label that starts with a letter (Service names).
fn dns1035(s: &str) -> bool {
    dns_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

fn dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(dns_label)
}

/// apimachinery `IsQualifiedName`: `[prefix/]name`, name ≤ 63 of `[A-Za-z0-9._-]`, alphanumeric ends.
fn qualified_name(key: &str) -> bool {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    prefix.is_none_or(dns_subdomain) && !name.is_empty() && label_value(name)
}

/// apimachinery `IsValidLabelValue`: empty, or ≤ 63 of `[A-Za-z0-9._-]` with alphanumeric ends.
fn label_value(v: &str) -> bool {
    v.is_empty()
        || (v.len() <= 63
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && v.starts_with(|c: char| c.is_ascii_alphanumeric())
            && v.ends_with(|c: char| c.is_ascii_alphanumeric()))
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn labels(map: Option<&Value>, what: &str, out: &mut Vec<String>) {
    for (k, v) in map.and_then(Value::as_object).into_iter().flatten() {
        if !qualified_name(k) {
            out.push(format!("{what} key `{k}` is not a qualified name"));
        }
        match v.as_str() {
            Some(s) if label_value(s) => {}
            _ => out.push(format!("{what} `{k}` has value {v}, not a valid label value")),
        }
    }
}

/// Pod templates of workloads: labels, container names, ports.
fn pod_template(t: &Value, out: &mut Vec<String>) {
    labels(t.pointer("/metadata/labels"), "pod template label", out);
    let containers = t.pointer("/spec/containers").and_then(Value::as_array).into_iter().flatten();
    let mut port_names = Vec::new();
    for c in containers.chain(t.pointer("/spec/initContainers").and_then(Value::as_array).into_iter().flatten()) {
        let name = c["name"].as_str().unwrap_or("");
        if !dns_label(name) {
            out.push(format!("container name `{name}` is not a DNS label"));
        }
        for p in c["ports"].as_array().into_iter().flatten() {
            if let Some(n) = p["name"].as_str() {
                // IANA_SVC_NAME: ≤ 15, lowercase alphanumerics and '-', a letter, no '--'.
                let ok = n.len() <= 15
                    && n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && n.bytes().any(|b| b.is_ascii_lowercase())
                    && !n.contains("--")
                    && !n.starts_with('-')
                    && !n.ends_with('-');
                if !ok {
                    out.push(format!("port name `{n}` is not an IANA service name"));
                }
                if port_names.contains(&n.to_string()) {
                    out.push(format!("port name `{n}` is used twice in one pod"));
                }
                port_names.push(n.to_string());
            }
        }
    }
}

fn zero(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        Some(Value::String(s)) => s.trim_end_matches('%').parse::<f64>().is_ok_and(|x| x == 0.0),
        _ => false,
    }
}

/// Kubernetes quantity syntax (`resource.ParseQuantity`), as bdc writes them.
fn quantity(s: &str) -> bool {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &s[digits.len()..];
    let number = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.matches('.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit());
    number && matches!(suffix, "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei")
}

fn quantities(v: &Value, at: &str, out: &mut Vec<String>) {
    for (k, q) in v.as_object().into_iter().flatten() {
        match q.as_str() {
            Some(s) if quantity(s) => {}
            _ => out.push(format!("{at}.{k} = {q} is not a quantity")),
        }
    }
}

/// Cloud resource names: at most `max`, a first letter, then letters, digits and the given
/// separator, no trailing separator, and (where the cloud says so) no doubled one.
fn cloud_name(s: &str, max: usize, sep: u8, lowercase: bool, no_double: bool) -> bool {
    let ok_char = |b: u8| {
        (if lowercase { b.is_ascii_lowercase() } else { b.is_ascii_alphabetic() }) || b.is_ascii_digit() || b == sep
    };
    !s.is_empty()
        && s.len() <= max
        && s.bytes().all(ok_char)
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && !s.ends_with(sep as char)
        && !(no_double && s.contains(&format!("{0}{0}", sep as char)))
}

/// Problems of one object.
pub fn object(o: &Value, target: &str) -> Vec<String> {
    let mut out = Vec::new();
    let kind = o["kind"].as_str().unwrap_or("");
    let name = str_at(o, "/metadata/name").unwrap_or("");
    // apimachinery ValidateObjectMeta: names are DNS subdomains; some kinds ask for labels.
    let name_ok = match kind {
        "Namespace" => dns_label(name),
        "Service" => dns1035(name),
        _ => dns_subdomain(name),
    };
    if !name_ok {
        out.push(format!("name `{name}` is not valid for a {kind}"));
    }
    if let Some(ns) = str_at(o, "/metadata/namespace") {
        if !dns_label(ns) {
            out.push(format!("namespace `{ns}` is not a DNS label"));
        }
    }
    labels(o.pointer("/metadata/labels"), "label", &mut out);
    let annotations = o.pointer("/metadata/annotations").and_then(Value::as_object);
    let mut size = 0;
    for (k, v) in annotations.into_iter().flatten() {
        size += k.len() + v.as_str().map_or(0, str::len);
        if !qualified_name(k) {
            out.push(format!("annotation key `{k}` is not a qualified name"));
        }
    }
    if size > 256 * 1024 {
        out.push("annotations exceed 256 KiB".into());
    }
    match kind {
        "ConfigMap" => {
            let data = o["data"].as_object().into_iter().flatten();
            let mut total = 0;
            for (k, v) in data {
                total += k.len() + v.as_str().map_or(0, str::len);
                let ok = !k.is_empty()
                    && k.len() <= 253
                    && k.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
                if !ok {
                    out.push(format!("ConfigMap key `{k}` is not `[-._a-zA-Z0-9]+`"));
                }
            }
            if total > 1024 * 1024 {
                out.push(format!("ConfigMap data is {total} bytes, over 1 MiB"));
            }
        }
        "Deployment" | "StatefulSet" | "Rollout" => {
            if let Some(t) = o.pointer("/spec/template") {
                pod_template(t, &mut out);
            }
            for ru in ["/spec/strategy/rollingUpdate", "/spec/strategy/canary"] {
                if let Some(r) = o.pointer(ru) {
                    if zero(r.get("maxSurge")) && zero(r.get("maxUnavailable")) {
                        out.push("maxSurge and maxUnavailable are both 0: the API server refuses it".into());
                    }
                }
            }
            // Argo Rollouts v1.6's CRD (tests/data/argo-rollouts) has no container
            // `restartPolicy`: the API server prunes it, and a native sidecar becomes an init
            // container that never ends (defect `argo-native-sidecar`). Checked on every Rollout,
            // not only on the schema sample.
            if kind == "Rollout" {
                let inits = o.pointer("/spec/template/spec/initContainers").and_then(Value::as_array);
                for c in inits.into_iter().flatten().filter(|c| c.get("restartPolicy").is_some()) {
                    out.push(format!(
                        "init container `{}` of a Rollout has `restartPolicy`, which the Argo Rollouts CRD prunes",
                        c["name"].as_str().unwrap_or("")
                    ));
                }
            }
            if kind == "StatefulSet" && name.len() > 52 {
                // Pods get `controller-revision-hash: <name>-<10 chars>`, a label value ≤ 63.
                out.push(format!("StatefulSet name `{name}` is over 52 characters"));
            }
            for c in o.pointer("/spec/template/spec/containers").and_then(Value::as_array).into_iter().flatten() {
                for part in ["requests", "limits"] {
                    quantities(&c["resources"][part], part, &mut out);
                }
            }
        }
        "HorizontalPodAutoscaler" => {
            let (min, max) =
                (o.pointer("/spec/minReplicas").and_then(Value::as_i64), o["spec"]["maxReplicas"].as_i64());
            if min.is_some_and(|m| m < 1 || max.is_some_and(|x| m > x)) {
                out.push(format!("minReplicas {min:?} outside 1..=maxReplicas {max:?}"));
            }
        }
        "ResourceQuota" => quantities(&o["spec"]["hard"], "hard", &mut out),
        "Ingress" => {
            for r in o.pointer("/spec/rules").and_then(Value::as_array).into_iter().flatten() {
                let host = r["host"].as_str().unwrap_or("");
                let bare = host.strip_prefix("*.").unwrap_or(host);
                if is_ip(host) || !dns_subdomain(bare) {
                    out.push(format!("Ingress host `{host}` is not a DNS name (IPs are refused)"));
                }
            }
        }
        "HTTPRoute" => {
            for h in o.pointer("/spec/hostnames").and_then(Value::as_array).into_iter().flatten() {
                let h = h.as_str().unwrap_or("");
                if is_ip(h) {
                    out.push(format!("HTTPRoute hostname `{h}` is an IP address, which Gateway API refuses"));
                }
            }
        }
        "ManagedCertificate" => {
            // networking.gke.io/v1 CRD: domains ≤ 100 items, each ≤ 63 characters, no wildcard,
            // a TLD starting with a letter.
            let domains: Vec<&str> = o
                .pointer("/spec/domains")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if domains.len() > 100 {
                out.push(format!("{} domains; a ManagedCertificate takes at most 100", domains.len()));
            }
            for d in domains {
                let tld_letter = d.rsplit('.').next().is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()));
                if d.len() > 63 || d.contains('*') || !tld_letter {
                    out.push(format!(
                        "ManagedCertificate domain `{d}` is refused (over 63, wildcard or no letter TLD)"
                    ));
                }
            }
        }
        "Certificate" if str_at(o, "/spec/commonName").is_some_and(|c| c.len() > 64) => {
            out.push("cert-manager refuses a commonName over 64 characters".into());
        }
        // RDS CreateDBInstance: identifier 1–63 letters, digits, hyphens, first a letter, no
        // trailing or doubled hyphen; PostgreSQL DBName and MasterUsername 1–63 letters, digits,
        // underscores, first a letter.
        "DBInstance" => {
            let id = str_at(o, "/spec/dbInstanceIdentifier").unwrap_or("");
            if !cloud_name(id, 63, b'-', false, true) {
                out.push(format!("RDS refuses DB instance identifier `{id}`"));
            }
            for field in ["dbName", "masterUsername"] {
                let v = o["spec"][field].as_str().unwrap_or("");
                if !cloud_name(v, 63, b'_', false, false) {
                    out.push(format!("RDS PostgreSQL refuses {field} `{v}`"));
                }
            }
        }
        // ElastiCache CreateReplicationGroup: 1–40 letters, digits, hyphens, a first letter, no
        // trailing or doubled hyphen.
        "ReplicationGroup" => {
            let id = str_at(o, "/spec/replicationGroupID").unwrap_or("");
            if !cloud_name(id, 40, b'-', false, true) {
                out.push(format!("ElastiCache refuses replication group id `{id}`"));
            }
        }
        // Memorystore for Redis instance ids: `[a-z][-a-z0-9]{0,38}[a-z0-9]`.
        "RedisInstance" => {
            let id = str_at(o, "/spec/resourceID").unwrap_or(name);
            if !cloud_name(id, 40, b'-', true, false) {
                out.push(format!("Memorystore refuses instance id `{id}`"));
            }
        }
        // Cloud SQL instance ids: lowercase letters, digits, hyphens, a first letter.
        "SQLInstance" => {
            let id = str_at(o, "/spec/resourceID").unwrap_or(name);
            if !cloud_name(id, 98, b'-', true, false) {
                out.push(format!("Cloud SQL refuses instance id `{id}`"));
            }
        }
        // Azure Database for PostgreSQL flexible server: 3–63 lowercase letters, digits,
        // hyphens, not starting or ending with a hyphen; the admin login not reserved.
        "FlexibleServer" => {
            let id = str_at(o, "/spec/azureName").unwrap_or(name);
            let ok = (3..=63).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !id.starts_with('-')
                && !id.ends_with('-');
            if !ok {
                out.push(format!("Azure refuses flexible server name `{id}`"));
            }
            let login = str_at(o, "/spec/administratorLogin").unwrap_or("");
            let reserved = ["azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public"];
            if login.is_empty() || login.starts_with("pg_") || reserved.contains(&login) {
                out.push(format!("Azure refuses administrator login `{login}`"));
            }
        }
        // Azure Cache for Redis: 1–63 letters, digits, hyphens, alphanumeric ends, no `--`.
        "Redis" => {
            let id = str_at(o, "/spec/azureName").unwrap_or(name);
            let ok = !id.is_empty()
                && id.len() <= 63
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !id.starts_with('-')
                && !id.ends_with('-')
                && !id.contains("--");
            if !ok {
                out.push(format!("Azure refuses cache name `{id}`"));
            }
        }
        _ => {}
    }
    let _ = target;
    out
}

/// Rules over a whole stream: names unique per kind and namespace.
pub fn stream(docs: &[Value], _target: &str) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    for o in docs {
        let key = (
            o["apiVersion"].as_str().unwrap_or("").to_string(),
            o["kind"].as_str().unwrap_or("").to_string(),
            str_at(o, "/metadata/namespace").unwrap_or("").to_string(),
            str_at(o, "/metadata/name").unwrap_or("").to_string(),
        );
        if !seen.insert(key.clone()) {
            return Some(format!("two objects are both {}/{} `{}` in namespace `{}`", key.0, key.1, key.3, key.2));
        }
    }
    None
}

//! Shapes of strings Kubernetes, registries and clouds are strict about: image references,
//! domain names, DNS-1123 and DNS-1035 labels, cloud resource ids, SQL identifiers. Each
//! returns why a string is malformed.

/// Checks a container image reference: `[registry/]path[:tag][@sha256:<64 hex>]`.
pub fn image(reference: &str) -> Result<(), String> {
    if reference.is_empty() {
        return Err("is empty".into());
    }
    if reference.chars().any(char::is_whitespace) {
        return Err("contains whitespace".into());
    }
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (reference, None),
    };
    if let Some(d) = digest {
        let Some(hex) = d.strip_prefix("sha256:") else {
            return Err(format!("digest `{d}` does not start with `sha256:`"));
        };
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err("digest must be `sha256:` and 64 lowercase hex digits".into());
        }
    }
    // A tag follows the last `:` that comes after the last `/` (a registry may carry a port).
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        let ok = !tag.is_empty()
            && tag.len() <= 128
            && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && tag.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !ok {
            return Err(format!("tag `{tag}` is not valid (letters, digits, `_`, `.`, `-`; at most 128)"));
        }
    }
    let mut components = name.split('/').peekable();
    let mut first = true;
    while let Some(c) = components.next() {
        let is_registry =
            first && components.peek().is_some() && (c.contains('.') || c.contains(':') || c == "localhost");
        first = false;
        if is_registry {
            continue;
        }
        if c.is_empty() {
            return Err("has an empty path component".into());
        }
        let ok = c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-'));
        if !ok {
            return Err(format!(
                "path component `{c}` must be lowercase letters and digits, separated by `.`, `_` or `-`"
            ));
        }
    }
    Ok(())
}

/// Whether an image reference is pinned by digest.
pub fn is_digest(reference: &str) -> bool {
    reference.contains("@sha256:")
}

/// Whether an image reference starts with a registry host (`gcr.io/…`, `localhost:5000/…`).
pub fn has_registry(reference: &str) -> bool {
    match reference.split_once('/') {
        Some((first, _)) => first.contains('.') || first.contains(':') || first == "localhost",
        None => false,
    }
}

/// Checks a DNS-1123 label: lowercase alphanumerics and `-`, alphanumeric at both ends, ≤ 63.
pub fn dns_label(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("is empty".into());
    }
    if name.len() > 63 {
        return Err(format!("is {} characters long; at most 63 are allowed", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Err(format!("contains `{c}`; only lowercase letters, digits and `-` are allowed"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

/// Checks a DNS-1035 label (Service names): a DNS-1123 label that starts with a letter.
pub fn dns1035_label(name: &str) -> Result<(), String> {
    dns_label(name)?;
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter".into());
    }
    Ok(())
}

/// Checks a cloud resource id: 1 to `max` letters, digits and `-`, a letter first, no `-`
/// last, and (where the cloud says so) no `--`.
pub fn cloud_id(name: &str, max: usize, no_double_hyphen: bool) -> Result<(), String> {
    if name.len() > max {
        return Err(format!("is {} characters long; at most {max} are allowed", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
        return Err(format!("contains `{c}`; only letters, digits and `-` are allowed"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".into());
    }
    if name.ends_with('-') {
        return Err("must not end with `-`".into());
    }
    if no_double_hyphen && name.contains("--") {
        return Err("contains `--`, which is not allowed".into());
    }
    Ok(())
}

/// Checks a database or user name as the clouds' SQL services take it: 1 to `max` letters,
/// digits and `_`, a letter first.
pub fn sql_identifier(name: &str, max: usize) -> Result<(), String> {
    if name.len() > max {
        return Err(format!("is {} characters long; at most {max} are allowed", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(format!("contains `{c}`; only letters, digits and `_` are allowed"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".into());
    }
    Ok(())
}

/// Checks a DNS-1123 subdomain (most object names): dot-separated labels, ≤ 253.
pub fn dns_subdomain(name: &str) -> Result<(), String> {
    if name.len() > 253 {
        return Err("is longer than 253 characters".into());
    }
    for label in name.split('.') {
        dns_label(label).map_err(|e| format!("has a part `{label}` that {e}"))?;
    }
    Ok(())
}

/// Checks a domain name (optionally a `*.` wildcard): labels of DNS-1123, at least two.
pub fn domain(name: &str) -> Result<(), String> {
    let bare = name.strip_prefix("*.").unwrap_or(name);
    if bare.len() > 253 {
        return Err("is longer than 253 characters".into());
    }
    if !bare.contains('.') {
        return Err("needs at least two labels, like `news.example`".into());
    }
    for label in bare.split('.') {
        dns_label(label).map_err(|e| format!("label `{label}` {e}"))?;
    }
    // Ingress and Gateway API hosts refuse IP addresses; no top-level domain starts with a digit.
    if bare.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("is an IP address; routes and certificates need a DNS name".into());
    }
    if let Some(tld) = bare.rsplit('.').next().filter(|t| !t.starts_with(|c: char| c.is_ascii_lowercase())) {
        return Err(format!("ends in `{tld}`; a top-level domain starts with a letter"));
    }
    Ok(())
}

/// Checks an egress destination: an IPv4 CIDR (`10.0.0.0/8`), optionally `:port`.
pub fn egress(text: &str) -> Result<(), String> {
    let (cidr, port) = match text.rsplit_once(':') {
        Some((c, p)) => (c, Some(p)),
        None => (text, None),
    };
    if let Some(p) = port {
        match p.parse::<u16>() {
            Ok(n) if n > 0 => {}
            _ => return Err(format!("port `{p}` is not a number from 1 to 65535")),
        }
    }
    let Some((addr, bits)) = cidr.split_once('/') else {
        return Err("needs a prefix length, like `/16`".into());
    };
    addr.parse::<std::net::Ipv4Addr>().map_err(|_| format!("`{addr}` is not an IPv4 address"))?;
    match bits.parse::<u8>() {
        Ok(b) if b <= 32 => Ok(()),
        _ => Err(format!("prefix length `{bits}` is not 0 to 32")),
    }
}

/// Checks a label value: at most 63 characters, alphanumerics with `-`, `_`, `.` inside.
pub fn label_value(value: &str) -> Result<(), String> {
    if value.len() > 63 {
        return Err(format!("is {} characters long; at most 63 are allowed", value.len()));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(format!("contains `{c}`; only letters, digits, `-`, `_` and `.` are allowed"));
    }
    if value.starts_with(|c: char| !c.is_ascii_alphanumeric()) || value.ends_with(|c: char| !c.is_ascii_alphanumeric())
    {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

/// Checks a label key: an optional DNS-subdomain prefix and `/`, then a name like a value
/// (not empty).
pub fn label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if p.len() > 253 || p.split('.').any(|l| dns_label(l).is_err()) {
            return Err(format!("prefix `{p}` is not a DNS subdomain"));
        }
    }
    if name.is_empty() {
        return Err("has an empty name".into());
    }
    label_value(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images() {
        assert!(image("web:2.5.0").is_ok());
        assert!(image("localhost:5000/team/web:1").is_ok());
        assert!(image(&format!("gcr.io/acme/web@sha256:{}", "a".repeat(64))).is_ok());
        assert!(image("Web:1").is_err());
        assert!(image("web:").is_err());
        assert!(image("web@sha256:abc").is_err());
        assert!(image("web::1").is_err());
        assert!(has_registry("gcr.io/acme/web") && !has_registry("acme/web"));
    }

    #[test]
    fn domains_and_labels() {
        assert!(domain("news-a.kr").is_ok());
        assert!(domain("*.news-a.kr").is_ok());
        assert!(domain("News.kr").is_err());
        assert!(domain("localhost").is_err());
        assert!(dns_label(&"a".repeat(64)).is_err());
        assert!(dns_label("-a").is_err());
        assert!(domain("10.0.0.1").is_err_and(|e| e.contains("IP address")));
        assert!(domain("news.123").is_err());
        assert!(domain("xn--bcher-kva.xn--p1ai").is_ok());
        assert!(dns1035_label("a1").is_ok() && dns1035_label("1x").is_err());
    }

    #[test]
    fn cloud_names() {
        assert!(cloud_id("news-db", 40, true).is_ok());
        assert!(cloud_id(&"a".repeat(41), 40, true).is_err());
        assert!(cloud_id("a--b-cache", 63, true).is_err());
        assert!(cloud_id("a--b-cache", 63, false).is_ok());
        assert!(cloud_id("1-db", 63, false).is_err());
        assert!(cloud_id("db-", 63, false).is_err());
        assert!(sql_identifier("app_user", 63).is_ok());
        assert!(sql_identifier("u-1", 63).is_err());
        assert!(sql_identifier("1x", 63).is_err());
        assert!(sql_identifier(&"u".repeat(64), 63).is_err());
    }

    #[test]
    fn egress_and_labels() {
        assert!(egress("10.20.0.0/16:5432").is_ok());
        assert!(egress("0.0.0.0/0").is_ok());
        assert!(egress("10.0.0.0").is_err());
        assert!(egress("10.0.0.0/33").is_err());
        assert!(egress("10.0.0.0/8:0").is_err());
        assert!(label_value("2.4.1").is_ok() && label_value("").is_ok());
        assert!(label_value("2.4.1+build").is_err());
        assert!(label_key("bluedot.io/tier").is_ok());
        assert!(label_key("Bad Key").is_err());
    }
}

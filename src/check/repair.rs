//! The user's own value, made valid: what help texts offer instead of a fixed example
//! (`Stripe_Key` → `stripe-key`, `News.kr.` → `news.kr`). Each returns `None` when nothing
//! recognisable is left, and every result passes the matching check in `shapes`.

use super::shapes;

/// A DNS-1123 label of at most `max` characters: lowercase, every other character a `-`,
/// no `-` doubled or at either end.
pub fn label(text: &str, max: usize) -> Option<String> {
    let mut out = String::new();
    for c in text.trim().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    let out = out.trim_end_matches('-').to_string();
    shapes::dns_label(&out).is_ok().then_some(out)
}

/// A DNS-1123 subdomain (a Secret's name): labels joined by `.`.
pub fn subdomain(text: &str) -> Option<String> {
    let labels: Option<Vec<String>> = text.trim().trim_matches('.').split('.').map(|l| label(l, 63)).collect();
    let out = labels?.join(".");
    shapes::dns_subdomain(&out).is_ok().then_some(out)
}

/// A domain name: the labels of `text` repaired, at least two of them.
pub fn domain(text: &str) -> Option<String> {
    let bare = text.trim().trim_end_matches('.');
    let (wild, bare) = match bare.strip_prefix("*.") {
        Some(rest) => ("*.", rest),
        None => ("", bare),
    };
    let out = format!("{wild}{}", subdomain(bare)?);
    shapes::domain(&out).is_ok().then_some(out)
}

/// A label value (a release version as `app.kubernetes.io/version`): letters, digits, `.`,
/// `_`, `-`, alphanumeric at both ends, at most 63 characters.
pub fn label_value(text: &str) -> Option<String> {
    let mapped: String = text
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') { c } else { '-' })
        .collect();
    let mut out: String = mapped.trim_matches(|c: char| !c.is_ascii_alphanumeric()).chars().take(63).collect();
    while out.ends_with(|c: char| !c.is_ascii_alphanumeric()) {
        out.pop();
    }
    (!out.is_empty() && shapes::label_value(&out).is_ok()).then_some(out)
}

/// The repository of an image reference, without tag or digest, lowercased: `Web:2.5` → `web`.
pub fn image_repository(reference: &str) -> String {
    let rest = reference.trim().split('@').next().unwrap_or("");
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let name = match rest[last_slash..].rfind(':') {
        Some(i) => &rest[..last_slash + i],
        None => rest,
    };
    let name = name.to_lowercase();
    if name.is_empty() {
        "web".into()
    } else {
        name
    }
}

/// An egress destination or address range with the prefix length it lacks: `10.1.2.3:443` →
/// `10.1.2.3/32:443`.
pub fn cidr(text: &str) -> Option<String> {
    let text = text.trim();
    if text.contains('/') {
        return None;
    }
    let out = match text.split_once(':') {
        Some((addr, port)) => format!("{addr}/32:{port}"),
        None => format!("{text}/32"),
    };
    shapes::egress(&out).is_ok().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_keep_the_users_words() {
        assert_eq!(label("Stripe_Key", 63).as_deref(), Some("stripe-key"));
        assert_eq!(label("--", 63), None);
        assert_eq!(label(&"a".repeat(70), 63).map(|s| s.len()), Some(63));
        assert_eq!(subdomain("Stripe_Key.v2").as_deref(), Some("stripe-key.v2"));
        assert_eq!(domain("News_A.KR.").as_deref(), Some("news-a.kr"));
        assert_eq!(domain("localhost"), None);
        assert_eq!(label_value("2.4.1+build.5").as_deref(), Some("2.4.1-build.5"));
        assert_eq!(image_repository("Acme/Web:2.5"), "acme/web");
        assert_eq!(image_repository("localhost:5000/web:1"), "localhost:5000/web");
        assert_eq!(cidr("10.1.2.3:443").as_deref(), Some("10.1.2.3/32:443"));
        assert_eq!(cidr("10.0.0.0/8"), None);
    }
}

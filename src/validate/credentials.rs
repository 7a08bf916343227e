//! Recognising credentials written in plain text: by the name they are given (`DB_PASS`), by
//! the shape of well-known tokens (`sk_live_…`, `github_pat_…`, JWTs), by passwords inside
//! URLs (`postgres://user:pass@host/db`), by webhook addresses that carry their own secret, and
//! by high-entropy strings. Pure functions: the rules that report them are in `secrets`.

/// Words of a variable name that say it holds a secret (`DB_PASS`, `SESSION_SECRET`).
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "TOKENS",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "DSN",
    "PASSPHRASE",
    "SALT",
    "PEPPER",
    "COOKIE_SECRET",
];

/// Pairs of words that together name a key (`API_KEY`, `PRIVATE_KEY`, `SIGNING_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "PRIVATE",
    "ACCESS",
    "SECRET",
    "SIGNING",
    "ENCRYPTION",
    "MASTER",
    "LICENSE",
    "AUTH",
    "CLIENT",
    "WEBHOOK",
    "HMAC",
    "JWT",
    "SERVICE",
    "ACCOUNT",
    "APP",
    "SESSION",
    "ADMIN",
];

/// Last words that say a variable is about a secret, not the secret itself (`TOKEN_TTL`).
const SETTING_WORDS: &[&str] = &[
    "TTL",
    "PATH",
    "FILE",
    "NAME",
    "TIMEOUT",
    "EXPIRY",
    "EXPIRES",
    "LENGTH",
    "LEN",
    "ENABLED",
    "MODE",
    "HEADER",
    "ID",
    "TYPE",
    "FIELD",
    "PARAM",
    "PREFIX",
    "ALGORITHM",
    "ALG",
    "ROTATION",
    "REF",
    "KEYS",
];

/// Prefixes of well-known credentials and the least length of a real one.
const TOKEN_PREFIXES: &[(&str, usize)] = &[
    ("sk_live_", 16),
    ("sk_test_", 16),
    ("rk_live_", 16),
    ("rk_test_", 16),
    ("whsec_", 16),
    ("sk-proj-", 20),
    ("sk-ant-", 20),
    ("sk-", 32),
    ("ghp_", 20),
    ("gho_", 20),
    ("ghu_", 20),
    ("ghs_", 20),
    ("ghr_", 20),
    ("github_pat_", 20),
    ("glpat-", 20),
    ("xoxb-", 16),
    ("xoxp-", 16),
    ("xoxa-", 16),
    ("xoxs-", 16),
    ("xapp-", 16),
    ("AKIA", 20),
    ("ASIA", 20),
    ("AIza", 30),
    ("SG.", 40),
    ("npm_", 30),
    ("hf_", 30),
    ("shpat_", 30),
    ("shpss_", 30),
    ("dop_v1_", 30),
    ("pypi-", 40),
    ("-----BEGIN", 10),
];

/// Prefixes of keys that are public by design (Stripe publishable keys).
const PUBLIC_PREFIXES: &[&str] = &["pk_live_", "pk_test_"];

/// Hosts whose URLs carry their own secret in the path.
const WEBHOOK_HOSTS: &[&str] = &[
    "hooks.slack.com",
    "discord.com/api/webhooks",
    "discordapp.com/api/webhooks",
    "outlook.office.com/webhook",
    "webhook.office.com",
    "hooks.zapier.com",
    "api.telegram.org/bot",
];

/// Why a value looks like a credential, whatever its name; `None` when it does not.
pub fn secret_value(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if TOKEN_PREFIXES.iter().any(|(p, min)| v.starts_with(p) && v.len() >= *min && token_chars(&v[p.len()..])) {
        return Some("its value has the shape of a credential");
    }
    if v.starts_with("-----BEGIN") {
        return Some("its value is a private key");
    }
    if is_jwt(v) {
        return Some("its value is a signed token (JWT)");
    }
    if url_credentials(v) {
        return Some("its value is a URL with a password or key in it");
    }
    if WEBHOOK_HOSTS.iter().any(|h| v.contains(h)) {
        return Some("its value is a webhook URL, which carries its own secret");
    }
    if high_entropy(v) {
        return Some("its value looks like a random key");
    }
    None
}

/// Why an env entry (`KEY = value`) looks like a secret, if it does.
pub fn looks_secret(key: &str, value: &str) -> Option<&'static str> {
    if let Some(why) = secret_value(value) {
        if !is_identifier_setting(key) || !matches!(why, "its value looks like a random key") {
            return Some(why);
        }
    }
    if secret_name(key) && !plain_value(value) {
        return Some("its name says it holds a secret");
    }
    None
}

/// Whether a variable's name says it holds a secret (`DB_PASS`, `STRIPE_API_KEY`), and is not a
/// setting about one (`TOKEN_TTL`, `API_KEY_HEADER`).
pub fn secret_name(key: &str) -> bool {
    let upper = key.to_ascii_uppercase().replace('-', "_");
    let words: Vec<&str> = upper.split('_').filter(|w| !w.is_empty()).collect();
    let Some(last) = words.last() else { return false };
    if SETTING_WORDS.contains(last) {
        return false;
    }
    // `ADMINPASSWORD`, `DBSECRET`: a long secret word at the end of a longer one.
    let compound =
        |w: &str| SECRET_WORDS.iter().any(|s| s.len() >= 5 && !s.contains('_') && w.len() > s.len() && w.ends_with(s));
    words.iter().any(|w| SECRET_WORDS.contains(w) || compound(w))
        || SECRET_WORDS.iter().any(|s| s.contains('_') && upper.contains(s))
        || words.windows(2).any(|p| p[1] == "KEY" && KEY_QUALIFIERS.contains(&p[0]))
        || matches!(words.as_slice(), ["KEY"])
}

/// Values that cannot be a credential: short, numeric or boolean.
fn plain_value(value: &str) -> bool {
    value.len() < 6
        || value.bytes().all(|b| b.is_ascii_digit())
        || matches!(value.to_ascii_lowercase().as_str(), "true" | "false" | "changeme" | "none" | "null")
}

/// Names whose values are identifiers or checksums, random-looking but public (`BUILD_SHA`).
fn is_identifier_setting(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    ["_ID", "_SHA", "_HASH", "_DIGEST", "_COMMIT", "_VERSION", "_CHECKSUM", "_UUID", "_REVISION", "_BUILD"]
        .iter()
        .any(|s| upper.ends_with(s))
}

fn token_chars(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'+' | b'='))
}

/// `header.payload.signature`, base64url, the header a JSON object (`eyJ…`).
fn is_jwt(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].len() >= 8
        && parts[2].len() >= 16
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// `scheme://user:password@host` or `scheme://longkey@host` (a Sentry DSN).
fn url_credentials(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else { return false };
    if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _host)) = authority.rsplit_once('@') else { return false };
    match userinfo.split_once(':') {
        Some((_, password)) => !password.is_empty() && !password.starts_with('$'),
        None => userinfo.len() >= 16 && token_chars(userinfo),
    }
}

/// A long token of mixed letters and digits with the entropy of a random key.
fn high_entropy(v: &str) -> bool {
    let v = v.strip_prefix("base64:").unwrap_or(v);
    if PUBLIC_PREFIXES.iter().any(|p| v.starts_with(p)) {
        return false;
    }
    if !(20..=512).contains(&v.len()) || !token_chars(v) || v.contains("://") || v.contains("..") {
        return false;
    }
    let has_digit = v.bytes().any(|b| b.is_ascii_digit());
    let has_alpha = v.bytes().any(|b| b.is_ascii_alphabetic());
    if !has_digit || !has_alpha {
        return false;
    }
    // Dotted names (`cdn.news-a.kr`), paths and UUIDs are identifiers, not keys.
    if v.contains('.') && v.split('.').count() > 2 || v.starts_with('/') || is_uuid(v) {
        return false;
    }
    let hex = v.bytes().all(|b| b.is_ascii_hexdigit());
    let threshold = if hex { 3.4 } else { 4.0 };
    entropy(v) >= threshold && (hex && v.len() >= 32 || !hex && v.len() >= 20)
}

fn is_uuid(v: &str) -> bool {
    let groups: Vec<usize> = v.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && v.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// Shannon entropy in bits per character.
fn entropy(v: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in v.bytes() {
        counts[b as usize] += 1;
    }
    let n = v.len() as f64;
    counts.iter().filter(|c| **c > 0).map(|c| f64::from(*c) / n).map(|p| -p * p.log2()).sum()
}

/// Looks for credentials in a container argument: `--password=…`, `--api-key=…`, or a
/// credential-shaped value on its own.
pub fn secret_arg(arg: &str) -> Option<&'static str> {
    let flag = arg.trim_start_matches('-');
    if arg.starts_with('-') {
        if let Some((name, value)) = flag.split_once('=') {
            return looks_secret(name, value);
        }
    }
    secret_value(arg)
}

#[cfg(test)]
mod tests {
    use super::{looks_secret, secret_arg};

    /// Secrets as platform engineers have really written them into plain settings.
    const SECRETS: &[(&str, &str)] = &[
        ("STRIPE_API_KEY", "rk_abcdef"),
        ("PAYMENT", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        ("DB_PASS", "hunter2-prod"),
        ("DB_PASSWORD", "s3cr3t!pass"),
        ("MYSQL_PWD", "correcthorse"),
        ("STRIPE_WEBHOOK", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLSvB"),
        ("OPENAI", "sk-proj-Xa81kd9Qw2LmZ0pRt5YvB3nC7eHj4KsUoIf6gTdy"),
        ("GH", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123"),
        ("DEPLOY", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
        ("GITLAB", "glpat-xK9mB2vN4pQ7rT1sW3yZ"),
        ("SLACK", "xoxb-2048-1024-AbCdEfGhIjKlMnOpQrStUvWx"),
        ("SESSION", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
        ("DATABASE_URL", "postgres://app:Tr0ub4dor@db.internal:5432/news"),
        ("REDIS_URL", "redis://:p4ssw0rd@cache:6379/0"),
        ("SENTRY_DSN", "https://e3b0c44298fc1c149afbf4c8996fb924@o4505.ingest.sentry.io/4505"),
        ("ALERTS", "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"),
        ("DISCORD_HOOK", "https://discord.com/api/webhooks/1234567890/abcdefABCDEF"),
        ("AWS", "AKIAIOSFODNN7EXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("GOOGLE_MAPS", "AIzaSyA-1234567890abcdefghijklmnopqrstu"),
        ("SENDGRID", "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"),
        ("JWT_SIGNING_KEY", "a-long-signing-phrase"),
        ("COOKIE_SECRET", "keyboard cat forever"),
        ("APP_KEY", "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10="),
        ("RANDOM", "Zx8Kq2Lm9Nw4Rt7Yv1Bc5Df3Gh6Jk0Ps"),
        ("HMAC", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ("PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg"),
        ("AUTH_TOKEN", "f3a9c2e1b7d4"),
        ("CLIENT_SECRET", "0a1b2c3d4e5f6a7b"),
        ("SMTP_PASSWORD", "mailpass99"),
    ];

    /// Settings that look a little like secrets and are not.
    const SETTINGS: &[(&str, &str)] = &[
        ("PAYWALL_MODE", "metered"),
        ("TOKEN_TTL", ""),
        ("TOKEN_TTL", "3600"),
        ("API_TOKEN", "3600"),
        ("API_KEY_HEADER", "X-Api-Key"),
        ("SESSION_TOKEN_LENGTH", "32"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("CDN_URL", "https://cdn.news-a.kr/static"),
        ("PUBLIC_URL", "https://www.news-a.kr"),
        ("GA_MEASUREMENT_ID", "G-7K3L9QW2XZ"),
        ("STRIPE_PUBLISHABLE", "pk_live_51H8x9Ck2LmQwErTyUiOpAsDfGhJkLzXcVbNm0123456789"),
        ("BUILD_SHA", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"),
        ("REQUEST_ID_HEADER", "X-Request-Id"),
        ("TZ", "Asia/Seoul"),
        ("LOCALE", "ko-KR"),
        ("FEATURE_FLAGS", "comments,newsletter,live-blog"),
        ("TENANT_UUID", "123e4567-e89b-12d3-a456-426614174000"),
        ("PASSTHROUGH", "enabled"),
        ("BYPASS_CACHE", "false"),
        ("ANALYTICS_HOST", "analytics.news-a.kr"),
        ("DATABASE_URL", "postgres://app@db.internal:5432/news"),
        ("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db.internal:5432/news"),
        ("SECRET_NAME", "stripe-key"),
        ("KEY_PREFIX", "news-a:"),
        ("CACHE_KEY", "articles-v2"),
        ("IMAGE", "registry.example.com/web:2.4.1"),
        ("ARTICLE_PATH", "/news/2024/politics/elections"),
        ("WELCOME_TEXT", "Welcome to News A, your daily briefing"),
    ];

    #[test]
    fn realistic_secrets_are_flagged() {
        let missed: Vec<_> = SECRETS.iter().filter(|(k, v)| looks_secret(k, v).is_none()).collect();
        assert!(missed.is_empty(), "secrets not flagged: {missed:?}");
    }

    #[test]
    fn realistic_settings_are_not_flagged() {
        let flagged: Vec<_> = SETTINGS.iter().filter(|(k, v)| looks_secret(k, v).is_some()).collect();
        assert!(flagged.is_empty(), "settings flagged as secrets: {flagged:?}");
    }

    #[test]
    fn arguments() {
        assert!(secret_arg("--api-key=sk_live_4eC39HqLyjWDarjtT1zdp7dc").is_some());
        assert!(secret_arg("--db-password=hunter2-prod").is_some());
        assert!(secret_arg("postgres://app:pw123456@db/news").is_some());
        assert!(secret_arg("--port=8080").is_none());
        assert!(secret_arg("serve").is_none());
        assert!(secret_arg("--password-file=/var/run/secrets/db").is_none());
    }
}

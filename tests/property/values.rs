//! Value pools of the generator: the edges worth exploring for each type of field (YAML-tricky
//! text, unicode, long names at their limits, big but legal quantities).

use super::spec::{lit, Rng};

/// Text that YAML 1.1 or 1.2 readers would take for something other than a string, or that
/// needs quoting or escaping: the values that must survive the trip into a manifest.
pub const TRICKY: &[&str] = &[
    "0x1F",
    "0xBEEF",
    "0o17",
    "017",
    "0b101",
    "1e3",
    "1_000",
    "+1",
    "1.0",
    ".inf",
    "-.Inf",
    ".NaN",
    "12:30:00",
    "1:20",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "true",
    "False",
    "2001-12-14 21:59:43.10 -5",
    "2001-12-14t21:59:43.10-05:00",
    "2002-12-14",
    ": ",
    "a: b",
    "key:value",
    "#",
    "# not a comment",
    "a #b",
    " leading space",
    "trailing space ",
    "  ",
    "",
    "- item",
    "-",
    "?",
    "? x",
    "[a, b]",
    "{a: b}",
    "'single'",
    "\"double\"",
    "line one\nline two",
    "tab\there",
    "back\\slash",
    "dollar $HOME ${x}",
    "!tag",
    "&anchor",
    "*alias",
    "| block",
    "> folded",
    "---",
    "...",
    "%YAML",
    "@at",
    "`tick`",
    "=",
    ",",
    "é",
    "한국어 뉴스",
    "emoji 😀 ok",
    "mixed ü and \u{2028} separator",
    "next\u{85}line",
    "\u{feff}bom first",
    "nonchar \u{fffe}",
    "nonchar \u{ffff}",
    "bell \u{7} char",
    "del \u{7f} char",
    "nul-free \u{1} control",
];

/// Text bdc's YAML writer still gets wrong: characters written raw where YAML forbids them or
/// reads them as line breaks, plain scalars other readers take for numbers or dates (open
/// defects `yaml-line-separator`, `yaml-noncharacter`, `yaml-hex`, `yaml-timestamp`).
fn unwritable(s: &str) -> bool {
    let separator = super::open::is_open("yaml-line-separator");
    let noncharacter = super::open::is_open("yaml-noncharacter");
    let hex = super::open::is_open("yaml-hex") && s.starts_with("0x");
    let timestamp = super::open::is_open("yaml-timestamp") && s.starts_with("2001-12-14");
    hex || timestamp
        || s.chars().any(|c| {
            (separator && matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}'))
                || (noncharacter && matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
        })
}

/// A string literal drawn from the tricky pool or an ordinary word.
pub fn tricky(rng: &mut Rng) -> String {
    if rng.chance(70) {
        let pool: Vec<&str> = TRICKY.iter().copied().filter(|s| !unwritable(s)).collect();
        lit(rng.pick(&pool))
    } else {
        lit(rng.pick(&["metered", "free", "https://news.example.com/path?q=1&x=2", "Asia/Seoul", "a b c"]))
    }
}

/// A CPU amount: (as written, millicores).
pub fn cpu(rng: &mut Rng) -> (String, u64) {
    let (text, m) = *rng.pick(&[
        ("1m", 1),
        ("10m", 10),
        ("100m", 100),
        ("250m", 250),
        ("0.5", 500),
        ("0.25", 250),
        ("1", 1000),
        ("1.5", 1500),
        ("2", 2000),
        ("3500m", 3500),
        ("16", 16_000),
        ("96", 96_000),
        ("1000", 1_000_000),
    ]);
    (text.to_string(), m)
}

/// A memory size: (as written, bytes).
pub fn memory(rng: &mut Rng) -> (String, u64) {
    let (text, b) = *rng.pick(&[
        ("1Mi", 1u64 << 20),
        ("64Mi", 64 << 20),
        ("256Mi", 256 << 20),
        ("512Mi", 512 << 20),
        ("1G", 1_000_000_000),
        ("1Gi", 1 << 30),
        ("1.5Gi", 3 << 29),
        ("2Gi", 2 << 30),
        ("1500M", 1_500_000_000),
        ("8Gi", 8 << 30),
        ("256Gi", 256 << 30),
        ("1Ti", 1 << 40),
        ("64000Ki", 64_000 << 10),
    ]);
    (text.to_string(), b)
}

/// A storage size for volumes and databases.
pub fn size(rng: &mut Rng) -> String {
    rng.pick(&["1Gi", "10Gi", "20Gi", "50G", "100Gi", "1Ti", "16Ti", "512Mi", "1.5Ti"]).to_string()
}

pub fn duration(rng: &mut Rng) -> String {
    rng.pick(&["0s", "500ms", "1s", "30s", "90s", "10m", "1.5h", "2h", "1d", "7d", "1500ms"]).to_string()
}

/// `count` strictly rising canary weights in hundredths, ending at most at 100%.
pub fn weights(rng: &mut Rng, count: usize) -> Vec<u32> {
    let fine = rng.chance(20);
    let mut out: Vec<u32> = Vec::new();
    while out.len() < count {
        let w = if fine { rng.range(1, 10_000) as u32 } else { rng.range(1, 100) as u32 * 100 };
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out.sort_unstable();
    out
}

pub fn percent(hundredths: u32) -> String {
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    if frac == 0 {
        format!("{whole}%")
    } else if frac % 10 == 0 {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

pub fn int_or_percent(rng: &mut Rng) -> String {
    rng.pick(&["0", "1", "2", "5", "0%", "1%", "25%", "50%", "100%", "33.5%"]).to_string()
}

/// Label keys and values Kubernetes accepts.
pub fn label_key(rng: &mut Rng) -> String {
    rng.pick(&[
        "team",
        "tier",
        "bluedot.io/contract",
        "example.com/cost-center",
        "a.b.c/x_y-z.1",
        "Z9",
        "very-long-label-name-of-exactly-sixty-three-characters-abcdefgh",
        "sub.domain-1.example/name",
    ])
    .to_string()
}

pub fn label_value(rng: &mut Rng) -> String {
    rng.pick(&[
        "enterprise",
        "gold",
        "",
        "A1",
        "1.0",
        "a_b-c.d",
        "0",
        "value-of-exactly-sixty-three-characters-aaaaaaaaaaaaaaaaaaaaaaa",
    ])
    .to_string()
}

/// An environment variable name (never one that reads as a secret).
pub fn env_key(rng: &mut Rng) -> String {
    rng.pick(&[
        "MODE",
        "SITE_NAME",
        "PAYWALL_MODE",
        "a.b-c_d",
        "_UNDERSCORE",
        "X1",
        "lower_case",
        "CDN.HOST",
        "LOG-LEVEL",
        "TZ",
        "A_VERY_LONG_SETTING_NAME_THAT_GOES_ON_AND_ON_FOR_A_WHILE_TO_TEST_LIMITS_OF_KEYS",
    ])
    .to_string()
}

/// An environment value: a tricky string, a number or a boolean.
pub fn env_value(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => rng.pick(&["0", "42", "8080", "9007199254740993", "9223372036854775807"]).to_string(),
        1 => rng.pick(&["true", "false"]).to_string(),
        _ => tricky(rng),
    }
}

/// Strings that end up as annotation values, group names, identities.
pub fn free_text(rng: &mut Rng) -> String {
    if rng.chance(50) {
        tricky(rng)
    } else {
        lit(rng.pick(&["web-team", "team-a@example.com", "system:authenticated-like", "Ops Team 한국"]))
    }
}

pub fn hex(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| char::from_digit(rng.below(16) as u32, 16).expect("hex digit")).collect()
}

/// A release image: by digest or tag, with or without its own registry.
pub fn image(rng: &mut Rng) -> String {
    let digest = format!("sha256:{}", hex(rng, 64));
    let tag = rng.pick(&["1.0.0", "2.5.0-rc.1", "latest", "v3_build.7", "_underscore"]).to_string();
    let name = rng.pick(&["web", "media/web", "a.b/c-d", "web2"]).to_string();
    let registry = rng.pick(&["", "gcr.io/acme/", "localhost:5000/", "123456789012.dkr.ecr.us-east-1.amazonaws.com/"]);
    match rng.below(3) {
        0 => format!("{registry}{name}:{tag}"),
        1 => format!("{registry}{name}:{tag}@{digest}"),
        _ => format!("{registry}{name}@{digest}"),
    }
}

pub fn registry(rng: &mut Rng) -> String {
    rng.pick(&[
        "registry.example.com/p",
        "asia-northeast3-docker.pkg.dev/acme-prod/web",
        "localhost:5000/team",
        "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/bluedot",
        "ghcr.io/a-b/c_d",
        "docker.io",
        "bluedotacr.azurecr.io/sites",
    ])
    .to_string()
}

pub fn egress(rng: &mut Rng) -> String {
    lit(rng.pick(&["0.0.0.0/0:443", "10.20.0.0/16:5432", "10.0.0.1/32", "192.168.0.0/24:65535", "172.16.0.0/12:1"]))
}

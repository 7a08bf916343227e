//! Strings as YAML scalars: plain only when every YAML 1.1 and 1.2 reader (the 1.2 core
//! schema, PyYAML, go-yaml v2 as kubectl and kustomize use it, libyaml) takes the text back as
//! that exact string; single-quoted when only the resolvers are in the way; double-quoted with
//! escapes when a character is outside what every reader accepts raw.

/// Appends `s` as a scalar that reads back as exactly `s`.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    if plain_ok(s) {
        out.extend_from_slice(s.as_bytes());
    } else {
        quoted(s, out);
    }
}

/// Appends a struct field name. These are constant (`apiVersion`, `metadata`, …), so the common
/// shape (a letter, then six or more letters and digits: never a keyword or a number) skips the
/// full check; anything else (`$ref`, `x-kubernetes-…`, short names) takes it.
pub(super) fn field_name(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if b.len() > 5 && b[0].is_ascii_alphabetic() && b.iter().all(u8::is_ascii_alphanumeric) {
        out.extend_from_slice(b);
    } else {
        string(out, s);
    }
}

/// Whether a string can be written without quotes and still read back as that string.
pub(super) fn plain_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else { return false };
    // Indicators (`-`, `?`, `:`, `&`, `*`, `!`, `|`, `>`, `'`, `"`, `%`, `@`, `` ` ``, `#`,
    // flow brackets), a leading `.` or sign (`.5`, `-1`) and spaces may not start one.
    if !(first.is_ascii_alphanumeric() || first == b'/' || first == b'_') {
        return false;
    }
    let last = bytes[bytes.len() - 1];
    if last == b':' || last == b' ' {
        return false;
    }
    let mut prev = 0u8;
    for &b in bytes {
        // `: ` starts a mapping; `#` (a comment) and the other indicators are not allowed.
        if !PLAIN[b as usize] || (prev == b':' && b == b' ') {
            return false;
        }
        prev = b;
    }
    !resolves_to_other_type(s)
}

/// Bytes allowed anywhere in a plain string.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric()
            || matches!(c, b' ' | b'.' | b'_' | b'/' | b'-' | b':' | b'@' | b'+' | b'=' | b',' | b'(' | b')');
        b += 1;
    }
    t
};

/// Whether some YAML 1.1 or 1.2 resolver would read this plain scalar as something other than
/// a string. A deliberately wide net: quoting a string that needed none costs two bytes, while
/// missing one turns a ConfigMap value or a label into a number, a date or a boolean.
pub(super) fn resolves_to_other_type(s: &str) -> bool {
    keyword(s) || numeric(s) || timestamp(s)
}

/// Null (`~`, `null`, empty), YAML 1.1 booleans (`y`, `yes`, `on`, `off`, …, in every case
/// form, not only the ones the spec lists), the merge key `<<` and the value key `=`.
fn keyword(s: &str) -> bool {
    const WORDS: &[&str] = &["", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "="];
    s.len() <= 5 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// Integers in bases 2, 8, 10, 16 and 60 (`0b101`, `017`, `0o17`, `0x1F`, `1:20`), with
/// underscores (`1_000`), floats (`1e3`, `.5`, `1.`, `1:20.5`, Go's hex floats `0x1p-2`) and
/// the special floats (`.inf`, `-.Inf`, `.NaN`, and what Go's float parser takes: `+inf`,
/// `infinity`, `nan`): anything that starts like a number and holds only what numbers hold.
fn numeric(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let word = unsigned.strip_prefix('.').unwrap_or(unsigned);
    if ["inf", "infinity", "nan"].iter().any(|w| w.eq_ignore_ascii_case(word)) {
        return true;
    }
    let b = unsigned.as_bytes();
    let starts = match b {
        [d, ..] if d.is_ascii_digit() => true,
        [b'.', d, ..] => d.is_ascii_digit() || *d == b'_',
        _ => false,
    };
    starts
        && b.iter().all(|&c| {
            c.is_ascii_hexdigit()
                || matches!(c, b'_' | b'.' | b':' | b'+' | b'-' | b'x' | b'X' | b'o' | b'O' | b'p' | b'P')
        })
}

/// YAML 1.1 timestamps (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`,
/// `2001-12-14 21:59:43.10 -5`): anything that starts with a year and a dash.
fn timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// Whether a character must be escaped: outside YAML's printable set (C0 and C1 controls, DEL,
/// U+FFFE, U+FFFF), a line break to YAML 1.1 (U+0085, U+2028, U+2029, and `\n`, `\r`), the
/// byte-order mark, or a tab (kept visible).
fn needs_escape(c: char) -> bool {
    !matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Appends `s` single-quoted, or double-quoted with escapes when it holds a character that
/// must not appear raw.
pub(super) fn quoted(s: &str, out: &mut Vec<u8>) {
    if !s.chars().any(needs_escape) {
        out.push(b'\'');
        for (i, part) in s.split('\'').enumerate() {
            if i > 0 {
                out.extend_from_slice(b"''");
            }
            out.extend_from_slice(part.as_bytes());
        }
        out.push(b'\'');
        return;
    }
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if needs_escape(c) => out.extend_from_slice(format!("\\u{:04X}", c as u32).as_bytes()),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

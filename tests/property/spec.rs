//! The shape of a generated spec: declarations made of fields, kept as a structure (not text) so
//! that a failing case can be shrunk by dropping declarations, fields and map entries, and
//! rendered in more than one layout (one line or several, one file or two).

/// A small deterministic generator (xorshift64*), so every case reproduces from its seed.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// A field's value: text written as is, or a map of entries written `key { k = v, … }` (kept
/// apart so that shrinking can drop entries one by one).
#[derive(Clone, Debug)]
pub enum Value {
    Text(String),
    Map(Vec<(String, String)>),
}

#[derive(Clone, Debug)]
pub struct Field {
    pub key: String,
    pub value: Value,
}

/// One declaration: `head { fields }` (`partner "x"`, `strategy s = canary`), or a raw line
/// (`let x = "…"`, `strategy t = s with { … }`) that is not shrunk field by field.
#[derive(Clone, Debug)]
pub struct Decl {
    pub head: String,
    pub fields: Vec<Field>,
    pub raw: Option<String>,
    /// Written on one line (`{ a = 1, b = 2 }`) rather than one field per line.
    pub one_line: bool,
}

impl Decl {
    pub fn new(head: impl Into<String>) -> Decl {
        Decl { head: head.into(), fields: Vec::new(), raw: None, one_line: false }
    }
    pub fn raw(text: impl Into<String>) -> Decl {
        Decl { head: String::new(), fields: Vec::new(), raw: Some(text.into()), one_line: false }
    }
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.fields.push(Field { key: key.into(), value: Value::Text(value.into()) });
    }
    pub fn map(&mut self, key: &str, entries: Vec<(String, String)>) {
        self.fields.push(Field { key: key.into(), value: Value::Map(entries) });
    }
}

/// A whole spec: imports (repeated in every file) and declarations spread over `files` files.
#[derive(Clone, Debug)]
pub struct Spec {
    pub imports: Vec<String>,
    pub decls: Vec<Decl>,
    pub files: usize,
}

/// A map key as written: a bare word when it is one, else a string.
pub fn key(k: &str) -> String {
    let word = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let reserved = matches!(k, "true" | "false" | "with" | "for" | "import" | "as");
    if word && !reserved {
        k.to_string()
    } else {
        lit(k)
    }
}

/// A string literal with the language's escapes.
pub fn lit(s: impl AsRef<str>) -> String {
    let s = s.as_ref();
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render_field(f: &Field, indent: &str) -> String {
    match &f.value {
        Value::Text(t) => format!("{} = {t}", f.key),
        Value::Map(entries) if entries.is_empty() => format!("{} {{}}", f.key),
        Value::Map(entries) => {
            let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{indent}    {} = {v}", key(k))).collect();
            format!("{} {{\n{}\n{indent}  }}", f.key, inner.join("\n"))
        }
    }
}

impl Decl {
    fn render(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        if self.fields.is_empty() {
            return format!("{} {{}}", self.head);
        }
        let simple = self.fields.iter().all(|f| matches!(f.value, Value::Text(_)));
        if self.one_line && simple {
            let inner: Vec<String> = self.fields.iter().map(|f| render_field(f, "")).collect();
            return format!("{} {{ {} }}", self.head, inner.join(", "));
        }
        let inner: Vec<String> = self.fields.iter().map(|f| format!("  {}", render_field(f, ""))).collect();
        format!("{} {{\n{}\n}}", self.head, inner.join("\n"))
    }
}

impl Spec {
    /// The files of the spec: `(name, text)`.
    pub fn render(&self) -> Vec<(String, String)> {
        let files = self.files.max(1);
        let head: String = self.imports.iter().map(|i| format!("import {}\n", lit(i))).collect();
        let mut bodies = vec![head.clone(); files];
        for (i, d) in self.decls.iter().enumerate() {
            bodies[i % files].push('\n');
            bodies[i % files].push_str(&d.render());
            bodies[i % files].push('\n');
        }
        bodies.into_iter().enumerate().map(|(i, text)| (format!("spec{i}.bdot"), text)).collect()
    }

    /// The spec as one text, for failure messages.
    pub fn text(&self) -> String {
        self.render().into_iter().map(|(name, text)| format!("// ---- {name}\n{text}")).collect()
    }

    /// Smaller variants: each declaration dropped, each field dropped, each map entry dropped.
    pub fn smaller(&self) -> Vec<Spec> {
        let mut out = Vec::new();
        for i in 0..self.decls.len() {
            let mut s = self.clone();
            s.decls.remove(i);
            out.push(s);
        }
        for i in 0..self.decls.len() {
            for j in 0..self.decls[i].fields.len() {
                let mut s = self.clone();
                s.decls[i].fields.remove(j);
                out.push(s);
                if let Value::Map(entries) = &self.decls[i].fields[j].value {
                    for k in 0..entries.len() {
                        let mut s = self.clone();
                        if let Value::Map(e) = &mut s.decls[i].fields[j].value {
                            e.remove(k);
                        }
                        out.push(s);
                    }
                }
            }
        }
        if self.files > 1 {
            let mut s = self.clone();
            s.files = 1;
            out.push(s);
        }
        out
    }
}

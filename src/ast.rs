//! The syntax tree of one `.bdot` file. Every node has a span; a hole the parser recovered from
//! is an `Error` node, which later stages skip silently (it was reported once, by the parser).

use crate::source::Span;

#[derive(Clone, Debug, Default)]
pub struct File {
    pub items: Vec<Item>,
    /// Spans of every comment, in order (kept for the formatter and for doc hovers).
    pub comments: Vec<Span>,
}

#[derive(Clone, Debug)]
pub enum Item {
    Import(Import),
    Decl(Decl),
    /// A top-level region the parser skipped after a syntax error.
    Error(Span),
    /// A declaration whose kind and name were read before a syntax error: later stages know
    /// it exists (so references to it and rules about its kind stay silent) but not its value.
    Broken(BrokenDecl),
}

#[derive(Clone, Debug)]
pub struct BrokenDecl {
    pub kind: DeclKind,
    pub name: Ident,
    pub span: Span,
}

/// `import "std/plans"` or `import "./shared.bdot" as shared`.
#[derive(Clone, Debug)]
pub struct Import {
    pub path: String,
    pub path_span: Span,
    pub alias: Option<Ident>,
    pub span: Span,
}

impl Import {
    /// The name the import is used by: the alias, or the last path segment without extension.
    pub fn name(&self) -> &str {
        if let Some(alias) = &self.alias {
            return &alias.name;
        }
        let last = self.path.rsplit('/').next().unwrap_or(&self.path);
        last.strip_suffix(".bdot").unwrap_or(last)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// The fixed kinds of declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeclKind {
    Let,
    Platform,
    Release,
    Strategy,
    Plan,
    Partner,
    Target,
    Cluster,
    Wave,
}

impl DeclKind {
    pub const ALL: &'static [DeclKind] = &[
        DeclKind::Let,
        DeclKind::Platform,
        DeclKind::Release,
        DeclKind::Strategy,
        DeclKind::Plan,
        DeclKind::Partner,
        DeclKind::Target,
        DeclKind::Cluster,
        DeclKind::Wave,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            DeclKind::Let => "let",
            DeclKind::Platform => "platform",
            DeclKind::Release => "release",
            DeclKind::Strategy => "strategy",
            DeclKind::Plan => "plan",
            DeclKind::Partner => "partner",
            DeclKind::Target => "target",
            DeclKind::Cluster => "cluster",
            DeclKind::Wave => "wave",
        }
    }

    pub fn from_keyword(word: &str) -> Option<DeclKind> {
        DeclKind::ALL.iter().copied().find(|k| k.keyword() == word)
    }

    /// Whether declarations of this kind can be referred to by a bare name (`careful`,
    /// `plans.medium`). Partners and releases are named by strings and looked up by value.
    pub fn is_referable(self) -> bool {
        !matches!(self, DeclKind::Partner | DeclKind::Release)
    }
}

/// `partner "newsroom-a" { … }`, `strategy careful = canary { … }`, `let x = 3`.
#[derive(Clone, Debug)]
pub struct Decl {
    pub kind: DeclKind,
    pub kind_span: Span,
    pub name: Ident,
    pub body: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// A decimal number as written: `15` with scale 1 is `1.5`. Exact, so `1.5Gi` is exact bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: u64,
    pub scale: u32,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    /// `3`, `250m`, `10%`, `512Mi`: the unit is interpreted by the expected type.
    Number {
        value: Decimal,
        unit: Option<String>,
    },
    Str(Vec<StrPart>),
    Bool(bool),
    List(Vec<Expr>),
    Record(Record),
    /// `canary { steps = … }`: a record whose variant is named by the tag.
    Tagged {
        tag: Ident,
        record: Record,
    },
    /// `careful`, `plans.medium`, `bluedot.registry`.
    Path(Vec<Ident>),
    /// `2..6`
    Range(Box<Expr>, Box<Expr>),
    /// `10% for 10m`
    Step(Box<Expr>, Box<Expr>),
    /// `plans.medium with { memory = 2Gi }`
    With(Box<Expr>, Record),
    Error,
}

#[derive(Clone, Debug)]
pub enum StrPart {
    Text(String),
    Interp(Expr),
}

#[derive(Clone, Debug, Default)]
pub struct Record {
    pub fields: Vec<Field>,
    pub span: Span,
}

/// `key = value`, or `key { … }` for a record value.
#[derive(Clone, Debug)]
pub struct Field {
    pub key: Ident,
    pub value: Expr,
    pub span: Span,
}

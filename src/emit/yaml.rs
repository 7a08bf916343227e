//! A YAML writer for serde, tuned for Kubernetes objects: block style, two-space indentation,
//! sequences at the indentation of their key (as `kubectl` and `serde_yaml` print them),
//! strings plain only when no YAML 1.1 or 1.2 reader could take them for anything else.
//!
//! Written because the general-purpose emitters spend most of `bdc emit`'s time in event
//! machinery (measured in `docs/yaml-writer.md`); its output is checked against
//! `serde_yaml`'s reading of it for every emitted object.

use serde::ser::{self, Serialize};
use std::fmt::Display;

/// Appends `value` as one YAML document (no `---`) to `out`.
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    value.serialize(Ser { out, indent: 0, pos: Pos::Top })
}

#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Where the next value is written.
#[derive(Clone, Copy, PartialEq)]
enum Pos {
    /// At the start of a line, at `indent` (a document).
    Top,
    /// Right after `key:`; `indent` is the key's.
    Value,
    /// Right after `- `; `indent` is the dash's.
    Item,
}

pub struct Ser<'a> {
    out: &'a mut Vec<u8>,
    indent: usize,
    pos: Pos,
}

fn spaces(out: &mut Vec<u8>, n: usize) {
    out.resize(out.len() + n, b' ');
}

impl Ser<'_> {
    fn scalar(self, text: &str) {
        if self.pos == Pos::Value {
            self.out.push(b' ');
        }
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'\n');
    }
}

/// Whether a string can be written without quotes and still read back as that string.
fn plain_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else { return false };
    if !(first.is_ascii_alphabetic() || first == b'/' || first == b'_' || (first.is_ascii_digit() && !looks_numeric(s)))
    {
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
    // Words YAML 1.1 reads as booleans or null.
    const WORDS: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf"];
    s.len() > 5 || !WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
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

/// Numbers, sexagesimals and dates in any YAML dialect: digits with separators only.
fn looks_numeric(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E' | b'_' | b':' | b'x' | b'o' | b'b'))
}

fn quoted(s: &str, out: &mut Vec<u8>) {
    if s.chars().all(|c| !c.is_control()) {
        out.push(b'\'');
        for part in s.split('\'').enumerate() {
            if part.0 > 0 {
                out.extend_from_slice(b"''");
            }
            out.extend_from_slice(part.1.as_bytes());
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
            c if c.is_control() => out.extend_from_slice(format!("\\u{:04X}", c as u32).as_bytes()),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

fn string(out: &mut Vec<u8>, s: &str) {
    if plain_ok(s) {
        out.extend_from_slice(s.as_bytes());
    } else {
        quoted(s, out);
    }
}

/// A map or struct being written.
pub struct MapSer<'a> {
    out: &'a mut Vec<u8>,
    /// Indentation of its keys.
    indent: usize,
    /// Where the map itself was opened.
    pos: Pos,
    first: bool,
}

impl MapSer<'_> {
    fn key(&mut self, key: &str) {
        match (self.first, self.pos) {
            (true, Pos::Item) => {}
            (true, Pos::Value) => {
                self.out.push(b'\n');
                spaces(self.out, self.indent);
            }
            _ => spaces(self.out, self.indent),
        }
        self.first = false;
        string(self.out, key);
        self.out.push(b':');
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Ser { out: self.out, indent: self.indent, pos: Pos::Value })
    }

    fn finish(self) {
        if self.first {
            match self.pos {
                Pos::Value => self.out.extend_from_slice(b" {}\n"),
                _ => self.out.extend_from_slice(b"{}\n"),
            }
        }
    }
}

/// A sequence being written.
pub struct SeqSer<'a> {
    out: &'a mut Vec<u8>,
    /// Indentation of its dashes.
    indent: usize,
    pos: Pos,
    first: bool,
}

impl SeqSer<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match (self.first, self.pos) {
            (true, Pos::Item) => {}
            (true, Pos::Value) => {
                self.out.push(b'\n');
                spaces(self.out, self.indent);
            }
            _ => spaces(self.out, self.indent),
        }
        self.first = false;
        self.out.extend_from_slice(b"- ");
        value.serialize(Ser { out: self.out, indent: self.indent, pos: Pos::Item })
    }

    fn finish(self) {
        if self.first {
            match self.pos {
                Pos::Value => self.out.extend_from_slice(b" []\n"),
                _ => self.out.extend_from_slice(b"[]\n"),
            }
        }
    }
}

/// Writes a map key in place (every key bdc emits is a string or a number).
struct KeySer<'m, 'a>(&'m mut MapSer<'a>);

macro_rules! key_display {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name(self, v: $ty) -> Result<(), Error> {
            self.0.key(&v.to_string());
            Ok(())
        })*
    };
}

impl ser::Serializer for KeySer<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.key(v);
        Ok(())
    }
    key_display!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char);
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error("bytes as a map key".into()))
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(Error("none as a map key".into()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(Error("unit as a map key".into()))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(Error("unit struct as a map key".into()))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.0.key(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(Error("enum as a map key".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error("sequence as a map key".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error("tuple as a map key".into()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error("tuple as a map key".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("tuple as a map key".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error("map as a map key".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error("struct as a map key".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("enum as a map key".into()))
    }
}

macro_rules! scalar_display {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name(self, v: $ty) -> Result<(), Error> {
            self.scalar(&v.to_string());
            Ok(())
        })*
    };
}

impl<'a> ser::Serializer for Ser<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqSer<'a>;
    type SerializeTuple = SeqSer<'a>;
    type SerializeTupleStruct = SeqSer<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = MapSer<'a>;
    type SerializeStruct = MapSer<'a>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    scalar_display!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        let text = if v.is_nan() {
            ".nan".to_string()
        } else if v.is_infinite() {
            if v > 0.0 { ".inf" } else { "-.inf" }.to_string()
        } else if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{v:.1}")
        } else {
            v.to_string()
        };
        self.scalar(&text);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        if self.pos == Pos::Value {
            self.out.push(b' ');
        }
        string(self.out, v);
        self.out.push(b'\n');
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error("raw bytes cannot be written as YAML".into()))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.scalar("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        use ser::SerializeMap;
        let mut map = self.serialize_map(Some(1))?;
        map.serialize_entry(variant, v)?;
        map.end()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<SeqSer<'a>, Error> {
        let indent = match self.pos {
            Pos::Item => self.indent + 2,
            _ => self.indent,
        };
        Ok(SeqSer { out: self.out, indent, pos: self.pos, first: true })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqSer<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("tuple variants are not supported".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapSer<'a>, Error> {
        let indent = match self.pos {
            Pos::Top => self.indent,
            Pos::Value | Pos::Item => self.indent + 2,
        };
        Ok(MapSer { out: self.out, indent, pos: self.pos, first: true })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapSer<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("struct variants are not supported".into()))
    }
}

impl ser::SerializeSeq for SeqSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.item(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTuple for SeqSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.item(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for SeqSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.item(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(KeySer(self))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.value(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStruct for MapSer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        self.key(key);
        self.value(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::write;
    use std::collections::BTreeMap;

    fn yaml<T: serde::Serialize>(v: &T) -> String {
        let mut out = Vec::new();
        write(v, &mut out).expect("serialises");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn strings_that_would_read_as_other_types_are_quoted() {
        let cases = [
            "",
            "true",
            "No",
            "null",
            "12",
            "1.5",
            "0x1f",
            "1e3",
            "12:30",
            "2.4.1",
            "-a",
            "a: b",
            "a #b",
            "it's",
            "line\nbreak",
            "~",
            "*x",
            "{}",
            " lead",
        ];
        for s in cases {
            let text = yaml(&BTreeMap::from([("k", s)]));
            let back: BTreeMap<String, String> =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{s:?} → {text}: {e}"));
            assert_eq!(back["k"], s, "{text}");
        }
        assert_eq!(yaml(&BTreeMap::from([("k", "web")])), "k: web\n");
        assert_eq!(
            yaml(&BTreeMap::from([("k", "registry.example.com/web@sha256:ab")])),
            "k: registry.example.com/web@sha256:ab\n"
        );
    }

    #[test]
    fn nesting_follows_kubectl_layout() {
        #[derive(serde::Serialize)]
        struct Inner {
            a: Vec<u32>,
            b: BTreeMap<String, u32>,
            c: Vec<BTreeMap<&'static str, Vec<u32>>>,
        }
        let v = BTreeMap::from([(
            "x",
            Inner { a: vec![1, 2], b: BTreeMap::new(), c: vec![BTreeMap::from([("p", vec![3]), ("q", vec![])])] },
        )]);
        assert_eq!(yaml(&v), "x:\n  a:\n  - 1\n  - 2\n  b: {}\n  c:\n  - p:\n    - 3\n    q: []\n");
    }
}

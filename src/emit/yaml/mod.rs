//! A YAML writer for serde, tuned for Kubernetes objects: block style, two-space indentation,
//! sequences at the indentation of their key (as `kubectl` and `serde_yaml` print them),
//! strings plain only when no YAML 1.1 or 1.2 reader could take them for anything else.
//!
//! Written because the general-purpose emitters spend most of `bdc emit`'s time in event
//! machinery (measured in `docs/yaml-writer.md`); its output is checked against
//! `serde_yaml`'s reading of it for every emitted object.

mod key;
mod scalar;
#[cfg(test)]
mod tests;

use key::KeySer;
use scalar::string;
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

/// Bytes of a key above which it is written as an explicit key.
const LONG_KEY: usize = 1000;

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
    /// Writes a key that came from data (a label, a ConfigMap key).
    fn key(&mut self, key: &str) {
        self.key_with(|out| string(out, key));
    }

    fn key_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        match (self.first, self.pos) {
            (true, Pos::Item) => {}
            (true, Pos::Value) => {
                self.out.push(b'\n');
                spaces(self.out, self.indent);
            }
            _ => spaces(self.out, self.indent),
        }
        self.first = false;
        let start = self.out.len();
        write(self.out);
        // Readers look at most 1024 characters ahead for the `:` of an implicit key; a longer
        // key is written explicitly (`? key` then `: value` on the next line).
        if self.out.len() - start > LONG_KEY {
            self.out.splice(start..start, *b"? ");
            self.out.push(b'\n');
            spaces(self.out, self.indent);
        }
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
        self.key_with(|out| scalar::field_name(out, key));
        self.value(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

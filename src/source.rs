//! Source map: every file the compiler reads gets a [`FileId`]; spans are byte ranges into it.
//!
//! Line/column positions are computed on demand from a line-start index, so spans stay two
//! integers and the parser never counts lines. Columns count characters; a running count of
//! characters every [`CHUNK`] bytes keeps that constant-time on minified one-line files.
//!
//! A leading UTF-8 byte-order mark (which some Windows editors write) is not part of the text.

use std::path::PathBuf;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: u32, end: u32) -> Span {
        Span { file, start, end }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// Where a file came from: a path on disk, the embedded standard library, or memory (tests, LSP).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    Disk(PathBuf),
    Std(&'static str),
    Memory,
}

/// One source file and its line index.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Name shown in diagnostics (a path relative to where `bdc` was run, or `std/plans`).
    pub name: String,
    pub origin: Origin,
    pub text: String,
    line_starts: Vec<u32>,
    /// Characters before each multiple of [`CHUNK`] bytes.
    chars_before: Vec<u32>,
}

/// Bytes between two entries of [`SourceFile`]'s character counts.
const CHUNK: usize = 1024;

/// Characters that start in `bytes` (any byte range: continuation bytes are not counted).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl SourceFile {
    pub fn new(name: String, origin: Origin, mut text: String) -> SourceFile {
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts = std::iter::once(0).chain(newline_offsets(&text).map(|i| i as u32 + 1)).collect();
        let mut total = 0;
        let chars_before = std::iter::once(0)
            .chain(text.as_bytes().chunks(CHUNK).map(|c| {
                total += char_starts(c) as u32;
                total
            }))
            .collect();
        SourceFile { name, origin, text, line_starts, chars_before }
    }

    /// Characters before a byte offset (at a character boundary).
    fn chars_to(&self, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        self.chars_before[chunk] as usize + char_starts(&self.text.as_bytes()[chunk * CHUNK..offset])
    }

    /// 1-based line and column of a byte offset (clamped to the file).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.text.len() as u32);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let column = self.column_of(offset as usize) as u32 + 1;
        LineCol { line: line as u32 + 1, column }
    }

    /// 0-based character column of a byte offset (rounded down to a character boundary).
    pub fn column_of(&self, offset: usize) -> usize {
        let end = floor_char_boundary(&self.text, offset);
        let start = self.line_start(self.line_index(end));
        self.chars_to(end) - self.chars_to(start)
    }

    /// Byte offset where the 0-based line ends (before its newline).
    pub fn line_end(&self, line: usize) -> usize {
        self.line_starts.get(line + 1).map_or(self.text.len(), |&s| s as usize - 1)
    }

    /// 0-based index of the line holding a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s as usize <= offset).saturating_sub(1)
    }

    /// Byte offset where a 0-based line starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).map_or(self.text.len(), |&s| s as usize)
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        let start = floor_char_boundary(&self.text, span.start as usize);
        let end = floor_char_boundary(&self.text, span.end as usize);
        &self.text[start..end]
    }
}

fn newline_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i)
}

/// The largest character boundary at or before `i` (clamped to the text).
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All files of one compilation.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// Every file's id, in the order added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len() as u32).map(FileId)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// The sources with the text of each span in `secrets` masked (`"************"`: quotes
    /// kept, every byte inside replaced), so that a report never echoes a secret it flags.
    /// Byte offsets are unchanged; borrowed as is when there is nothing to mask.
    pub fn redacted(&self, secrets: &[Span]) -> std::borrow::Cow<'_, SourceMap> {
        if secrets.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut out = self.clone();
        for (id, file) in out.files.iter_mut().enumerate() {
            let spans: Vec<&Span> = secrets.iter().filter(|s| s.file.0 as usize == id).collect();
            if spans.is_empty() {
                continue;
            }
            let mut bytes = std::mem::take(&mut file.text).into_bytes();
            for s in spans {
                let (mut start, mut end) = (s.start as usize, (s.end as usize).min(bytes.len()));
                if end > start + 1 && bytes[start] == b'"' && bytes[end - 1] == b'"' {
                    (start, end) = (start + 1, end - 1);
                }
                bytes[start.min(end)..end].iter_mut().filter(|b| **b != b'\n').for_each(|b| *b = b'*');
            }
            let text = String::from_utf8(bytes).expect("whole characters replaced by ASCII");
            *file = SourceFile::new(std::mem::take(&mut file.name), file.origin.clone(), text);
        }
        std::borrow::Cow::Owned(out)
    }

    pub fn find(&self, origin: &Origin) -> Option<FileId> {
        self.files.iter().position(|f| &f.origin == origin).map(|i| FileId(i as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counted columns agree with counting characters from the line start, across chunk
    /// boundaries and multi-byte characters; a leading byte-order mark is dropped.
    #[test]
    fn columns_match_a_plain_count() {
        let line = "aé€😀b".repeat(700);
        let text = format!("\u{feff}x\n{line}\n{line}");
        let file = SourceFile::new("t".into(), Origin::Memory, text);
        assert!(file.text.starts_with("x\n"));
        for offset in (0..file.text.len()).filter(|&i| file.text.is_char_boundary(i)) {
            let line = file.text[..offset].matches('\n').count();
            let start = file.text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let column = file.text[start..offset].chars().count();
            let lc = file.line_col(offset as u32);
            assert_eq!((lc.line as usize, lc.column as usize), (line + 1, column + 1), "at {offset}");
        }
    }
}

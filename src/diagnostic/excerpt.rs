//! The source excerpt of a human report, bounded whatever the file looks like.
//!
//! miette shows whole lines around each label and joins labels whose excerpts touch into one.
//! On a minified or generated spec one line can be megabytes long: printing it per report
//! amplifies the input (100,000 errors on one line once wrote a gibibyte), and a label past
//! column 65,535 made miette panic. So:
//! - a label that touches a long line, or runs over many lines, is shown by its start only;
//! - a long line is shown as a window of [`CONTEXT`] bytes around the span;
//! - labels far apart (many lines, or far along a long line) get excerpts of their own
//!   instead of one excerpt with everything between them.
//!
//! Reading a window is proportional to the window: the line index finds its lines.

use crate::source::{floor_char_boundary, SourceFile, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A line longer than this (in bytes) is shown as a window around the span.
pub const LONG_LINE: usize = 240;
/// Bytes shown on each side of a span on a long line.
const CONTEXT: usize = 60;
/// The most of a label shown when it touches a long line or runs over many lines.
const MAX_LABEL: usize = 120;
/// Labels whose lines are further apart get excerpts of their own.
const MAX_LINES: usize = 12;

/// A label's span as a report shows it: whole, or its start when whole would be too much.
pub fn clip(file: &SourceFile, span: Span) -> (usize, usize) {
    let text = &file.text;
    let start = floor_char_boundary(text, span.start as usize);
    let end = floor_char_boundary(text, span.end as usize).max(start);
    let (first, last) = (file.line_index(start), file.line_index(end));
    if last - first <= MAX_LINES && !long_line_in(file, first, last) {
        return (start, end);
    }
    let line_end = file.line_end(first).max(start);
    (start, floor_char_boundary(text, end.min(line_end).min(start + MAX_LABEL)))
}

/// Whether a line from `first` to `last` (0-based, inclusive) is longer than [`LONG_LINE`].
fn long_line_in(file: &SourceFile, first: usize, last: usize) -> bool {
    (first..=last).any(|l| file.line_end(l).saturating_sub(file.line_start(l)) > LONG_LINE)
}

/// One file's text as miette reads it for one report, with the (clipped) label spans of the
/// report, so a span that is no label is known to be two excerpts being joined.
pub struct Excerpt<'a> {
    pub file: &'a SourceFile,
    pub labels: Vec<(usize, usize)>,
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let file = self.file;
        let text = file.text.as_str();
        let start = floor_char_boundary(text, span.offset());
        let end = floor_char_boundary(text, span.offset() + span.len()).max(start);
        let (first, last) = (file.line_index(start), file.line_index(end));
        let is_label = self.labels.contains(&(span.offset(), span.offset() + span.len()));
        // Joining two excerpts: only when what lies between them is short.
        if !is_label && (last - first > MAX_LINES || (end - start > 2 * MAX_LABEL && long_line_in(file, first, last))) {
            return Err(MietteError::OutOfBounds);
        }
        // A line of slack on each side, as miette finds the context lines itself.
        let lines_before = first.saturating_sub(before + 1);
        let lines_after = (last + after + 1).min(file.line_index(text.len()));
        let (lo, hi, column) = if !long_line_in(file, lines_before, lines_after) {
            (file.line_start(lines_before), file.line_start(lines_after + 1).max(end), None)
        } else if !long_line_in(file, first, last) {
            // Short lines next to a long one: show the span's own lines only.
            (file.line_start(first), file.line_end(last), None)
        } else {
            let lo = floor_char_boundary(text, start.saturating_sub(CONTEXT).max(file.line_start(first)));
            let hi = ceil_char_boundary(text, (end + CONTEXT).min(file.line_end(last)));
            (lo, hi, Some(file.column_of(lo)))
        };
        // miette's own reading gives the lines of the window, their count and the column.
        let window = &text[lo..hi];
        let inner = window.read_span(&SourceSpan::new((start - lo).into(), end - start), before, after)?;
        let data_start = inner.span().offset() + lo;
        let column = match (column, before) {
            (_, 0) => file.column_of(data_start),
            (Some(c), _) if data_start == lo => c,
            _ => inner.column(),
        };
        let first_line = file.line_index(data_start);
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            inner.data(),
            SourceSpan::new(data_start.into(), inner.span().len()),
            first_line,
            column,
            inner.line_count() + file.line_index(lo),
        )))
    }
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

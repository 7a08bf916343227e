//! Reading a source file from disk, bounded: regular files only (a FIFO would block forever,
//! `/dev/zero` never ends), at most [`MAX_FILE_BYTES`], and UTF-8 (after an optional
//! byte-order mark). A file that is not UTF-8 is still returned, as [`NotUtf8`] inside the
//! error, so the loader can point at the first bad byte.

use std::io::{self, Read};
use std::path::Path;

/// The most bdc reads from one source file (spans are 32-bit; real specs are far smaller).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A file whose bytes are not UTF-8: its text with each bad byte replaced by a space (so byte
/// offsets are the file's), where the first bad sequence is, and how many bad bytes there are.
#[derive(Debug)]
pub struct NotUtf8 {
    pub text: String,
    pub first: usize,
    pub first_len: usize,
    pub byte: u8,
    pub bad_bytes: usize,
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not valid UTF-8 (byte 0x{:02X} at offset {})", self.byte, self.first)
    }
}

impl std::error::Error for NotUtf8 {}

impl NotUtf8 {
    /// The [`NotUtf8`] inside an error from [`read`], or the error itself.
    pub fn take(error: io::Error) -> Result<NotUtf8, io::Error> {
        if error.get_ref().is_some_and(|e| e.is::<NotUtf8>()) {
            let inner = error.into_inner().expect("checked above");
            return Ok(*inner.downcast::<NotUtf8>().expect("checked above"));
        }
        Err(error)
    }
}

/// Reads a source file (see the module documentation for what is refused).
pub fn read(path: &Path) -> io::Result<String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading waits for a writer; without blocking it opens at once and is
    // refused below as not a regular file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a regular file ({})", kind(&meta))));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {} MiB, the most bdc reads from one file", MAX_FILE_BYTES >> 20),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    decode(bytes).map_err(|bad| io::Error::new(io::ErrorKind::InvalidData, bad))
}

/// UTF-8 text without a leading byte-order mark.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, NotUtf8> {
    if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes.drain(..3);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    let mut text = String::with_capacity(bytes.len());
    let mut first = None;
    let mut bad_bytes = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if !invalid.is_empty() && first.is_none() {
            first = Some((text.len(), invalid.len(), invalid[0]));
        }
        bad_bytes += invalid.len();
        text.extend(std::iter::repeat_n(' ', invalid.len()));
    }
    let (first, first_len, byte) = first.unwrap_or_default();
    Err(NotUtf8 { text, first, first_len, byte, bad_bytes })
}

/// What a file that is not a regular file is, in words.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        } else if t.is_char_device() {
            return "a character device";
        } else if t.is_block_device() {
            return "a block device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// An I/O error without the "(os error 2)" suffix.
pub fn plain(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

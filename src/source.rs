//! Reading one file: size limit, binary detection, encodings, line counting.
//!
//! Nothing here fails the scan: a file that cannot be used becomes a `Skip`
//! with a reason, and an oddity that still allows reading (invalid UTF-8, a BOM)
//! comes back as a note next to the text.

use std::path::Path;

pub enum Read {
    Text {
        bytes: Vec<u8>,
        lines: usize,
        note: Option<String>,
    },
    Skip(String),
}

pub fn read(path: &Path, max_size: u64) -> Read {
    match load(path, max_size) {
        Ok(bytes) => text(bytes),
        Err(reason) => Read::Skip(reason),
    }
}

/// The file's bytes as stored, or why they cannot be read.
pub fn load(path: &Path, max_size: u64) -> Result<Vec<u8>, String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if len > max_size {
        return Err(format!(
            "larger than the size limit ({len} > {max_size} bytes; raise it with --max-file-size)"
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

/// Bytes as stored -> text, unless they are binary.
pub fn text(bytes: Vec<u8>) -> Read {
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Read::Skip("binary content (NUL bytes)".into());
    }
    let (bytes, lines, note) = decode(bytes);
    Read::Text { bytes, lines, note }
}

/// Bytes as read -> UTF-8 text for the parser, the line count, and a note when
/// something had to be repaired (invalid UTF-8 becomes U+FFFD; a BOM is dropped).
pub fn decode(mut bytes: Vec<u8>) -> (Vec<u8>, usize, Option<String>) {
    let lines = count_lines(&bytes);
    let mut note = None;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        let line = count_lines(&bytes[..e.valid_up_to()]).max(1);
        note = Some(format!(
            "invalid UTF-8 at line {line}; read with replacement characters"
        ));
        bytes = String::from_utf8_lossy(&bytes).into_owned().into_bytes();
    }
    (bytes, lines, note)
}

/// Lines as an editor counts them: `\n`, `\r\n` and lone `\r` all end a line,
/// and a last line without a terminator still counts.
pub fn count_lines(bytes: &[u8]) -> usize {
    if bytes.is_empty() {
        return 0;
    }
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    let terminated = matches!(bytes.last(), Some(b'\n' | b'\r'));
    lf + lone_cr + usize::from(!terminated)
}

#[cfg(test)]
mod tests {
    use super::count_lines;

    #[test]
    fn line_endings() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\nb\n"), 2);
        assert_eq!(count_lines(b"a\r\nb\r\nc"), 3);
        assert_eq!(count_lines(b"a\rb\r"), 2);
    }

    /// A file that disappears between the walk and the read is a skip with a
    /// reason, never a failure of the scan.
    #[test]
    fn vanished_file_is_a_skip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        std::fs::remove_file(&path).unwrap();
        match super::read(&path, u64::MAX) {
            super::Read::Skip(reason) => assert!(reason.contains("cannot read"), "{reason}"),
            super::Read::Text { .. } => panic!("a vanished file was read"),
        }
    }
}

//! Writing results: to stdout, or atomically to a file (temp file + rename),
//! so a failed run never leaves a half-written report behind; devices and
//! pipes are written in place.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// The file an `-o` option names, if any: `-o -` means standard output, as usual.
pub fn to_file(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| *p != Path::new("-"))
}

/// `output` is a file path, `None` standard output (see `to_file` for `-o -`).
pub fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    emit_with(output, |w| w.write_all(text.as_bytes()))
}

/// Like `emit`, for output written piece by piece (a large JSON or CSV export) instead of being
/// built in memory first.
pub fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut out).and_then(|_| out.flush()) {
                // A closed pipe (`crossport scan | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("cannot write to standard output"),
            }
        }
        // A device or pipe (`-o /dev/null`, `-o /dev/stderr`) is written in
        // place: renaming a temp file over it would replace it with a file.
        Some(path) if path.metadata().is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|f| {
                    let mut w = std::io::BufWriter::new(f);
                    write(&mut w)?;
                    w.flush()
                })
                .with_context(|| format!("cannot write {}", path.display()))
        }
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
                format!(
                    "cannot write {}: cannot create a file in {}",
                    path.display(),
                    dir.display()
                )
            })?;
            {
                let mut w = std::io::BufWriter::new(tmp.as_file_mut());
                write(&mut w)
                    .and_then(|_| w.flush())
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            // Temp files are created private (0600); a report is for sharing.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = tmp
                    .as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644));
            }
            tmp.persist(path)
                .map_err(|e| e.error)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(())
        }
    }
}

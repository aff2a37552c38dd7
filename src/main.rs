use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    crossport::python::parse::use_mimalloc();
    let cli = crossport::cli::Cli::parse();
    match crossport::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("crossport: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Every allocation, the IR's and tree-sitter's (`use_mimalloc`), goes to
/// mimalloc: on the benchmark corpus it takes about a fifth less CPU than
/// glibc's malloc (arena locks, consolidation of freed blocks) and, tuned as
/// below, about 10 MiB less peak RSS. See tests/bench/README.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's defaults suit a long-running server; a scan keeps every file's
/// IR to its end, so its peak memory is what counts:
/// - arenas are committed as their pages are used, not when reserved;
/// - freed pages go back to the OS at once, not after a second, so the parse
///   trees freed after each file do not pile up while the IR grows;
/// - no transparent huge pages: a huge page stays resident while any of its
///   blocks is used.
///
/// It runs before `main` because the first arena is reserved (and its commit
/// mode fixed) by the first allocation, which the Rust runtime makes before
/// `main`: set in `main`, the peak RSS was about 20 MiB higher.
#[ctor::ctor(unsafe)]
fn tune_malloc() {
    // option numbers of the mimalloc.h that libmimalloc-sys (pinned in
    // Cargo.toml) builds; the crate has constants for none of them
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    const ALLOW_THP: libmimalloc_sys::mi_option_t = 43;
    // SAFETY: only sets allocator options; no Rust runtime service is used.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ALLOW_THP, 0);
    }
}

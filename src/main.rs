use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    tune_malloc();
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

/// Two glibc settings that keep the peak RSS down while every file's IR stays
/// alive (on the benchmark corpus, about 5 MiB each):
/// - glibc raises its mmap threshold each time a large block is freed, so later
///   large blocks (file sources) come from the heap and fragment it. Setting
///   the threshold, even to its default, turns that off: large blocks get
///   mappings of their own, returned when freed.
/// - two arenas instead of one per thread, each with its own free space. One
///   arena for all threads made the two workers of a 2-core run wait on its
///   lock for about a tenth of the CPU time (futex waits in a profile of the
///   benchmark corpus); with two, the scan took 4.8 s instead of 6.0 s wall,
///   the same peak RSS (159 MiB). Tree-sitter's churn goes to mimalloc
///   (`use_mimalloc`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    // SAFETY: only changes allocator parameters, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

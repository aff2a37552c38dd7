//! The pipeline: walk -> read + parse + lower (parallel, with the surface facts of the same
//! bytes) -> link -> Inventory.

use crate::inventory::{Inventory, Skipped, Warning};
use crate::python::resolve::Resolver;
use crate::python::{self, Project, PyFile, SourceModule};
use crate::surface;
use crate::unread::Unread;
use crate::walk::{self, FileKind};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct ScanOptions {
    pub threads: usize,
    pub max_file_size: u64,
    pub progress: bool,
    /// Parse only the files the pre-filter selects (see `prefilter`); off with
    /// the hidden `--no-prefilter`, for the accuracy check.
    pub prefilter: bool,
    /// Read test code too (see `unread`).
    pub include_tests: bool,
    /// Installed packages the project's URLconfs may be mounted from (see `python::mount`).
    pub site_packages: python::mount::SitePackages,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            max_file_size: 2 * 1024 * 1024,
            progress: false,
            prefilter: true,
            include_tests: false,
            site_packages: Default::default(),
        }
    }
}

/// Where the time went, for `-v`. `walk`, `parse` (the whole parallel stage),
/// `resolve` and `link` are wall times; `cpu` sums the per-file phases over all
/// worker threads.
#[derive(Default, Debug)]
pub struct Timings {
    pub walk: Duration,
    pub parse: Duration,
    pub resolve: Duration,
    pub link: Duration,
    pub cpu: PhaseCpu,
    /// Python files the pre-filter left unparsed, and their lines.
    pub filtered_files: usize,
    pub filtered_lines: usize,
    /// Files parsed only because a parsed file imports or names them.
    pub closure_files: usize,
    /// Test files and Django migration files left unread, and their lines.
    pub unread_files: usize,
    pub unread_lines: usize,
    /// Function bodies blanked before parsing, and their lines.
    pub elided_bodies: usize,
    pub elided_lines: usize,
}

/// CPU time per phase, summed over files (and threads).
#[derive(Default, Debug, Clone, Copy)]
pub struct PhaseCpu {
    pub read: Duration,
    pub filter: Duration,
    pub parse: Duration,
    pub extract: Duration,
}

impl PhaseCpu {
    fn add(&mut self, o: &PhaseCpu) {
        self.read += o.read;
        self.filter += o.filter;
        self.parse += o.parse;
        self.extract += o.extract;
    }
}

pub fn scan(root: &Path, opts: &ScanOptions) -> Result<(Inventory, Timings)> {
    let meta =
        std::fs::metadata(root).with_context(|| format!("cannot scan {}", root.display()))?;
    let (walk_root, single): (PathBuf, Option<String>) = if meta.is_file() {
        let parent = root
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = root.file_name().map(|n| n.to_string_lossy().into_owned());
        (parent.to_path_buf(), name)
    } else if meta.is_dir() {
        (root.to_path_buf(), None)
    } else {
        bail!("cannot scan {}: not a file or directory", root.display());
    };
    let mut timings = Timings::default();
    let mut inv = Inventory::new(root.display().to_string());

    let t = Instant::now();
    // A single file has no deployment files or test suite around it.
    let mut walked = walk::walk(&walk_root, opts.threads, single.is_none());
    if let Some(name) = &single {
        walked.files.retain(|f| &f.rel == name);
        walked.total_files = walked.files.len();
    }
    timings.walk = t.elapsed();
    // What the surface pass needs beyond the Python files read below.
    let others = single
        .is_none()
        .then(|| surface::Others(std::mem::take(&mut walked.surface)));
    for (path, err) in &walked.errors {
        inv.warnings.push(Warning {
            file: (!path.is_empty()).then(|| rel_to(&walk_root, path)),
            line: None,
            message: err.clone(),
        });
    }

    let t = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .context("cannot start worker threads")?;
    let py: Vec<&walk::Found> = walked
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Python)
        .collect();
    let rels: Vec<String> = py.iter().map(|f| f.rel.clone()).collect();
    let root_name = std::fs::canonicalize(&walk_root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let read = |rel: &str| match crate::source::read(&walk_root.join(rel), opts.max_file_size) {
        crate::source::Read::Text { bytes, .. } => Some(bytes),
        crate::source::Read::Skip(_) => None,
    };
    let mut roots = python::modules::script_roots(&rels, read);
    roots.extend(python::sys_path::roots(&rels, read));
    roots.sort();
    roots.dedup();
    let namespaces = python::modules::namespace_dirs(&rels, &root_name, &roots, read);
    let (modules, aliases) =
        python::modules::names_with_roots(&rels, &root_name, &roots, &namespaces);
    let mut ids = python::links::ModuleIds::new(&modules);
    ids.add_aliases(&aliases);
    let bar = progress_bar(opts.progress, py.len());
    // Largest files first, so that no big file is left alone at the end
    // while the other threads idle; results go back to walk order.
    let mut jobs: Vec<(usize, String)> = modules.iter().cloned().enumerate().collect();
    jobs.sort_by_key(|(i, _)| std::cmp::Reverse(py[*i].size));
    let mut outcomes: Vec<(usize, FileOutcome)> = pool.install(|| {
        jobs.into_par_iter()
            .with_max_len(1)
            .map(|(i, module)| {
                let r = read_and_parse(py[i], module, &ids, opts, false);
                if let Some(b) = &bar {
                    b.inc(1);
                }
                (i, r)
            })
            .collect()
    });
    outcomes.sort_unstable_by_key(|(i, _)| *i);
    let mut results: Vec<FileOutcome> = outcomes.into_iter().map(|(_, r)| r).collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if opts.prefilter {
        timings.closure_files = parse_referenced(&pool, &py, &ids, &mut results, opts);
    }
    let mut python = Vec::with_capacity(results.len());
    for ((r, path), module) in results.iter().zip(rels).zip(modules) {
        timings.cpu.add(&r.cpu);
        if r.filtered.is_some() {
            timings.filtered_files += 1;
            timings.filtered_lines += r.lines;
        }
        if r.unread.is_some() {
            timings.unread_files += 1;
            timings.unread_lines += r.lines;
        }
        timings.elided_bodies += r.elided_bodies;
        timings.elided_lines += r.elided_lines;
        python.push(PyFile {
            path,
            module,
            unread: r.unread,
        });
    }
    timings.parse = t.elapsed();

    let t = Instant::now();
    inv.stats.files = walked.total_files;
    inv.stats.python_files = py.len();
    if let Some(others) = others {
        let done = results
            .iter()
            .filter(|r| r.surface.is_some())
            .map(|r| r.rel.as_str())
            .collect();
        let rest = pool.install(|| others.read(&done));
        surface::add(
            results
                .iter_mut()
                .filter_map(|r| r.surface.take())
                .chain(rest),
            &mut inv,
        );
    }
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        inv.stats.lines += r.lines;
        if let Some(reason) = r.skipped {
            inv.stats.skipped.push(Skipped {
                path: r.rel.clone(),
                reason: reason.clone(),
            });
            inv.warnings.push(Warning {
                file: Some(r.rel),
                line: None,
                message: format!("skipped: {reason}"),
            });
            continue;
        }
        if let Some(note) = r.note {
            inv.warnings.push(Warning {
                file: Some(r.rel.clone()),
                line: None,
                message: note,
            });
        }
        if let Some(line) = r.error_line {
            inv.stats.parse_errors += 1;
            inv.warnings.push(Warning {
                file: Some(r.rel.clone()),
                line: Some(line),
                message: "syntax error; the rest of the file was still read".into(),
            });
        }
        if let Some(m) = r.module {
            if let Some(line) = m.python2_line {
                inv.warnings.push(python2_warning(&r.rel, line));
            }
            inv.stats.parsed_files += 1;
            files.push(m);
        }
    }
    let mut manifests = Vec::new();
    let mut templates = Vec::new();
    for f in &walked.files {
        match f.kind {
            // The same size limit and repairs as Python files: a vendored
            // multi-gigabyte requirements.txt must not be read whole.
            FileKind::Manifest => match crate::source::read(&f.path, opts.max_file_size) {
                crate::source::Read::Text { bytes, .. } => {
                    manifests.push((f.rel.clone(), String::from_utf8_lossy(&bytes).into_owned()))
                }
                crate::source::Read::Skip(reason) => inv.warnings.push(Warning {
                    file: Some(f.rel.clone()),
                    line: None,
                    message: format!("skipped: {reason}"),
                }),
            },
            FileKind::Template => templates.push(f.rel.clone()),
            FileKind::Python => {}
        }
    }
    // Every file's path, twice over: not needed by the cross-file stage.
    drop(walked);
    timings.link = t.elapsed();
    let t = Instant::now();
    let site_packages = opts.site_packages.dirs(root);
    let library = python::mount::load(
        &site_packages,
        &files,
        &|m| {
            // what the module imports, read once for both frameworks
            let imported = python::mount::imported_names(m);
            let mut wanted = crate::django::library_modules(m, &imported);
            wanted.extend(crate::flask::library_modules(m, &imported));
            wanted
        },
        opts.max_file_size,
    );
    inv.stats.mounted = library.iter().map(|m| m.path.clone()).collect();
    // an environment outside the repository (the active `$VIRTUAL_ENV`) changes the output
    // with the shell it runs in: say so
    if !library.is_empty()
        && opts.site_packages == python::mount::SitePackages::Auto
        && let Some(dir) = site_packages.iter().find(|d| !d.starts_with(root))
    {
        eprintln!(
            "crossport: read {} URLconf module(s) from {} ($VIRTUAL_ENV); --no-site-packages leaves them out",
            library.len(),
            dir.display()
        );
    }
    let resolver = Resolver::new(&files, &library, aliases);
    timings.resolve = t.elapsed();
    let t = Instant::now();
    let dist_infos = python::mount::dist_infos(&site_packages);
    let project = Project {
        files,
        library,
        resolver,
        manifests,
        installed: python::mount::installed(&dist_infos),
        dist_infos,
        entry_points_read: Default::default(),
        templates,
        python,
        module_ids: ids,
        sources: python::lazy::Sources::new(python::lazy::Origin::Disk(walk_root.clone())),
        mros: Default::default(),
    };
    // The extractors run side by side on the same worker threads as parsing.
    pool.install(|| crate::extract::all(&project, &mut inv));
    // Freeing every file's syntax takes a noticeable fraction of a second on
    // a large repository; nothing waits for it.
    std::thread::spawn(move || drop(project));
    inv.finalize();
    timings.link += t.elapsed();
    Ok((inv, timings))
}

/// Runs the whole per-file pipeline (decode, parse, lower, every extractor)
/// on one in-memory file named `app.py`, without touching the file system.
/// For the fuzz target and tests: the same steps `scan` takes for each file.
pub fn scan_source(bytes: &[u8]) -> Inventory {
    let mut inv = Inventory::new("<memory>".to_string());
    let rel = "app.py".to_string();
    let (bytes, lines, note) = crate::source::decode(bytes.to_vec());
    inv.stats.files = 1;
    inv.stats.python_files = 1;
    inv.stats.lines = lines;
    if let Some(message) = note {
        inv.warnings.push(Warning {
            file: Some(rel.clone()),
            line: None,
            message,
        });
    }
    let mut files = Vec::new();
    let ids = python::links::ModuleIds::new([&"app".to_string()]);
    // As `scan` reads a file with the pre-filter on: bodies elided, some not lowered.
    let mut stats = python::FileStats::default();
    if let Some((m, err)) = python::analyse(
        rel.clone(),
        "app".to_string(),
        &ids,
        &bytes,
        true,
        true,
        &mut stats,
    ) {
        if let Some(line) = err {
            inv.stats.parse_errors += 1;
            inv.warnings.push(Warning {
                file: Some(rel.clone()),
                line: Some(line),
                message: "syntax error; the rest of the file was still read".into(),
            });
        }
        if let Some(line) = m.python2_line {
            inv.warnings.push(python2_warning(&rel, line));
        }
        inv.stats.parsed_files = 1;
        files.push(m);
    }
    let resolver = Resolver::new(&files, &[], Vec::new());
    let project = Project {
        files,
        library: Vec::new(),
        resolver,
        manifests: Vec::new(),
        installed: Vec::new(),
        dist_infos: Vec::new(),
        entry_points_read: Default::default(),
        templates: Vec::new(),
        python: vec![PyFile {
            path: rel,
            module: "app".to_string(),
            unread: None,
        }],
        module_ids: ids,
        sources: python::lazy::Sources::new(python::lazy::Origin::Memory(bytes)),
        mros: Default::default(),
    };
    crate::extract::all(&project, &mut inv);
    inv.finalize();
    inv
}

fn python2_warning(rel: &str, line: u32) -> Warning {
    Warning {
        file: Some(rel.to_string()),
        line: Some(line),
        message: "Python 2 syntax (print or exec statement); read as Python 2".into(),
    }
}

struct FileOutcome {
    rel: String,
    lines: usize,
    module: Option<SourceModule>,
    skipped: Option<String>,
    note: Option<String>,
    error_line: Option<u32>,
    /// Not parsed because the pre-filter found nothing of interest: the module name.
    filtered: Option<String>,
    /// Counted but never read (see `unread`).
    unread: Option<Unread>,
    /// Function bodies blanked before parsing (see `python::elide`), and their lines.
    elided_bodies: usize,
    elided_lines: usize,
    cpu: PhaseCpu,
    /// The file's surface facts, from the bytes read here (None: not read, or too large).
    surface: Option<surface::Facts>,
}

/// Reads one file and, unless it is unread or the pre-filter rules it out
/// (`force` overrides the pre-filter), parses and lowers it.
fn read_and_parse(
    f: &walk::Found,
    module: String,
    ids: &python::links::ModuleIds,
    opts: &ScanOptions,
    force: bool,
) -> FileOutcome {
    let mut out = FileOutcome {
        rel: f.rel.clone(),
        lines: 0,
        module: None,
        skipped: None,
        note: None,
        error_line: None,
        filtered: None,
        unread: None,
        elided_bodies: 0,
        elided_lines: 0,
        cpu: PhaseCpu::default(),
        surface: None,
    };
    let t = Instant::now();
    let read = match crate::source::load(&f.path, opts.max_file_size) {
        Ok(bytes) => {
            // The surface facts come from these bytes: no file is read twice for them.
            if f.size <= surface::MAX_BYTES {
                out.surface = Some(surface::facts(&f.rel, &bytes));
            }
            crate::source::text(bytes)
        }
        Err(reason) => crate::source::Read::Skip(reason),
    };
    out.cpu.read = t.elapsed();
    match read {
        crate::source::Read::Skip(reason) => out.skipped = Some(reason),
        crate::source::Read::Text { bytes, lines, note } => {
            out.lines = lines;
            out.note = note;
            out.unread = crate::unread::unread(&f.rel, &bytes, opts.include_tests);
            if out.unread.is_some() {
                return out;
            }
            let t = Instant::now();
            let prefilter = opts.prefilter;
            let wanted = force || !prefilter || crate::prefilter::wants(&f.rel, &bytes);
            let queries = !prefilter || crate::prefilter::wants_queries(&bytes);
            out.cpu.filter = t.elapsed();
            if !wanted {
                out.filtered = Some(module);
                return out;
            }
            let mut stats = python::FileStats::default();
            match python::analyse(
                f.rel.clone(),
                module,
                ids,
                &bytes,
                queries,
                prefilter,
                &mut stats,
            ) {
                Some((m, err)) => {
                    out.module = Some(m);
                    out.error_line = err;
                }
                None => out.skipped = Some("tree-sitter could not parse it".into()),
            }
            out.cpu.filter += stats.elide;
            out.cpu.parse = stats.parse;
            out.cpu.extract = stats.extract;
            out.elided_bodies = stats.elided_bodies;
            out.elided_lines = stats.elided_lines;
        }
    }
    out
}

/// The pre-filter's closure: parses the filtered-out files that parsed files
/// import or name in strings, until none is left. Returns how many it parsed.
fn parse_referenced(
    pool: &rayon::ThreadPool,
    py: &[&walk::Found],
    ids: &python::links::ModuleIds,
    results: &mut [FileOutcome],
    opts: &ScanOptions,
) -> usize {
    // Module number -> the first filtered-out file of that name.
    let mut candidates = rustc_hash::FxHashMap::default();
    for (i, r) in results.iter().enumerate() {
        if let Some(id) = r.filtered.as_deref().and_then(|m| ids.get(m)) {
            candidates.entry(id).or_insert(i);
        }
    }
    let mut frontier: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].module.is_some())
        .collect();
    let mut parsed = 0;
    let mut reverse_done = false;
    while !candidates.is_empty() {
        let mut wanted = crate::prefilter::referenced_modules(
            frontier.iter().filter_map(|&i| results[i].module.as_ref()),
            &candidates,
        );
        if wanted.is_empty() && !reverse_done {
            // Once the forward closure is complete: the filtered files that
            // import a parsed module (`application = build()` in a run
            // script can make a factory in it reachable).
            reverse_done = true;
            wanted = importers_of_parsed(py, ids, results, &candidates, opts);
        }
        if wanted.is_empty() {
            break;
        }
        candidates.retain(|_, i| !wanted.contains(i));
        let mut wanted: Vec<usize> = wanted.into_iter().collect();
        wanted.sort_unstable();
        let fresh: Vec<FileOutcome> = pool.install(|| {
            wanted
                .par_iter()
                .map(|&i| {
                    let module = results[i].filtered.clone().unwrap_or_default();
                    let mut r = read_and_parse(py[i], module, ids, opts, true);
                    r.cpu.add(&results[i].cpu);
                    r
                })
                .collect()
        });
        for (&i, r) in wanted.iter().zip(fresh) {
            results[i] = r;
        }
        parsed += wanted.len();
        frontier = wanted;
    }
    parsed
}

/// Among the filtered-out `candidates`, the files whose module-level import
/// statements name a parsed module (read again: they are few, and only their
/// `import`/`from` lines are looked at).
fn importers_of_parsed(
    py: &[&walk::Found],
    ids: &python::links::ModuleIds,
    results: &[FileOutcome],
    candidates: &rustc_hash::FxHashMap<u32, usize>,
    opts: &ScanOptions,
) -> rustc_hash::FxHashSet<usize> {
    let parsed: rustc_hash::FxHashSet<u32> = results
        .iter()
        .filter_map(|r| r.module.as_ref().and_then(|m| ids.get(&m.module)))
        .collect();
    let mut out = rustc_hash::FxHashSet::default();
    for &i in candidates.values() {
        let Some(module) = results[i].filtered.as_deref() else {
            continue;
        };
        let crate::source::Read::Text { bytes, .. } =
            crate::source::read(&py[i].path, opts.max_file_size)
        else {
            continue;
        };
        let is_package = python::modules::is_package_file(&py[i].rel);
        let imports_parsed = crate::prefilter::imported_modules(&bytes, module, is_package)
            .any(|m| ids.get(&m).is_some_and(|id| parsed.contains(&id)));
        if imports_parsed {
            out.insert(i);
        }
    }
    out
}

fn rel_to(root: &Path, path: &str) -> String {
    Path::new(path)
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| path.to_string())
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    if !enabled || len < 200 {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} parsing {pos}/{len} files {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Parses every Python file and does nothing else: the speed limit of a
/// parse-everything design, for the benchmark (`crossport debug parse`).
pub fn parse_only(root: &Path, opts: &ScanOptions) -> Result<(usize, usize, f64)> {
    let t = Instant::now();
    let walked = walk::walk(root, opts.threads, false);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()?;
    let py: Vec<&walk::Found> = walked
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Python)
        .collect();
    let lines: usize = pool.install(|| {
        py.par_iter()
            .map(|f| match crate::source::read(&f.path, u64::MAX) {
                crate::source::Read::Text { bytes, lines, .. } => {
                    let _tree = python::parse::parse(&bytes);
                    lines
                }
                crate::source::Read::Skip(_) => 0,
            })
            .sum()
    });
    Ok((py.len(), lines, t.elapsed().as_secs_f64()))
}

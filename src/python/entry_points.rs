//! Entry points: the `group -> name = module:attr` table that packaging metadata declares and
//! `importlib.metadata.entry_points()` reads at run time. Plugin systems are built on it
//! (`INSTALLED_APPS += [ep.module for ep in entry_points(group="app.plugins")]`), so the
//! interpreter answers that call from what is declared, never by importing anything.
//!
//! Two sources: the `entry_points.txt` of each distribution in the site-packages a scan reads
//! (what Python itself reads), and the scanned project's own manifests (`pyproject.toml`'s
//! `[project.entry-points.*]`, `[project.scripts]`, Poetry's `[tool.poetry.plugins.*]`,
//! `setup.cfg`'s `[options.entry_points]`), which are what an installed checkout declares.

use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntryPoint {
    pub group: String,
    pub name: String,
    /// `module.path:attr.path [extras]`, as declared.
    pub value: String,
}

impl EntryPoint {
    /// The module part of the value (`importlib.metadata.EntryPoint.module`).
    pub fn module(&self) -> &str {
        self.object_ref()
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
    }

    /// The attribute path after `:`, if any (`EntryPoint.attr`).
    pub fn attr(&self) -> Option<&str> {
        let attr = self.object_ref().split_once(':')?.1.trim();
        (!attr.is_empty()).then_some(attr)
    }

    /// The value without its `[extras]`.
    fn object_ref(&self) -> &str {
        self.value.split('[').next().unwrap_or_default().trim()
    }
}

/// Every entry point the project's manifests and the installed distributions (their
/// `*.dist-info` folders, sorted) declare: the project's first, then each distribution's in
/// the order of its folder name (Python's order is the file system's, which is not stable;
/// the names are). A declaration repeated (the project installed in the environment it is
/// scanned with) is kept once.
pub fn read(manifests: &[(String, String)], dist_infos: &[PathBuf]) -> Vec<EntryPoint> {
    let mut out: Vec<EntryPoint> = Vec::new();
    for (path, text) in manifests {
        let name = path.rsplit('/').next().unwrap_or(path);
        match name {
            "pyproject.toml" => out.extend(pyproject(text)),
            "setup.cfg" => out.extend(setup_cfg(text)),
            _ => {}
        }
    }
    for info in dist_infos {
        if let Ok(text) = std::fs::read_to_string(info.join("entry_points.txt")) {
            out.extend(entry_points_txt(&text));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|e| seen.insert(e.clone()));
    out
}

/// `entry_points.txt`, read as `importlib.metadata` reads it: `[group]` headers, then
/// `name = value` lines; blank lines and comments skipped.
fn entry_points_txt(text: &str) -> Vec<EntryPoint> {
    let mut out = Vec::new();
    let mut group: Option<&str> = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(g) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            group = Some(g.trim());
        } else if let (Some(g), Some((name, value))) = (group, line.split_once('=')) {
            out.push(EntryPoint {
                group: g.to_string(),
                name: name.trim().to_string(),
                value: value.trim().to_string(),
            });
        }
    }
    out
}

/// `[project.entry-points.<group>]`, `[project.scripts]`, `[project.gui-scripts]` and Poetry's
/// `[tool.poetry.plugins.<group>]` / `[tool.poetry.scripts]`.
fn pyproject(text: &str) -> Vec<EntryPoint> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let table = |path: &[&str]| -> Option<&toml::Table> {
        let mut t = &doc;
        for key in path {
            t = t.get(*key)?.as_table()?;
        }
        Some(t)
    };
    let mut out = Vec::new();
    let mut add = |group: &str, entries: &toml::Table| {
        for (name, value) in entries {
            if let Some(v) = value.as_str() {
                out.push(EntryPoint {
                    group: group.to_string(),
                    name: name.clone(),
                    value: v.to_string(),
                });
            }
        }
    };
    for (path, group) in [
        (&["project", "scripts"][..], "console_scripts"),
        (&["project", "gui-scripts"][..], "gui_scripts"),
        (&["tool", "poetry", "scripts"][..], "console_scripts"),
    ] {
        if let Some(t) = table(path) {
            add(group, t);
        }
    }
    for path in [
        &["project", "entry-points"][..],
        &["tool", "poetry", "plugins"][..],
    ] {
        for (group, entries) in table(path).into_iter().flatten() {
            if let Some(t) = entries.as_table() {
                add(group, t);
            }
        }
    }
    out
}

/// `setup.cfg`'s `[options.entry_points]`: each `group =` key holds `name = value` lines,
/// indented under it (configparser's continuation lines).
fn setup_cfg(text: &str) -> Vec<EntryPoint> {
    let mut out = Vec::new();
    let mut in_section = false;
    let mut group: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with('[') {
            in_section = line == "[options.entry_points]";
            group = None;
            continue;
        }
        if !in_section {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match (indented, &group) {
            (false, _) => {
                group = Some(key.to_string());
                // `group = name = value` on the key's own line
                if let Some((name, v)) = value.split_once('=') {
                    out.push(EntryPoint {
                        group: key.to_string(),
                        name: name.trim().to_string(),
                        value: v.trim().to_string(),
                    });
                }
            }
            (true, Some(g)) => out.push(EntryPoint {
                group: g.clone(),
                name: key.to_string(),
                value: value.to_string(),
            }),
            (true, None) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(eps: &[EntryPoint]) -> Vec<(&str, &str, &str)> {
        eps.iter()
            .map(|e| (e.group.as_str(), e.name.as_str(), e.value.as_str()))
            .collect()
    }

    #[test]
    fn reads_each_declaration_form() {
        let txt = "# generated\n[aleksis.app]\nalsijil = aleksis.apps.alsijil.apps:AlsijilConfig\n\n[console_scripts]\naleksis-admin = aleksis.core.__main__:aleksis_cmd [ldap]\n";
        assert_eq!(
            names(&entry_points_txt(txt)),
            [
                (
                    "aleksis.app",
                    "alsijil",
                    "aleksis.apps.alsijil.apps:AlsijilConfig"
                ),
                (
                    "console_scripts",
                    "aleksis-admin",
                    "aleksis.core.__main__:aleksis_cmd [ldap]"
                ),
            ]
        );
        let toml = "[project.scripts]\nshop = \"shop.cli:main\"\n\n[project.entry-points.\"shop.plugins\"]\npay = \"shop_pay.apps\"\n\n[tool.poetry.plugins.\"shop.themes\"]\ndark = \"shop_dark:Theme\"\n";
        assert_eq!(
            names(&pyproject(toml)),
            [
                ("console_scripts", "shop", "shop.cli:main"),
                ("shop.plugins", "pay", "shop_pay.apps"),
                ("shop.themes", "dark", "shop_dark:Theme"),
            ]
        );
        let cfg = "[metadata]\nname = shop\n\n[options.entry_points]\nshop.plugins =\n    pay = shop_pay.apps\n    ship = shop_ship.apps:ShipConfig\nconsole_scripts = shop = shop.cli:main\n\n[flake8]\nmax-line-length = 99\n";
        assert_eq!(
            names(&setup_cfg(cfg)),
            [
                ("shop.plugins", "pay", "shop_pay.apps"),
                ("shop.plugins", "ship", "shop_ship.apps:ShipConfig"),
                ("console_scripts", "shop", "shop.cli:main"),
            ]
        );
    }

    #[test]
    fn module_and_attr_as_importlib_metadata_splits_them() {
        let ep = |value: &str| EntryPoint {
            group: "g".into(),
            name: "n".into(),
            value: value.into(),
        };
        let e = ep("pkg.mod : obj.attr [extra1, extra2]");
        assert_eq!((e.module(), e.attr()), ("pkg.mod", Some("obj.attr")));
        let e = ep("pkg.mod");
        assert_eq!((e.module(), e.attr()), ("pkg.mod", None));
    }
}

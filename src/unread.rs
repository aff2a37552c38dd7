//! Python files a scan counts but never reads into the inventory, whatever the
//! pre-filter says: they cannot add to what a migration has to move.
//!
//! - Test code (`tests/` packages, `test_*.py`, `conftest.py`, ...): its apps,
//!   routes and models are fixtures, not the application (`--include-tests`
//!   reads it anyway).
//! - Migration files, Django's (`migrations/0001_initial.py`) and Alembic's
//!   (`versions/*.py` declaring `down_revision`): the inventory only counts
//!   them, which needs their paths, not their contents. They are also among
//!   the largest files of a project.
//!
//! Their lines still count in `stats.lines`.

/// Why a file is not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    Test,
    DjangoMigration,
    AlembicRevision,
}

/// Whether the Python file at root-relative `rel` with contents `bytes` is left unread.
pub fn unread(rel: &str, bytes: &[u8], include_tests: bool) -> Option<Unread> {
    if is_django_migration(rel) {
        Some(Unread::DjangoMigration)
    } else if is_alembic_revision(rel, bytes) {
        Some(Unread::AlembicRevision)
    } else if !include_tests && is_test(rel) {
        Some(Unread::Test)
    } else {
        None
    }
}

/// `.../migrations/NNNN_name.py`: Django's migration loader only imports
/// modules of a `migrations` package; their names conventionally start with a
/// number.
pub fn is_django_migration(rel: &str) -> bool {
    let mut parts = rel.rsplit('/');
    let (Some(file), Some(dir)) = (parts.next(), parts.next()) else {
        return false;
    };
    dir == "migrations" && file.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// A revision script under an Alembic `versions/` directory, subdirectories
/// included (`recursive_version_locations`); every one names its parent.
fn is_alembic_revision(rel: &str, bytes: &[u8]) -> bool {
    rel.rsplit('/').skip(1).any(|dir| dir == "versions")
        && memchr::memmem::find(bytes, b"down_revision").is_some()
}

/// The layouts pytest and unittest discover by default, plus test packages.
fn is_test(rel: &str) -> bool {
    let mut parts = rel.rsplit('/');
    let file = parts.next().unwrap_or(rel);
    let stem = file.strip_suffix(".py").unwrap_or(file);
    stem == "tests"
        || stem == "conftest"
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || parts.any(|d| d == "tests" || d == "test" || d == "testing")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_code_is_unread_unless_asked() {
        for rel in [
            "tests/test_app.py",
            "app/tests/helpers.py",
            "pkg/test/urls.py",
            "conftest.py",
            "app/tests.py",
            "app/views_test.py",
        ] {
            assert_eq!(unread(rel, b"", false), Some(Unread::Test), "{rel}");
            assert_eq!(unread(rel, b"", true), None, "{rel}");
        }
        for rel in [
            "app/views.py",
            "app/testimonials.py",
            "contest/urls.py",
            "attest.py",
        ] {
            assert_eq!(unread(rel, b"", false), None, "{rel}");
        }
    }

    #[test]
    fn migrations_are_unread() {
        assert_eq!(
            unread("shop/migrations/0001_initial.py", b"", true),
            Some(Unread::DjangoMigration)
        );
        assert_eq!(unread("shop/migrations/__init__.py", b"", false), None);
        assert_eq!(unread("shop/migrations/utils.py", b"", false), None);
        let revision = b"revision = 'b2'\ndown_revision = 'a1'\n";
        assert_eq!(
            unread("migrations/versions/b2_add.py", revision, true),
            Some(Unread::AlembicRevision)
        );
        assert_eq!(
            unread("migrations/versions/legacy/a0_old.py", revision, true),
            Some(Unread::AlembicRevision)
        );
        assert_eq!(unread("api/versions/v2.py", b"ROUTES = []", false), None);
    }
}

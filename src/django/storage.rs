//! Django's file storage as a built-in: the URL a `FileSystemStorage` serves
//! its files under (`base_url`), where projects mount the views that serve
//! private files (`re_path("^" + storage.base_url.lstrip("/"), ...)`).

use crate::python::interp::{Cx, HostValue, Val};
use crate::python::ir::Call;
use std::any::Any;

/// The storage classes modelled, under the names code imports them by.
pub const CLASSES: &[&str] = &[
    "django.core.files.storage.FileSystemStorage",
    "django.core.files.storage.filesystem.FileSystemStorage",
];

/// A `FileSystemStorage`, with the `base_url` it was given.
#[derive(Debug)]
pub struct Storage {
    base_url: Val,
}

impl HostValue for Storage {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `FileSystemStorage(location=None, base_url=None, ...)`, its arguments given
/// by position, name or `**options` (django-filer's `Storage(**STORAGES[...]["OPTIONS"])`).
pub fn make(cx: &Cx, c: &Call) -> Val {
    let base_url = cx.argument(c, 1, "base_url").unwrap_or(Val::None);
    Val::host(Storage { base_url })
}

/// `storage.base_url`: as given, with a trailing `/`, else `MEDIA_URL`
/// (`media_url`), as Django's property computes it.
pub fn base_url(recv: &Val, media_url: impl FnOnce() -> Val) -> Option<Val> {
    let s = recv.downcast::<Storage>()?;
    Some(match &s.base_url {
        Val::Str(u) if u.ends_with('/') => Val::Str(u.clone()),
        Val::Str(u) => Val::Str(format!("{u}/")),
        Val::None => media_url(),
        other => other.clone(),
    })
}

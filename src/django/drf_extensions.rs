//! drf-extensions' nested routes: `ExtendedDefaultRouter().register(...)` returns a
//! registry item whose own `register(prefix, viewset, basename, parents_query_lookups)`
//! adds a route set to the same router under the parents' prefixes and lookup groups
//! (`projects/(?P<parent_lookup_project>[^/.]+)/values`).
//!
//! Modelled by name, as DRF's own routers are, rather than run from the installed package:
//! the item builds its prefix in a `while` loop over its parents and names each group
//! through a helper that reads drf-extensions' settings object (DRF's `APISettings`), which
//! the interpreter does not follow.

use crate::python::Project;
use crate::python::classes;
use crate::python::interp::Val;
use std::rc::Rc;

/// A `NestedRegistryItem`: the router it adds to, the prefix and viewset (canonical
/// class, when known) of the registration it stands for, and the item it was made from.
#[derive(Debug)]
pub struct NestedItem {
    pub router: usize,
    pub prefix: Val,
    pub viewset: Option<String>,
    pub parent: Option<Rc<NestedItem>>,
}

/// Whether `class` is one of drf-extensions' routers (or a project subclass of one):
/// its `register()` returns a registry item.
pub fn is_nesting_router(project: &Project, class: &str) -> bool {
    let theirs =
        |k: &str| k.starts_with("rest_framework_extensions.routers.") && k.ends_with("Router");
    theirs(class) || classes::mro(project, class).iter().any(|k| theirs(k))
}

/// The prefix `item.register(prefix, ..., parents_query_lookups)` registers under:
/// `'{0}/{1}'.format(item.get_parent_prefix(lookups), prefix)`, each parent adding
/// `{its prefix}/(?P<{kwarg prefix}{lookup}>{its viewset's lookup_value_regex})/`, the
/// lookups taken from the last (a negative index wraps, as Python's does). `kwarg_prefix`
/// is the `DEFAULT_PARENT_LOOKUP_KWARG_NAME_PREFIX` in effect.
pub fn nested_prefix(
    project: &Project,
    item: &Rc<NestedItem>,
    prefix: &Val,
    lookups: &Val,
    kwarg_prefix: &str,
) -> Val {
    let (Val::Str(own), Val::List(lookups) | Val::Tuple(lookups)) = (prefix, lookups) else {
        return Val::Unknown("a nested registration's prefix or parents_query_lookups".into());
    };
    let n = lookups.len() as i64;
    let mut built = "/".to_string();
    let mut i = n - 1;
    let mut current = Some(item.clone());
    while let Some(it) = current {
        let at = if i < 0 { i + n } else { i };
        let (Val::Str(parent_prefix), Some(Val::Str(lookup))) = (
            &it.prefix,
            usize::try_from(at).ok().and_then(|a| lookups.get(a)),
        ) else {
            return Val::Unknown("a parent's prefix or lookup of a nested registration".into());
        };
        let regex = match it.viewset.as_deref() {
            Some(v) => match classes::attr(project, v, "lookup_value_regex") {
                Some((e, _)) => e.as_str().map(String::from),
                None => Some("[^/.]+".into()),
            },
            None => None,
        };
        let Some(regex) = regex else {
            return Val::Unknown("a parent viewset's lookup_value_regex".into());
        };
        built = format!("{parent_prefix}/(?P<{kwarg_prefix}{lookup}>{regex})/{built}");
        i -= 1;
        current = it.parent.clone();
    }
    Val::Str(format!("{}/{own}", built.trim_matches('/')))
}

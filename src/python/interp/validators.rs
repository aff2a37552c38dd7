//! Schema validators called on start-up data: voluptuous's `Schema(...)` is a
//! callable that returns the data it was given once the data is valid
//! (`for entry in schema(RESOURCES): api.add_resource(...)`, as cloudkitty
//! walks its resource tables). The app being scanned starts, so the
//! validation passed, and the value is the data. A library rule (voluptuous
//! is not in the scanned code): without it, every loop over validated data is
//! lost. A schema that fills in defaults (`Optional(k, default=...)`, in its
//! own literal or in a schema it holds) returns data this interpreter does not
//! know: its value is unknown.

use super::eval::Cx;
use super::value::{HostValue, Val};
use crate::python::ir::Call;
use std::any::Any;

/// The classes whose instances return the data they validate.
const SCHEMAS: &[&str] = &["voluptuous.Schema", "voluptuous.schema_builder.Schema"];

#[derive(Debug)]
struct Schema {
    /// Whether validating may add keys (a `default=` in its definition).
    fills_defaults: bool,
}

impl HostValue for Schema {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `Schema(...)` made by a call of one of those classes.
pub fn make(cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    if !SCHEMAS.contains(&canonical) {
        return None;
    }
    let fills_defaults = c.args.iter().any(|a| {
        let mut calls = Vec::new();
        a.walk_calls(&mut calls);
        // a default in its literal, or a schema it holds by name (`Schema([RESOURCE])`)
        calls.iter().any(|k| k.kwarg("default").is_some()) || holds_defaults(&cx.eval(a))
    });
    Some(Val::host(Schema { fills_defaults }))
}

/// Whether a value is, or holds, a schema that fills in defaults.
fn holds_defaults(v: &Val) -> bool {
    match v {
        Val::Host(_) => v.downcast::<Schema>().is_some_and(|s| s.fills_defaults),
        Val::List(items) | Val::Tuple(items) => items.iter().any(holds_defaults),
        Val::Dict(pairs) => pairs
            .iter()
            .any(|(k, v)| holds_defaults(k) || holds_defaults(v)),
        _ => false,
    }
}

/// `schema(data)`: the data (`None` when `v` is not a schema).
pub fn call(cx: &Cx, v: &Val, c: &Call) -> Option<Val> {
    let schema = v.downcast::<Schema>()?;
    Some(
        match (c.args.as_ref(), c.kwargs.is_empty() && !c.has_splat()) {
            ([data], true) if !schema.fills_defaults => cx.eval(data),
            _ => Val::Unknown(format!("{}(...)", c.func.describe())),
        },
    )
}

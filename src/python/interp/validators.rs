//! Schema validators called on start-up data: voluptuous's `Schema(...)` is a
//! callable that returns the data it was given once the data is valid
//! (`for entry in schema(RESOURCES): api.add_resource(...)`, as cloudkitty
//! walks its resource tables). The app being scanned starts, so the
//! validation passed, and the value is the data. A library rule (voluptuous
//! is not in the scanned code): without it, every loop over validated data is
//! lost. Defaults that a schema fills in (`Optional(k, default=...)`) are not
//! modelled: a key read only through one stays unknown.

use super::eval::Cx;
use super::value::{HostValue, Val};
use crate::python::ir::Call;
use std::any::Any;

/// The classes whose instances return the data they validate.
const SCHEMAS: &[&str] = &["voluptuous.Schema", "voluptuous.schema_builder.Schema"];

#[derive(Debug)]
struct Schema;

impl HostValue for Schema {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `Schema(...)` made by a call of one of those classes.
pub fn make(canonical: &str) -> Option<Val> {
    SCHEMAS.contains(&canonical).then(|| Val::host(Schema))
}

/// `schema(data)`: the data (`None` when `v` is not a schema).
pub fn call(cx: &Cx, v: &Val, c: &Call) -> Option<Val> {
    v.downcast::<Schema>()?;
    Some(
        match (c.args.as_ref(), c.kwargs.is_empty() && !c.has_splat()) {
            ([data], true) => cx.eval(data),
            _ => Val::Unknown(format!("{}(...)", c.func.describe())),
        },
    )
}

//! Pure translations used by the Flask→Django plan: werkzeug URL rules to Django `path()` /
//! `re_path()`, HTTP methods to a view decorator, SQLAlchemy column types to Django fields.

use crate::flask::rule::{Part, parse_rule};

/// A Flask rule translated for Django.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DjangoRoute {
    /// `path` or `re_path`.
    pub function: &'static str,
    /// The pattern as it would appear in urls.py (no leading slash; regex anchored for re_path).
    pub pattern: String,
    /// Converters that have no Django counterpart (they forced `re_path` or need a custom converter).
    pub unsupported: Vec<String>,
}

impl DjangoRoute {
    /// `path('forum/<int:id>', view, name='name')`.
    pub fn call(&self, view: &str, name: Option<&str>) -> String {
        let pat = if self.function == "re_path" {
            format!("r'{}'", self.pattern)
        } else {
            format!("'{}'", self.pattern)
        };
        match name {
            Some(n) => format!("{}({pat}, {view}, name='{n}')", self.function),
            None => format!("{}({pat}, {view})", self.function),
        }
    }
}

/// The Django converter for a werkzeug converter, when `path()` can express it.
fn path_converter(conv: &str, args: Option<&str>) -> Option<&'static str> {
    if args.is_some() {
        return None; // int(min=1), string(length=2), ...: Django converters take no arguments.
    }
    match conv {
        "default" | "string" => Some("str"),
        "int" => Some("int"),
        "path" => Some("path"),
        "uuid" => Some("uuid"),
        _ => None,
    }
}

/// A regex for a werkzeug converter (for `re_path`).
fn regex_for(conv: &str, args: Option<&str>) -> String {
    match conv {
        "int" => "[0-9]+".into(),
        "float" => r"[0-9]+\.[0-9]+".into(),
        "path" => ".+".into(),
        "uuid" => {
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}".into()
        }
        "any" => {
            let alts: Vec<String> = args
                .unwrap_or("")
                .split(',')
                .map(|a| a.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
                .filter(|a| !a.is_empty())
                .map(|a| regex_escape(&a))
                .collect();
            alts.join("|")
        }
        "default" | "string" => match args.and_then(string_length) {
            Some(n) => format!("[^/]{{{n}}}"),
            None => "[^/]+".into(),
        },
        _ => "[^/]+".into(),
    }
}

fn string_length(args: &str) -> Option<String> {
    args.split(',').find_map(|a| {
        let (k, v) = a.split_once('=')?;
        (k.trim() == "length").then(|| v.trim().to_string())
    })
}

pub fn regex_escape(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        if ".^$*+?()[]{}|\\".contains(c) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// Translates a werkzeug rule (`/forum/<int:forum_id>`) into Django's URLconf syntax.
pub fn flask_rule_to_django(rule: &str) -> DjangoRoute {
    let parts = parse_rule(rule.strip_prefix('/').unwrap_or(rule));
    let mut unsupported = Vec::new();
    for p in &parts {
        if let Part::Var { conv, args, .. } = p
            && path_converter(conv, args.as_deref()).is_none()
        {
            unsupported.push(match args {
                Some(a) => format!("{conv}({a})"),
                None => conv.clone(),
            });
        }
    }
    if unsupported.is_empty() {
        let mut pattern = String::new();
        for p in &parts {
            match p {
                Part::Lit(s) => pattern.push_str(s),
                Part::Var { conv, args, name } => {
                    let c = path_converter(conv, args.as_deref()).unwrap_or("str");
                    pattern.push_str(&format!("<{c}:{name}>"));
                }
            }
        }
        DjangoRoute {
            function: "path",
            pattern,
            unsupported,
        }
    } else {
        let mut pattern = String::from("^");
        for p in &parts {
            match p {
                Part::Lit(s) => pattern.push_str(&regex_escape(s)),
                Part::Var { conv, args, name } => {
                    pattern.push_str(&format!("(?P<{name}>{})", regex_for(conv, args.as_deref())));
                }
            }
        }
        pattern.push('$');
        DjangoRoute {
            function: "re_path",
            pattern,
            unsupported,
        }
    }
}

/// The Django view decorator for a route's methods (Django's URL resolver ignores methods).
pub fn methods_decorator(methods: &[String]) -> Option<String> {
    let mut m: Vec<String> = methods
        .iter()
        .map(|s| s.to_ascii_uppercase())
        .filter(|s| s != "HEAD" && s != "OPTIONS")
        .collect();
    m.sort();
    m.dedup();
    match m.as_slice() {
        [] => None,
        [one] if one == "GET" => Some("@require_GET".into()),
        [one] if one == "POST" => Some("@require_POST".into()),
        _ => Some(format!(
            "@require_http_methods([{}])",
            m.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The proposed Django field for a SQLAlchemy column type (`String(120)`, `db.Integer`,
/// `sa.Enum(...)`); None when there is no direct counterpart.
pub fn django_field(sa_type: &str, pk: bool, foreign_key: Option<&str>) -> Option<String> {
    if let Some(fk) = foreign_key {
        let target = fk.split('.').next().unwrap_or(fk);
        return Some(format!(
            "ForeignKey('{target}', on_delete=models.CASCADE, db_column=...)  # from {fk}"
        ));
    }
    let t = sa_type.trim();
    let t = t
        .strip_prefix("db.")
        .or_else(|| t.strip_prefix("sa."))
        .or_else(|| t.strip_prefix("sqlalchemy."))
        .or_else(|| t.strip_prefix("types."))
        .unwrap_or(t);
    let (base, args) = match t.find('(') {
        Some(i) => (&t[..i], t[i + 1..].trim_end_matches(')').trim()),
        None => (t, ""),
    };
    let base = base.rsplit('.').next().unwrap_or(base);
    let first_arg = args.split(',').next().unwrap_or("").trim();
    let numeric_len = first_arg.chars().all(|c| c.is_ascii_digit()) && !first_arg.is_empty();
    let f = match base.to_ascii_lowercase().as_str() {
        "integer" | "int" if pk => "AutoField(primary_key=True)".to_string(),
        "biginteger" | "bigint" if pk => "BigAutoField(primary_key=True)".to_string(),
        "integer" | "int" => "IntegerField()".into(),
        "biginteger" | "bigint" => "BigIntegerField()".into(),
        "smallinteger" | "smallint" => "SmallIntegerField()".into(),
        "string" | "unicode" | "varchar" | "char" | "nvarchar" if numeric_len => {
            format!("CharField(max_length={first_arg})")
        }
        "string" | "unicode" | "varchar" | "nvarchar" => {
            "CharField(max_length=255)  # no length in SQLAlchemy".into()
        }
        "text" | "unicodetext" | "clob" => "TextField()".into(),
        "boolean" | "bool" => "BooleanField()".into(),
        "datetime" | "timestamp" => "DateTimeField()".into(),
        "date" => "DateField()".into(),
        "time" => "TimeField()".into(),
        "interval" => "DurationField()".into(),
        "float" | "real" | "double" | "double_precision" => "FloatField()".into(),
        "numeric" | "decimal" => "DecimalField(max_digits=..., decimal_places=...)".into(),
        "largebinary" | "binary" | "blob" | "bytea" | "varbinary" => "BinaryField()".into(),
        "json" | "jsonb" => "JSONField()".into(),
        "uuid" | "uuidtype" => "UUIDField()".into(),
        "enum" => "CharField(max_length=..., choices=...)  # or TextChoices".into(),
        "array" => "ArrayField(...)  # django.contrib.postgres".into(),
        "inet" | "ipaddresstype" => "GenericIPAddressField()".into(),
        "emailtype" => "EmailField()".into(),
        "urltype" => "URLField()".into(),
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(rule: &str) -> String {
        let d = flask_rule_to_django(rule);
        format!("{} {}", d.function, d.pattern)
    }

    #[test]
    fn converters() {
        assert_eq!(p("/forum/<int:forum_id>"), "path forum/<int:forum_id>");
        assert_eq!(p("/files/<path:p>"), "path files/<path:p>");
        assert_eq!(p("/u/<string:x>/<y>"), "path u/<str:x>/<str:y>");
        assert_eq!(p("/t/<uuid:u>"), "path t/<uuid:u>");
        assert_eq!(p("/"), "path ");
        assert_eq!(p("/about/"), "path about/");
        assert_eq!(
            p("/price/<float:f>"),
            r"re_path ^price/(?P<f>[0-9]+\.[0-9]+)$"
        );
        assert_eq!(
            p("/<any(about, help):page>"),
            "re_path ^(?P<page>about|help)$"
        );
        assert_eq!(p("/p/<int(min=1):n>"), "re_path ^p/(?P<n>[0-9]+)$");
        assert_eq!(p("/c/<string(length=2):cc>"), "re_path ^c/(?P<cc>[^/]{2})$");
        assert_eq!(p("/x/<custom:v>.json"), r"re_path ^x/(?P<v>[^/]+)\.json$");
        let d = flask_rule_to_django("/price/<float:f>");
        assert_eq!(d.unsupported, vec!["float"]);
        assert_eq!(
            d.call("views.price", Some("shop:price")),
            r"re_path(r'^price/(?P<f>[0-9]+\.[0-9]+)$', views.price, name='shop:price')"
        );
        assert_eq!(
            flask_rule_to_django("/a/<int:id>").call("views.a", None),
            "path('a/<int:id>', views.a)"
        );
    }

    #[test]
    fn methods() {
        let m =
            |v: &[&str]| methods_decorator(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(m(&["GET"]).unwrap(), "@require_GET");
        assert_eq!(m(&["POST", "HEAD"]).unwrap(), "@require_POST");
        assert_eq!(
            m(&["POST", "GET"]).unwrap(),
            "@require_http_methods([\"GET\", \"POST\"])"
        );
        assert_eq!(m(&[]), None);
    }

    #[test]
    fn fields() {
        assert_eq!(
            django_field("Integer", true, None).unwrap(),
            "AutoField(primary_key=True)"
        );
        assert_eq!(
            django_field("db.String(120)", false, None).unwrap(),
            "CharField(max_length=120)"
        );
        assert_eq!(django_field("sa.Text", false, None).unwrap(), "TextField()");
        assert_eq!(
            django_field("DateTime(timezone=True)", false, None).unwrap(),
            "DateTimeField()"
        );
        assert_eq!(
            django_field("postgresql.JSONB", false, None).unwrap(),
            "JSONField()"
        );
        assert!(
            django_field("Integer", false, Some("users.id"))
                .unwrap()
                .starts_with("ForeignKey('users'")
        );
        assert_eq!(django_field("PickleType", false, None), None);
        assert_eq!(django_field("MyCustomType", false, None), None);
    }
}

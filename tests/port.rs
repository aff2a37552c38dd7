//! `crossport port`: the draft is deterministic, never lands in a non-empty folder or in the
//! scanned repository, and every construct it cannot convert is a counted TODO at its place.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/flask_port");

fn crossport(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn port_json(src: &str, out: &Path, extra: &[&str]) -> (Output, serde_json::Value) {
    let mut args = vec![
        "port",
        src,
        "--to",
        "django",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let o = crossport(&args);
    let v = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (o, v)
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn same_input_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(port_json(FIXTURE, &a, &[]).0.status.success());
    assert!(
        port_json(FIXTURE, &b, &["--threads", "1"])
            .0
            .status
            .success()
    );
    let (fa, fb) = (files(&a), files(&b));
    assert!(
        fa.len() > 10,
        "{:?}",
        fa.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(fa, fb);
    // Nothing is left beside the output: the staging folder was renamed into place.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn the_fixture_ports_without_todo() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (o, v) = port_json(FIXTURE, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(v["todos"].as_array().unwrap().len(), 0, "{:#}", v["todos"]);
    assert_eq!(v["summary"]["model"]["total"], 3);
    assert_eq!(v["summary"]["association_table"]["total"], 1);
    assert_eq!(v["summary"]["route"]["total"], 9);
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    // The attribute differs from the column, the key rides on the relationship's name.
    assert!(
        models.contains(
            "score = models.IntegerField(db_column=\"score_value\", null=True, default=0)"
        ),
        "{models}"
    );
    assert!(
        models.contains("author = models.ForeignKey(\n        \"blogapp.User\", on_delete=models.CASCADE, related_name=\"posts\"\n    )"),
        "{models}"
    );
    assert!(
        models.contains("pk = models.CompositePrimaryKey(\"post_id\", \"tag_id\")"),
        "{models}"
    );
    // __table_args__: the unique constraint and the index by field names, under their names.
    assert!(
        models.contains("        constraints = [\n            models.UniqueConstraint(\n                fields=[\"author\", \"title\"], name=\"one_title_per_author\"\n            ),\n        ]\n        indexes = [\n            models.Index(fields=[\"author\", \"score\"], name=\"ix_post_author_score\"),\n        ]\n"),
        "{models}"
    );
    let settings = std::fs::read_to_string(out.join("config/settings.py")).unwrap();
    assert!(
        settings.contains("AUTH_USER_MODEL = \"blogapp.User\""),
        "{settings}"
    );
    let views = std::fs::read_to_string(out.join("blogapp/views.py")).unwrap();
    assert!(
        views.contains("@login_required\ndef edit(request, slug):"),
        "{views}"
    );
    let urls = std::fs::read_to_string(out.join("blogapp/urls.py")).unwrap();
    assert!(
        urls.contains("path(\"blog/archive/<float:year>\", views.archive"),
        "{urls}"
    );
}

#[test]
fn refuses_a_non_empty_folder_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let (o, _) = port_json(FIXTURE, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    let (o, _) = port_json(FIXTURE, &out, &["--force"]);
    assert!(o.status.success());
    assert!(!out.join("keep.txt").exists() && out.join("manage.py").exists());
}

#[test]
fn never_writes_into_the_scanned_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    common::copy_dir(Path::new(FIXTURE), &repo);
    let (o, _) = port_json(repo.to_str().unwrap(), &repo.join("django"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inside the scanned repository"));
    assert!(!repo.join("django").exists());
}

#[test]
fn what_cannot_be_converted_is_a_counted_todo_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    common::copy_dir(Path::new(FIXTURE), &repo);
    let views = repo.join("blogapp/blog/views.py");
    let mut text = std::fs::read_to_string(&views).unwrap();
    text.push_str("\n\n@bp.route(\"/page/<int(min=1):n>\")\ndef page(n):\n    return str(n)\n");
    std::fs::write(&views, text).unwrap();
    let models = repo.join("blogapp/models.py");
    let text = std::fs::read_to_string(&models).unwrap().replace(
        "    body = db.Column(db.Text)\n",
        "    body = db.Column(db.Text)\n    blob = db.Column(PickleType)\n",
    );
    std::fs::write(&models, text).unwrap();
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    let todos = v["todos"].as_array().unwrap();
    let mut codes: Vec<&str> = todos.iter().map(|t| t["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["CP102", "CP205"], "{todos:#?}");
    let conv = todos.iter().find(|t| t["code"] == "CP102").unwrap();
    assert_eq!(conv["file"], "blogapp/blog/views.py");
    assert!(conv["line"].as_u64().unwrap() > 35);
    assert_eq!(v["summary"]["route"]["todo"], 1);
    assert_eq!(v["summary"]["model"]["todo"], 1);
    let urls = std::fs::read_to_string(out.join("blogapp/urls.py")).unwrap();
    assert!(
        urls.contains("# TODO(CP102): converter int(min=1)"),
        "{urls}"
    );
    assert!(
        urls.contains("re_path(\"^blog/page/(?P<n>[0-9]+)$\", views.page"),
        "{urls}"
    );
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    assert!(
        models.contains("# TODO(CP205): column `blob` has type `PickleType`"),
        "{models}"
    );
    let porting = std::fs::read_to_string(out.join("PORTING.md")).unwrap();
    assert!(porting.contains("## TODO (2)"), "{porting}");
}

#[test]
fn a_python_without_django_is_a_finding_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("fakepy");
    // A "Python" that knows none of the frameworks: it fails every import.
    std::fs::write(
        &fake,
        "#!/bin/sh\necho 'ModuleNotFoundError: No module named django' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = tmp.path().join("out");
    let (o, v) = port_json(
        FIXTURE,
        &out,
        &["--verify", "--python", fake.to_str().unwrap()],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let findings = v["verification"]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f.as_str().unwrap().contains("No module named django")),
        "{findings:?}"
    );
    assert_eq!(v["verification"]["all_verified"], false);
    assert!(
        std::fs::read_to_string(out.join("PORTING.md"))
            .unwrap()
            .contains("verifier: FAILED")
    );
}

#[test]
fn help_teaches_the_workflow() {
    let o = crossport(&["port", "--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for step in [
        "--verify",
        "PORTING.md",
        "commit the draft",
        "TODO(CPxxx)",
        "--to flask",
        "alembic check",
    ] {
        assert!(text.contains(step), "{step}: {text}");
    }
}

const DJANGO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/django_port");

/// A copy of `fixture` in `tmp/repo` with `file` rewritten by `edit` (which must change it).
fn edited_copy(
    fixture: &str,
    tmp: &Path,
    file: &str,
    edit: impl FnOnce(String) -> String,
) -> PathBuf {
    let repo = tmp.join("repo");
    common::copy_dir(Path::new(fixture), &repo);
    let path = repo.join(file);
    let before = std::fs::read_to_string(&path).unwrap();
    let after = edit(before.clone());
    assert_ne!(before, after, "the edit of {file} changed nothing");
    std::fs::write(&path, after).unwrap();
    repo
}

/// `port REPO --to flask|django --out TMP/out EXTRA`, which must succeed: (out, JSON document).
fn port_ok(
    repo: &Path,
    tmp: &Path,
    to_flask: bool,
    extra: &[&str],
) -> (PathBuf, serde_json::Value) {
    let out = tmp.join("out");
    let src = repo.to_str().unwrap();
    let (o, v) = if to_flask {
        port_flask(src, &out, extra)
    } else {
        port_json(src, &out, extra)
    };
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (out, v)
}

fn port_flask(src: &str, out: &Path, extra: &[&str]) -> (Output, serde_json::Value) {
    let mut args = vec![
        "port",
        src,
        "--to",
        "flask",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let o = crossport(&args);
    let v = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (o, v)
}

#[test]
fn django_to_flask_is_deterministic_and_converts_the_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (o, v) = port_flask(DJANGO, &a, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        port_flask(DJANGO, &b, &["--threads", "1"])
            .0
            .status
            .success()
    );
    assert_eq!(files(&a), files(&b));
    assert_eq!(v["direction"], "django->flask");
    assert_eq!(v["apps"], serde_json::json!(["catalog"]));
    assert_eq!(v["todos"].as_array().unwrap().len(), 0, "{:#}", v["todos"]);
    assert_eq!(v["summary"]["model"]["total"], 5);
    assert_eq!(v["summary"]["association_table"]["total"], 1);
    assert_eq!(v["summary"]["route"]["total"], 9);
    let models = std::fs::read_to_string(a.join("catalog_service/models.py")).unwrap();
    for want in [
        "__tablename__ = \"shop_category\"",
        "title: Mapped[str] = mapped_column(\"product_title\", String(200))",
        "ForeignKey(\"accounts_team.id\", deferrable=True, initially=\"DEFERRED\")",
        "catalog_product_tags = Table(",
        "Table(\"accounts_team\", Base.metadata, Column(\"id\", Integer, primary_key=True))",
        // Meta: unique_together, a named UniqueConstraint, named and unnamed indexes.
        "django_index_name(\"shop_category\", [\"name\", \"slug\"], \"_uniq\")",
        "UniqueConstraint(\"product_id\", \"posted_at\", name=\"one_review_per_moment\")",
        "Index(django_meta_index_name(\"catalog_review\", [\"score\"]), \"score\")",
        "Index(\"review_recent_idx\", \"posted_at\", \"score\")",
        // Multi-table inheritance: the child's key is its link to the parent's row.
        "    product_ptr_id: Mapped[int] = mapped_column(\n        BigInteger,\n        ForeignKey(\"catalog_product.id\", deferrable=True, initially=\"DEFERRED\"),\n        primary_key=True,",
    ] {
        assert!(models.contains(want), "{want}\n{models}");
    }
    let routes = std::fs::read_to_string(a.join("catalog_service/routes.py")).unwrap();
    for want in [
        "@bp.route(\"/shop/categories/<slug>/\"",
        "'/shop/archive/<re(\"[0-9]{4}\"):year>/<re(\"[0-9]{2}\"):month>/'",
        "@permission_required(\"catalog.change_product\")\ndef edit_product(pk):",
        "@login_required\ndef product_by_sku(sku):",
    ] {
        assert!(routes.contains(want), "{want}\n{routes}");
    }
    let client = std::fs::read_to_string(a.join("catalog_client.py")).unwrap();
    assert!(
        client.contains("accounts/views.py:16, accounts/views.py:22"),
        "{client}"
    );
    assert!(a.join("migrations/env.py").exists() && a.join("alembic.ini").exists());
}

#[test]
fn django_to_flask_refuses_a_non_empty_folder_and_an_unknown_app() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let (o, _) = port_flask(DJANGO, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not empty"));
    let (o, _) = port_flask(DJANGO, &tmp.path().join("x"), &["--app", "nosuch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("catalog"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (o, v) = port_flask(DJANGO, &tmp.path().join("acc"), &["--app", "accounts"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(v["apps"], serde_json::json!(["accounts"]));
    assert_eq!(v["summary"]["route"]["total"], 3);
}

#[test]
fn django_to_flask_counts_what_it_cannot_convert() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    common::copy_dir(Path::new(DJANGO), &repo);
    let models = repo.join("catalog/models.py");
    let text = std::fs::read_to_string(&models).unwrap().replace(
        "    label = models.CharField(max_length=30, db_index=True)\n",
        "    label = models.CharField(max_length=30, db_index=True)\n    colour = ColourField()\n",
    );
    // A descending index is not read: the service's metadata lacks it, a counted TODO.
    let text = text.replace(
        "models.Index(fields=[\"score\"]),",
        "models.Index(fields=[\"-score\"], name=\"score_desc\"),",
    );
    std::fs::write(
        &models,
        format!("from colorfield.fields import ColourField\n{text}"),
    )
    .unwrap();
    let urls = repo.join("catalog/urls.py");
    let text = std::fs::read_to_string(&urls).unwrap().replace(
        "    path(\"stats/\"",
        "    re_path(r\"^page/(\\d+)/$\", views.media, name=\"page\"),\n    path(\"stats/\"",
    );
    std::fs::write(&urls, text).unwrap();
    let out = tmp.path().join("out");
    // One more route makes `accounts` the cheaper app to carve out: name the one to extract.
    let (o, v) = port_flask(repo.to_str().unwrap(), &out, &["--app", "catalog"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let todos = v["todos"].as_array().unwrap();
    let mut codes: Vec<&str> = todos.iter().map(|t| t["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["CP207", "CP703", "CP704"], "{todos:#?}");
    assert!(
        todos.iter().any(|t| t["code"] == "CP207"
            && t["reason"].as_str().unwrap().contains("-score")
            && t["reason"]
                .as_str()
                .unwrap()
                .contains("is not carried over")),
        "{todos:#?}"
    );
    assert_eq!(v["summary"]["model"]["todo"], 2); // Tag (CP703), Review (CP207)
    assert_eq!(v["summary"]["route"]["todo"], 1);
    let route = todos.iter().find(|t| t["code"] == "CP704").unwrap();
    assert_eq!(route["file"], "catalog/urls.py");
    let models = std::fs::read_to_string(out.join("catalog_service/models.py")).unwrap();
    assert!(
        models.contains("# TODO(CP703): column `colour` has type `ColourField`"),
        "{models}"
    );
    let routes = std::fs::read_to_string(out.join("catalog_service/routes.py")).unwrap();
    assert!(
        routes.contains("# TODO(CP704): `shop/^page/(\\d+)/$`"),
        "{routes}"
    );
    let porting = std::fs::read_to_string(out.join("PORTING.md")).unwrap();
    assert!(porting.contains("## TODO (3)"), "{porting}");
}

/// An association table with no primary key: the draft declares its two keys as the composite
/// key (a counted CP203), and a key column cannot keep `null=True` (Django's fields.E007 would
/// fail `manage.py check`, and with it the comparison of every other table).
#[test]
fn an_association_table_without_a_key_gets_a_key_django_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/models.py", |t| {
        t.replace(
            "db.ForeignKey(\"post.id\"), primary_key=True",
            "db.ForeignKey(\"post.id\")",
        )
        .replace(
            "db.ForeignKey(\"tag.id\"), primary_key=True",
            "db.ForeignKey(\"tag.id\")",
        )
    });
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    let codes: Vec<&str> = v["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CP203"], "{v:#?}");
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    let assoc = &models[models.find("class TagPostTags").unwrap()..];
    assert!(
        assoc.contains("pk = models.CompositePrimaryKey(\"post_id\", \"tag_id\")"),
        "{assoc}"
    );
    assert!(
        assoc.contains("post = models.ForeignKey(\"blogapp.Post\", on_delete=models.DO_NOTHING)\n"),
        "{assoc}"
    );
    assert!(
        !assoc[..assoc.find("class Meta").unwrap()].contains("null=True"),
        "{assoc}"
    );
}

/// A foreign key to a column that is not unique: the database accepts it, Django's ForeignKey
/// does not (fields.E311 would stop `manage.py check`). It stays a plain column with a counted
/// CP207; a key to a unique column stays a ForeignKey with `to_field`.
#[test]
fn a_key_to_a_column_that_is_not_unique_is_a_plain_column_and_a_todo() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/models.py", |t| {
        t + "\n\nclass Pair(db.Model):\n    a = db.Column(db.Integer, primary_key=True)\n    \
           b = db.Column(db.Integer, primary_key=True)\n\n\n\
           class Mention(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    \
           post_title = db.Column(db.String(200), db.ForeignKey(\"post.title\"), nullable=False)\n    \
           tag_name = db.Column(db.String(50), db.ForeignKey(\"tag.name\"), nullable=False)\n    \
           pair_a = db.Column(db.Integer, db.ForeignKey(\"pair.a\"), nullable=False)\n"
    });
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    // One CP207 per key whose target is not unique (a column of a composite key is not).
    let mut not_unique: Vec<&str> = v["todos"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["code"] == "CP207")
        .filter_map(|t| t["reason"].as_str())
        .filter(|r| r.contains("not unique"))
        .collect();
    not_unique.sort();
    assert_eq!(not_unique.len(), 2, "{v:#?}");
    assert!(
        not_unique[0].starts_with("`pair_a` refers to `Pair.a`"),
        "{not_unique:?}"
    );
    assert!(
        not_unique[1].starts_with("`post_title` refers to `Post.title`"),
        "{not_unique:?}"
    );
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    let mention = &models[models.find("class Mention").unwrap()..];
    assert!(
        mention.contains("post_title = models.CharField(max_length=200)"),
        "{mention}"
    );
    assert!(
        mention.contains("pair_a = models.IntegerField()"),
        "{mention}"
    );
    assert!(
        mention.contains("models.ForeignKey(\"blogapp.Tag\"")
            && mention.contains("to_field=\"name\""),
        "{mention}"
    );
}

#[test]
fn a_child_through_an_abstract_model_links_to_its_concrete_ancestor() {
    // Django links a child to its nearest concrete ancestor, also across an abstract model that
    // subclasses a concrete one.
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(DJANGO, tmp.path(), "catalog/models.py", |t| {
        t + "\n\nclass _Printed(Product):\n    class Meta:\n        abstract = True\n\n\nclass Book(_Printed):\n    pages = models.IntegerField()\n"
    });
    let (out, v) = port_ok(&repo, tmp.path(), true, &["--app", "catalog"]);
    assert_eq!(v["todos"].as_array().unwrap().len(), 0, "{:#}", v["todos"]);
    let models = std::fs::read_to_string(out.join("catalog_service/models.py")).unwrap();
    let book = &models[models.find("class Book(Base)").expect("Book generated")..];
    let book = &book[..book[1..].find("\nclass ").map_or(book.len(), |i| i + 1)];
    assert!(book.contains("product_ptr_id: Mapped[int]"), "{book}");
    assert!(!book.contains("    id: Mapped"), "{book}");
}

#[test]
fn a_table_mapped_by_two_unrelated_classes_is_ported_once() {
    // A frozen copy of a model on a declarative base of its own (as projects keep for their
    // migrations) maps the same table: not single-table inheritance, since neither class
    // inherits from the other. Django gets one model, from the mapping with more columns.
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    common::copy_dir(Path::new(FIXTURE), &repo);
    std::fs::write(
        repo.join("blogapp/frozen.py"),
        "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n\n\nclass Tag(Base):\n    __tablename__ = \"tag\"\n    id = Column(Integer, primary_key=True)\n",
    )
    .unwrap();
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    let todos = v["todos"].as_array().unwrap();
    assert_eq!(todos.len(), 1, "{todos:#?}");
    assert_eq!(todos[0]["code"], "CP201");
    assert_eq!(todos[0]["construct"], "blogapp.frozen.Tag");
    assert!(
        todos[0]["reason"]
            .as_str()
            .unwrap()
            .contains("blogapp.models.Tag")
    );
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    assert_eq!(models.matches("db_table = \"tag\"").count(), 1, "{models}");
    assert!(!models.contains("proxy = True"), "{models}");
    assert!(
        models.contains("name = models.CharField(max_length=50, unique=True)"),
        "{models}"
    );
}

#[test]
fn a_plain_class_mapped_on_a_models_table_is_a_proxy() {
    // `mapper(Plain, Tag.__table__)` (pegasus-wms' ensembles): a second class on the rows of
    // a model's table, its columns the model's own: ported as a proxy of that model, no TODO.
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    common::copy_dir(Path::new(FIXTURE), &repo);
    // in a module read before the models: the model still owns the table
    std::fs::write(
        repo.join("blogapp/labels.py"),
        "from sqlalchemy.orm import mapper

from blogapp.models import Tag


class Label:
    pass


mapper(Label, Tag.__table__)
",
    )
    .unwrap();
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    assert_eq!(v["todos"].as_array().unwrap().len(), 0, "{:#}", v["todos"]);
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    assert_eq!(models.matches("db_table = \"tag\"").count(), 1, "{models}");
    let label = &models[models.find("class Label(Tag):").expect("a proxy of Tag")..];
    assert!(label.contains("        proxy = True\n"), "{models}");
}

#[test]
fn a_url_split_by_method_goes_to_a_dispatcher() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/blog/views.py", |mut t| {
        for (methods, name) in [
            ("\"POST\"", "like"),
            ("\"DELETE\"", "unlike"),
            ("\"GET\", \"DELETE\"", "likes"),
        ] {
            t.push_str(&format!(
                "\n\n@bp.route(\"/<int:post_id>/like\", methods=[{methods}])\ndef {name}(post_id):\n    return \"\"\n"
            ));
        }
        t
    });
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    // DELETE is taken by `unlike`: `likes` would be shadowed, the one TODO.
    let todos = v["todos"].as_array().unwrap();
    assert_eq!(todos.len(), 1, "{todos:#?}");
    assert_eq!(todos[0]["code"], "CP101");
    assert_eq!(todos[0]["construct"], "/blog/<int:post_id>/like");
    let views = std::fs::read_to_string(out.join("blogapp/views.py")).unwrap();
    assert!(
        views.contains("def like_by_method(request, post_id):\n    \"\"\"/blog/<int:post_id>/like: Flask sent each method to its own view.\"\"\"\n    views = {\"DELETE\": unlike, \"POST\": like}\n    if request.method not in views:\n        return HttpResponseNotAllowed(list(views))\n    return views[request.method](request, post_id=post_id)\n"),
        "{views}"
    );
    let urls = std::fs::read_to_string(out.join("blogapp/urls.py")).unwrap();
    for name in ["like", "unlike"] {
        assert!(
            urls.contains(&format!(
                "path(\"blog/<int:post_id>/like\", views.like_by_method, name=\"{name}\")"
            )),
            "{urls}"
        );
    }
}

#[test]
fn an_optional_trailing_slash_becomes_two_rules_and_an_open_pattern_takes_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(DJANGO, tmp.path(), "catalog/urls.py", |t| {
        t.replace(
            "    path(\"stats/\"",
            "    re_path(r\"^feed\\.(?P<format>[a-z0-9]+)/?$\", views.media, name=\"feed\"),\n    re_path(r\"^open/\", views.media, name=\"open\"),\n    path(\"stats/\"",
        )
    });
    let (out, v) = port_ok(&repo, tmp.path(), true, &["--app", "catalog"]);
    let todos = v["todos"].as_array().unwrap();
    assert!(todos.is_empty(), "{todos:#?}");
    let routes = std::fs::read_to_string(out.join("catalog_service/routes.py")).unwrap();
    // Without `$`, Django serves `/shop/open/` and every URL under it: so does the rule.
    assert!(
        routes.contains("'/shop/open/<re(\".*\"):_rest>',") && routes.contains("def open(_rest):"),
        "{routes}"
    );
    // The rule without the slash is registered first (the lower decorator): url_for builds it.
    assert!(
        routes.contains("@bp.route(\n    '/shop/feed.<re(\"[a-z0-9]+\"):format>/',\n    methods=[\"GET\", \"POST\", \"PUT\", \"PATCH\", \"DELETE\"],\n)\n@bp.route(\n    '/shop/feed.<re(\"[a-z0-9]+\"):format>',\n    methods=[\"GET\", \"POST\", \"PUT\", \"PATCH\", \"DELETE\"],\n)\ndef feed(format):"),
        "{routes}"
    );
}

#[test]
fn a_project_field_class_is_mapped_as_the_django_field_it_derives_from() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(DJANGO, tmp.path(), "catalog/models.py", |t| {
        t.replace(
            "class Tag(models.Model):\n",
            "class Percent(models.SmallIntegerField):\n    pass\n\n\nclass Tag(models.Model):\n    share = Percent()\n",
        )
    });
    let (out, v) = port_ok(&repo, tmp.path(), true, &["--app", "catalog"]);
    let todos = v["todos"].as_array().unwrap();
    assert_eq!(todos.len(), 1, "{todos:#?}");
    assert!(
        todos[0]["reason"].as_str().unwrap().contains(
            "the project's field class `Percent`: mapped as its Django base `SmallIntegerField`"
        ),
        "{todos:#?}"
    );
    let models = std::fs::read_to_string(out.join("catalog_service/models.py")).unwrap();
    assert!(
        models.contains("share: Mapped[int] = mapped_column(SmallInteger)"),
        "{models}"
    );
}

/// A field class with Django's `many_to_many = True` flag (taggit's `TaggableManager` derives
/// from `RelatedField` and sets it) has no column: Django creates none for it (checked with
/// nautobot 3.2.7, whose `TagsField(TaggableManager)` tables have no `tags` column). Its target
/// is not read, so no join table is written: a counted TODO, not a Text column.
#[test]
fn a_field_flagged_many_to_many_has_no_column() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(DJANGO, tmp.path(), "catalog/models.py", |t| {
        t.replace(
            "class Tag(models.Model):\n",
            "class TagManager(models.fields.related.RelatedField):\n    many_to_many = True\n\n\n\
             class TagsField(TagManager):\n    pass\n\n\nclass Tag(models.Model):\n    labels = TagsField()\n",
        )
    });
    let (out, v) = port_ok(&repo, tmp.path(), true, &["--app", "catalog"]);
    let todos = v["todos"].as_array().unwrap();
    assert_eq!(todos.len(), 1, "{todos:#?}");
    assert_eq!(todos[0]["code"], "CP703");
    assert!(
        todos[0]["reason"]
            .as_str()
            .unwrap()
            .contains("many-to-many `labels` (`TagsField`): its target was not read"),
        "{todos:#?}"
    );
    let models = std::fs::read_to_string(out.join("catalog_service/models.py")).unwrap();
    assert!(!models.contains("labels:"), "{models}");
}

#[test]
fn an_unnamed_unique_constraint_is_unique_together_and_table_options_are_todos() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/models.py", |t| {
        t.replace(", name=\"one_title_per_author\"", "").replace(
            "{\"extend_existing\": True}",
            "{\"mysql_engine\": \"InnoDB\"}",
        )
    });
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    let todos = v["todos"].as_array().unwrap();
    assert_eq!(todos.len(), 1, "{todos:#?}");
    assert!(
        todos[0]["reason"]
            .as_str()
            .unwrap()
            .contains("mysql_engine")
    );
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    assert!(
        models.contains("        unique_together = [(\"author\", \"title\")]\n"),
        "{models}"
    );
}

#[test]
fn routes_sharing_a_url_across_modules_are_not_dispatched() {
    // Flask gives a method to the route registered first, in import order across modules
    // (here b_views, then a_views); that order is not read, so no dispatcher is guessed.
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/__init__.py", |t| {
        t.replace(
            "    return app",
            "    from .shop import bp as shop_bp\n\n    app.register_blueprint(shop_bp, url_prefix=\"/shop\")\n    return app",
        )
    });
    for (file, text) in [
        (
            "blogapp/shop/__init__.py",
            "from flask import Blueprint\n\nbp = Blueprint(\"shop\", __name__)\n\nfrom . import b_views, a_views  # noqa: E402,F401\n",
        ),
        (
            "blogapp/shop/a_views.py",
            "from . import bp\n\n\n@bp.route(\"/thing/<int:tid>\", methods=[\"PUT\"])\ndef thing_a(tid):\n    return \"a\"\n",
        ),
        (
            "blogapp/shop/b_views.py",
            "from . import bp\n\n\n@bp.route(\"/thing/<int:tid>\")\ndef thing_b(tid):\n    return \"b\"\n",
        ),
    ] {
        let path = repo.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    let todos = v["todos"].as_array().unwrap();
    assert_eq!(todos.len(), 1, "{todos:#?}");
    assert_eq!(todos[0]["code"], "CP101");
    for (name, text) in files(&out) {
        let text = String::from_utf8_lossy(&text);
        assert!(!text.contains("_by_method"), "{name}: {text}");
    }
}

#[test]
fn a_route_an_earlier_pattern_answers_by_method_is_a_todo() {
    // werkzeug tries `/<name>/likes` when `/<int:post_id>/likes` (a number converter, tried
    // first) matches the URL but not GET; Django answers from the first pattern (405).
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/blog/views.py", |t| {
        t + "\n\n@bp.route(\"/<int:post_id>/likes\", methods=[\"POST\"])\ndef like(post_id):\n    return \"\"\n\n\n@bp.route(\"/<name>/likes\")\ndef likes(name):\n    return name\n\n\n@bp.route(\"/<uuid:token>/likes\", methods=[\"PUT\"])\ndef like_token(token):\n    return \"\"\n"
    });
    let (_, v) = port_ok(&repo, tmp.path(), false, &[]);
    let todos = v["todos"].as_array().unwrap();
    let got: Vec<(&str, &str)> = todos
        .iter()
        .map(|t| {
            (
                t["code"].as_str().unwrap(),
                t["construct"].as_str().unwrap(),
            )
        })
        .collect();
    // `/<uuid:token>/likes` ranks with `/<name>/likes` in werkzeug (both weigh 100) and was
    // registered after it: PUT on a uuid URL falls through `<name>` in werkzeug, not in Django.
    assert_eq!(
        got,
        [
            ("CP101", "/blog/<name>/likes"),
            ("CP101", "/blog/<uuid:token>/likes")
        ],
        "{todos:#?}"
    );
    assert!(todos[0]["reason"].as_str().unwrap().contains("GET, HEAD"));
    assert!(todos[1]["reason"].as_str().unwrap().contains("hands PUT"));
}

/// An independent review's port cases: a key to a column unique only through a constraint gets
/// `to_field` (an association table's too); a subclass of a class whose `__mapper_args__` is
/// computed may be loaded by a discriminator, so its proxy is a CP202; a TypeDecorator whose
/// `impl` is an instance keeps that instance's arguments; a two-dimensional ARRAY is a CP205.
#[test]
fn review_cases_of_the_sqlalchemy_to_django_models() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/models.py", |t| {
        t + r#"
from sqlalchemy.orm import declared_attr  # noqa: E402


class Lower(db.TypeDecorator):
    impl = db.String(50)
    cache_ok = True


class Code(db.Model):
    __table_args__ = (db.UniqueConstraint("code", name="uq_code"),)
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(30), nullable=False)
    slug = db.Column(Lower())
    grid = db.Column(db.ARRAY(db.Integer, dimensions=2))


code_tags = db.Table(
    "code_tags",
    db.Column("code", db.String(30), db.ForeignKey("code.code"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True),
)


class Usage(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(30), db.ForeignKey("code.code"), nullable=False)
    codes = db.relationship("Code", secondary=code_tags)


class Employee(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    type = db.Column(db.String(20))

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"polymorphic_on": cls.type, "polymorphic_identity": cls.__name__.lower()}


class Manager(Employee):
    pass
"#
    });
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    let class = |name: &str| {
        let at = models
            .find(&format!("class {name}("))
            .unwrap_or_else(|| panic!("{models}"));
        let rest = &models[at..];
        rest[..rest[1..].find("\nclass ").map_or(rest.len(), |i| i + 1)].to_string()
    };
    assert!(
        class("Code").contains("slug = models.CharField(max_length=50"),
        "{}",
        class("Code")
    );
    assert!(
        class("Usage").contains("to_field=\"code\""),
        "{}",
        class("Usage")
    );
    assert!(
        class("TagCodeTags").contains("to_field=\"code\""),
        "{}",
        class("TagCodeTags")
    );
    let reasons: Vec<(&str, &str)> = v["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["code"].as_str().unwrap(), t["reason"].as_str().unwrap()))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|(c, r)| *c == "CP202" && r.contains("single-table inheritance on `employee`")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(c, r)| *c == "CP205" && r.contains("`grid` is an array of `ARRAY`")),
        "{reasons:?}"
    );
    assert!(
        !reasons.iter().any(|(_, r)| r.contains("not unique")),
        "{reasons:?}"
    );
}

/// An app with models and no routes writes `urlpatterns = []` on one line, as `ruff format`
/// leaves it (it wrote `[` and `]` on two lines, which the verifier's ruff check refused).
#[test]
fn an_app_without_routes_has_an_empty_url_list() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("core")).unwrap();
    std::fs::write(
        src.join("core/__init__.py"),
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\nclass Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
    )
    .unwrap();
    let (out, _) = port_ok(&src, tmp.path(), false, &[]);
    let urls = std::fs::read_to_string(out.join("core/urls.py")).unwrap();
    assert!(urls.ends_with("urlpatterns = []\n"), "{urls}");
}

/// Names Django refuses or that hide each other, met on applications the port was not tuned on:
/// a self-reference and keys both ways between two models (no relationship names a side it
/// cannot be told to ride on), a field named like a module models.py imports, a key whose
/// attribute `<name>_id` another field holds, a leading `_` in a reverse accessor, and type
/// sizes given by keyword.
#[test]
fn names_django_would_refuse_are_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/models.py", |t| {
        t + r#"

class Account(db.Model):
    __tablename__ = "account"
    id = db.Column(db.Integer, primary_key=True)
    timezone = db.Column(db.String(40))
    opened = db.Column(db.DateTime, default=datetime.utcnow)
    balance = db.Column(db.Numeric(precision=10, scale=2))
    transfer_id = db.Column(db.Integer, db.ForeignKey("account.id"))
    transfer = db.relationship("Account", remote_side=[id], uselist=False)
    _fk_owner_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    owner = db.relationship("User", foreign_keys=[_fk_owner_id])
    owner_id = db.Column(db.Integer)
    _fk_first_post_id = db.Column(db.Integer, db.ForeignKey("post.id"))
    _fk_last_post_id = db.Column(db.Integer, db.ForeignKey("post.id"))
"#
    });
    let (out, _) = port_ok(&repo, tmp.path(), false, &[]);
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    let account = &models[models.find("class Account(").expect("Account generated")..];
    let account = &account[..account.find("class Meta").unwrap()];
    // the column keeps its name; the attribute does not hide `timezone.now`
    assert!(
        account.contains("timezone_field = models.CharField(max_length=40, db_column=\"timezone\""),
        "{account}"
    );
    assert!(account.contains("default=timezone.now"), "{account}");
    assert!(
        account.contains("models.DecimalField(max_digits=10, decimal_places=2"),
        "{account}"
    );
    // the self-reference is named from its column, its reverse accessor left to Django
    let transfer = &account[account.find("    transfer = ").expect("transfer key")..];
    let transfer = &transfer[..transfer.find("\n    )").unwrap()];
    assert!(!transfer.contains("related_name"), "{transfer}");
    // `owner` would have the attribute `owner_id`, which a plain column holds
    assert!(
        account.contains("    owner_id = models.IntegerField("),
        "{account}"
    );
    assert!(
        !account.contains("    owner = models.ForeignKey("),
        "{account}"
    );
    // two keys to one model: reverse accessors of their own, without `__`
    assert!(
        account.contains("related_name=\"account_fk_first_post_set\""),
        "{account}"
    );
    assert!(!account.contains("__"), "{account}");
}

/// A proxy of a model the service maps, and a second (unmanaged) model on a table another model
/// maps: each is a class on that class's table, not a TODO and not a second table of the same
/// name (SQLAlchemy refuses one). An unmanaged model on a table of its own (a database view) is
/// mapped and left out of SERVICE_TABLES, which Alembic manages.
#[test]
fn a_proxy_and_a_twin_on_one_table_share_the_mapped_table() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(DJANGO, tmp.path(), "catalog/models.py", |t| {
        t + "\n\nclass Featured(Product):\n    class Meta:\n        proxy = True\n\n\nclass ProductRow(models.Model):\n    sku = models.UUIDField()\n\n    class Meta:\n        managed = False\n        db_table = \"catalog_product\"\n\n\nclass Sales(models.Model):\n    total = models.IntegerField()\n\n    class Meta:\n        managed = False\n        db_table = \"sales_view\"\n"
    });
    let (out, v) = port_ok(&repo, tmp.path(), true, &["--app", "catalog"]);
    assert_eq!(v["todos"].as_array().unwrap().len(), 0, "{:#}", v["todos"]);
    let models = std::fs::read_to_string(out.join("catalog_service/models.py")).unwrap();
    for class in ["Featured", "ProductRow"] {
        let at = models
            .find(&format!("class {class}(Base)"))
            .unwrap_or_else(|| panic!("{class} generated:\n{models}"));
        let body = &models[at..];
        let body = &body[..body[1..].find("\nclass ").map_or(body.len(), |i| i + 1)];
        assert!(
            body.contains("    __table__ = Product.__table__\n"),
            "{body}"
        );
        assert!(at > models.find("class Product(Base)").unwrap(), "{models}");
    }
    assert_eq!(
        models
            .matches("__tablename__ = \"catalog_product\"")
            .count(),
        1
    );
    let services = &models[models.find("SERVICE_TABLES = ").unwrap()..];
    assert_eq!(
        services.matches("\"catalog_product\"").count(),
        1,
        "{services}"
    );
    let sales = &models[models.find("class Sales(Base)").expect("Sales generated")..];
    assert!(
        sales.contains("    __tablename__ = \"sales_view\"\n"),
        "{sales}"
    );
    assert!(sales.contains("(managed = False)"), "{sales}");
    assert!(!services.contains("sales_view"), "{services}");
}

/// Single-table inheritance: the columns a subclass declares are the parent table's, so they
/// are fields of the parent's model (the subclass stays a proxy with its CP202 for the loading
/// by discriminator); PostgreSQL's JSONB is Django's JSONField, and a type wrapped by
/// `MutableList.as_mutable(...)` is the type it wraps.
#[test]
fn subclass_columns_of_single_table_inheritance_are_the_parents_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(FIXTURE, tmp.path(), "blogapp/models.py", |t| {
        t + r#"
from sqlalchemy.dialects.postgresql import ARRAY, JSONB  # noqa: E402
from sqlalchemy.ext.mutable import MutableList  # noqa: E402


class Item(db.Model):
    __tablename__ = "item"
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20), nullable=False)
    extra = db.Column(JSONB)
    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "item"}


class Book(Item):
    pages = db.Column(db.Integer)
    aliases = db.Column(MutableList.as_mutable(ARRAY(db.String(40))))
    __mapper_args__ = {"polymorphic_identity": "book"}
"#
    });
    let (out, v) = port_ok(&repo, tmp.path(), false, &[]);
    let models = std::fs::read_to_string(out.join("blogapp/models.py")).unwrap();
    let item = &models[models.find("class Item(").expect("Item generated")..];
    let item = &item[..item.find("class Meta").unwrap()];
    assert!(item.contains("    extra = models.JSONField("), "{item}");
    assert!(item.contains("    pages = models.IntegerField("), "{item}");
    assert!(
        item.contains("    aliases = ArrayField(models.CharField(max_length=40)"),
        "{item}"
    );
    let book = &models[models.find("class Book(Item)").expect("Book generated")..];
    assert!(book.contains("proxy = True"), "{book}");
    let codes: Vec<&str> = v["todos"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            t["construct"]
                .as_str()
                .is_some_and(|c| c.ends_with(".Book"))
        })
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CP202"], "{:#}", v["todos"]);
}

/// A proxy of another app's model: that model is mapped as well (so the proxy has its table)
/// but stays the other app's (no construct, not in SERVICE_TABLES); a field named like a module
/// models.py imports gets an attribute that does not hide it (`uuid` then `Mapped[uuid.UUID]`).
#[test]
fn a_proxy_of_another_apps_model_maps_that_model_without_owning_it() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = edited_copy(DJANGO, tmp.path(), "catalog/models.py", |t| {
        t + "\n\nclass Squad(Team):\n    class Meta:\n        proxy = True\n\n\nclass Label(models.Model):\n    uuid = models.UUIDField(unique=True)\n    code = models.UUIDField()\n"
    });
    let (out, v) = port_ok(&repo, tmp.path(), true, &["--app", "catalog"]);
    assert_eq!(v["todos"].as_array().unwrap().len(), 0, "{:#}", v["todos"]);
    let models = std::fs::read_to_string(out.join("catalog_service/models.py")).unwrap();
    let team = &models[models.find("class Team(Base)").expect("Team mapped")..];
    assert!(team.contains("__tablename__ = \"accounts_team\""), "{team}");
    let squad = &models[models.find("class Squad(Base)").expect("Squad generated")..];
    assert!(
        squad.contains("    __table__ = Team.__table__\n"),
        "{squad}"
    );
    let services = &models[models.find("SERVICE_TABLES = ").unwrap()..];
    assert!(!services.contains("accounts_team"), "{services}");
    let label = &models[models.find("class Label(Base)").expect("Label generated")..];
    assert!(
        label.contains("uuid_: Mapped[uuid.UUID] = mapped_column(\"uuid\""),
        "{label}"
    );
    let constructs: Vec<&str> = v["constructs"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["source"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        !constructs.iter().any(|c| c.ends_with(".Team")),
        "{constructs:?}"
    );
}

/// Template folders too many for one line are one a line with a trailing comma, as `ruff
/// format` lays out a list (they were joined on one indented line, as call arguments may be,
/// which the verifier's ruff check refused on knowledge-repo).
#[test]
fn template_folders_that_do_not_fit_a_line_are_one_a_line() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let folders = [
        "core/application_pages/templates",
        "core/messages_sent_by_email/templates",
    ];
    for f in folders {
        std::fs::create_dir_all(src.join(f)).unwrap();
        std::fs::write(src.join(f).join("page.html"), "<p>{{ x }}</p>\n").unwrap();
    }
    std::fs::write(
        src.join("core/__init__.py"),
        "from flask import Flask\n\napp = Flask(__name__)\n",
    )
    .unwrap();
    let (out, _) = port_ok(&src, tmp.path(), false, &[]);
    let settings = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path().join("settings.py");
            p.exists().then(|| std::fs::read_to_string(p).unwrap())
        })
        .next()
        .expect("settings.py");
    let want: String = folders
        .iter()
        .map(|f| format!("            SOURCE_DIR / \"{f}\",\n"))
        .collect();
    assert!(
        settings.contains(&format!("        \"DIRS\": [\n{want}        ],\n")),
        "{settings}"
    );
}

/// A key to a column the target model does not show (declared with its key by a mixin from an
/// installed package, as Flask-Security's `FsUserMixin` declares `username`) is a plain column and a
/// counted TODO: `to_field` naming it stopped `manage.py check` with fields.E312 and every
/// comparison with it (opentakserver, models 0/39 before).
#[test]
fn a_key_to_a_column_the_target_does_not_show_is_a_plain_column_and_a_todo() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("core")).unwrap();
    std::fs::write(
        src.join("core/__init__.py"),
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom security_lib import UserMixin\n\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\nclass User(db.Model, UserMixin):\n    __tablename__ = \"user\"\n    active = db.Column(db.Boolean)\n\n\nclass Token(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    username = db.Column(db.String(255), db.ForeignKey(\"user.username\"))\n",
    )
    .unwrap();
    let (out, v) = port_ok(&src, tmp.path(), false, &[]);
    let models = std::fs::read_to_string(out.join("core/models.py")).unwrap();
    assert!(!models.contains("to_field"), "{models}");
    assert!(models.contains("username = models.CharField("), "{models}");
    let todos = v["todos"].as_array().unwrap();
    assert!(
        todos.iter().any(|t| t["code"] == "CP207"
            && t["reason"]
                .as_str()
                .unwrap()
                .contains("`User.username`, a column crossport did not read")),
        "{todos:?}"
    );
}

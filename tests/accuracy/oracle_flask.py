"""Ground truth for a Flask application, taken from the framework itself.

Run inside the app's virtualenv:
    venv/bin/python oracle_flask.py --spec '<json of the apps.toml entry>'
Prints one JSON document: routes (app.url_map), models (SQLAlchemy mapper registries),
jobs (Celery tasks). No database server or network is needed: the spec's env/files
point the app at a throwaway sqlite file under {workdir}.
"""

from __future__ import annotations

import sys
import warnings
from types import SimpleNamespace

from oracle_common import (
    admin_item,
    class_declared_in_source,
    celery_tasks,
    dotted,
    emit,
    find_celery_apps,
    import_target,
    is_own,
    log,
    parse_spec,
    prepare_environment,
    site_relative,
    source_location,
    unwrap_view,
)


def build_app(spec):
    if spec.get("factory"):
        factory = import_target(spec["factory"])
        kwargs = spec.get("factory_kwargs") or {}
        log("calling factory", spec["factory"], kwargs)
        return factory(**kwargs)
    log("importing app", spec["app"])
    return import_target(spec["app"])


def dump_routes(app, spec):
    routes = []
    for rule in app.url_map.iter_rules():
        func = app.view_functions.get(rule.endpoint)
        view = unwrap_view(func) if func is not None else None
        path, line = source_location(view) if view is not None else (None, None)
        view_name = dotted(view) if view is not None else None
        routes.append(
            {
                "rule": rule.rule,
                "methods": sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}),
                "endpoint": rule.endpoint,
                "subdomain": rule.subdomain or None,
                "host": getattr(rule, "host", None) or None,
                "view": view_name,
                "own": bool(view_name and is_own(view_name, spec)),
                "file": site_relative(path, spec),
                "line": line,
            }
        )
    routes.sort(key=lambda r: (r["rule"], r["methods"], r["endpoint"]))
    return routes


def dump_admin(app, spec):
    """Flask-Admin model views (`admin.add_view(ModelView(Model, ...))`), keyed by the model
    like Django's admin registrations; custom pages (no model) are not registrations."""
    found = (getattr(app, "extensions", None) or {}).get("admin") or []
    admins = found if isinstance(found, (list, tuple)) else [found]
    out = []
    for admin in admins:
        for view in getattr(admin, "_views", []):
            model = getattr(view, "model", None)
            if not isinstance(model, type):
                continue
            out.append(admin_item(model, type(view), "flask_admin", spec))
    out.sort(key=lambda a: (a["model"], a["admin_class"]))
    return out


def mapper_registries(app):
    """All SQLAlchemy registries we can find (SQLAlchemy 1.4/2.x keep a weak set of them)."""
    regs = []
    try:
        from sqlalchemy.orm import mapperlib

        regs.extend(list(getattr(mapperlib, "_mapper_registries", {})))
        # SQLAlchemy < 1.4 has no registry objects: one weak dict holds every mapper.
        legacy = getattr(mapperlib, "_mapper_registry", None)
        if legacy is not None and not regs:
            regs.append(SimpleNamespace(mappers=list(legacy)))
    except Exception as exc:  # noqa: BLE001
        log("no sqlalchemy mapper registries:", repr(exc))
    ext = app.extensions.get("sqlalchemy")
    db = getattr(ext, "db", ext)  # FSQLA 2.x stored a state object with .db
    model = getattr(db, "Model", None)
    reg = getattr(model, "registry", None)
    if reg is not None and all(reg is not r for r in regs):
        regs.append(reg)
    return regs


def relation_kind(rel):
    direction = rel.direction.name  # ONETOMANY / MANYTOONE / MANYTOMANY
    if direction == "ONETOMANY" and not rel.uselist:
        return "one_to_one"
    return {"ONETOMANY": "one_to_many", "MANYTOONE": "many_to_one", "MANYTOMANY": "many_to_many"}.get(
        direction, direction.lower()
    )


def dump_models(app, spec):
    models = []
    seen = set()
    for reg in mapper_registries(app):
        for mapper in list(reg.mappers):
            cls = mapper.class_
            if id(cls) in seen:
                continue
            seen.add(id(cls))
            parent = mapper.inherits
            parent_keys = set(parent.attrs.keys()) if parent is not None else set()
            local_table = mapper.local_table
            fields = []
            for prop in mapper.column_attrs:
                if prop.key in parent_keys:
                    continue
                cols = [c for c in prop.columns if getattr(c, "table", None) is not None]
                if not any(c.table is local_table for c in cols):
                    continue  # column_property expressions, columns of a joined parent table
                col = next(c for c in cols if c.table is local_table)
                fields.append(
                    {
                        "name": prop.key,
                        "column": col.name,
                        "type": type(col.type).__name__,
                        "pk": bool(col.primary_key),
                    }
                )
            relations = []
            for rel in mapper.relationships:
                if rel.key in parent_keys:
                    continue
                relations.append(
                    {"name": rel.key, "kind": relation_kind(rel), "target": rel.mapper.class_.__name__}
                )
            path, line = source_location(cls)
            inheritance = None
            if parent is not None:
                inheritance = "single" if mapper.single else "joined" if local_table is not parent.local_table else "concrete"
            models.append(
                {
                    "name": cls.__name__,
                    "module": cls.__module__,
                    "table": getattr(local_table, "name", None),
                    "abstract": False,
                    "inherits": dotted(parent.class_) if parent is not None else None,
                    "inheritance": inheritance,
                    "own": is_own(cls.__module__, spec),
                    "generated": not class_declared_in_source(cls),
                    "file": site_relative(path, spec),
                    "line": line,
                    "fields": sorted(fields, key=lambda f: f["name"]),
                    "relations": sorted(relations, key=lambda r: r["name"]),
                }
            )
    models.sort(key=lambda m: (m["module"], m["name"]))
    return models


def main():
    spec = parse_spec()
    prepare_environment(spec)
    warnings.simplefilter("ignore")
    app = build_app(spec)
    with app.app_context():
        routes = dump_routes(app, spec)
        models = dump_models(app, spec)
        extra = [app.extensions.get("celery")] if hasattr(app, "extensions") else []
        jobs = celery_tasks(find_celery_apps(spec, [e for e in extra if e is not None]))
    emit(
        {
            "framework": "flask",
            "app": spec.get("name"),
            "routes": routes,
            "models": models,
            "admin": dump_admin(app, spec),
            "jobs": [dict(j, kind="celery", own=is_own(j["module"] or "", spec) or is_own(j["name"], spec)) for j in jobs],
        }
    )


if __name__ == "__main__":
    sys.exit(main())

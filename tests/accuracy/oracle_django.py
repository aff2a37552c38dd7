"""Ground truth for a Django project, taken from the framework itself.

Run inside the app's virtualenv:
    venv/bin/python oracle_django.py --spec '<json of the apps.toml entry>'
Prints one JSON document: routes (URL resolver, walked like django-extensions
show_urls), models (apps.get_models()), admin (AdminSite registries), jobs (Celery).
Never opens a database connection: introspection only.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings

from oracle_common import (
    admin_item,
    celery_tasks,
    class_declared_in_source,
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


def generated_by_admin_site(patterns):
    """Whether a URL list is an AdminSite's `get_urls()`: its own views (index, login)
    carry the site as `admin_site` (set by `AdminSite.get_urls`'s wrapper)."""
    from django.contrib.admin.sites import AdminSite

    return any(isinstance(getattr(getattr(p, "callback", None), "admin_site", None), AdminSite) for p in patterns)


def ninja_operation_views(callback):
    """django-ninja mounts one URL pattern per path; its callback is `PathView.get_view()`'s
    wrapper (a closure over the PathView; in older releases the bound `_sync_view` /
    `_async_view`), which dispatches on the method to the path's operations. The code that
    answers is each operation's `view_func` (the decorated function), as a DRF route's is
    its viewset class. Decorators a project wraps around the included patterns (functools.wraps:
    `__wrapped__`) are looked through. Returns those functions, or None for any other callback."""
    seen = set()
    func = callback
    while func is not None and id(func) not in seen:
        seen.add(id(func))
        candidates = [getattr(func, "__self__", None)]
        for cell in getattr(func, "__closure__", None) or ():
            try:
                candidates.append(cell.cell_contents)
            except ValueError:  # empty cell
                continue
        for obj in candidates:
            cls = type(obj)
            if cls.__name__ == "PathView" and cls.__module__.startswith("ninja.") and hasattr(obj, "operations"):
                return [op.view_func for op in obj.operations]
        func = getattr(func, "__wrapped__", None)
    return None


def walk_patterns(patterns, spec, base="", namespace=None, out=None, admin_site=False):
    """Same recursion as django-extensions `extract_views_from_urlpatterns`:
    rule = concatenation of str(pattern) along the include() chain (raw, not simplified);
    name = "ns:name" with namespaces composed "outer:inner".

    URLs an AdminSite generates (`include(site.urls)`, app_name "admin") are Django's,
    even where a project ModelAdmin overrides the view method (`add_view`): they are
    listed with `admin_site` set and never counted as the project's own routes, as
    crossport reports the admin as one generated URL set plus its registrations."""
    from django.urls import URLPattern, URLResolver

    if out is None:
        out = []
    for p in patterns:
        if isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            operations = ninja_operation_views(p.callback)
            if operations:
                views = [unwrap_view(f) for f in operations]
                # the path is the app's own when one of its operations is
                view = next((v for v in views if is_own(dotted(v), spec)), views[0])
            else:
                view = unwrap_view(p.callback)
            view_name = dotted(view)
            path, line = source_location(view)
            item = {
                "rule": base + str(p.pattern),
                "name": name,
                "view": view_name,
                "own": is_own(view_name, spec) and not admin_site,
                "admin_site": admin_site,
                "file": site_relative(path, spec),
                "line": line,
            }
            if operations:
                item["ninja_operations"] = [dotted(v) for v in views]
            out.append(item)
        elif isinstance(p, URLResolver):
            try:
                children = p.url_patterns
            except Exception as exc:  # noqa: BLE001  (broken urlconf: report, keep going)
                log("cannot load urlconf", p, repr(exc))
                continue
            if namespace and p.namespace:
                child_ns = f"{namespace}:{p.namespace}"
            else:
                child_ns = p.namespace or namespace
            in_admin = admin_site or generated_by_admin_site(children)
            walk_patterns(children, spec, base + str(p.pattern), child_ns, out, in_admin)
        else:
            log("unknown url pattern type", type(p))
    return out


def relation_kind(field):
    if field.many_to_many:
        return "many_to_many"
    if field.one_to_one:
        return "one_to_one"
    if field.many_to_one:
        return "many_to_one"
    if field.one_to_many:
        return "one_to_many"
    return "generic"


def dump_models(spec):
    from django.apps import apps

    models = []
    for model in apps.get_models(include_auto_created=False):
        meta = model._meta
        if meta.abstract:
            continue
        fields, relations = [], []
        for f in list(meta.local_fields) + list(meta.local_many_to_many):
            if f.auto_created:
                continue  # implicit id, multi-table-inheritance parent link
            fields.append(
                {
                    "name": f.name,
                    "type": type(f).__name__,
                    "pk": bool(getattr(f, "primary_key", False)),
                    "column": getattr(f, "column", None),
                }
            )
            if f.is_relation and f.related_model is not None:
                target = f.related_model
                target_name = (
                    f"{target._meta.app_label}.{target._meta.object_name}" if hasattr(target, "_meta") else str(target)
                )
                relations.append({"name": f.name, "kind": relation_kind(f), "target": target_name})
        path, line = source_location(model)
        models.append(
            {
                "name": model.__name__,
                "module": model.__module__,
                "app_label": meta.app_label,
                "table": meta.db_table,
                "abstract": False,
                "proxy": bool(meta.proxy),
                "own": is_own(model.__module__, spec),
                "generated": not class_declared_in_source(model),
                "file": site_relative(path, spec),
                "line": line,
                "fields": sorted(fields, key=lambda f: f["name"]),
                "relations": sorted(relations, key=lambda r: r["name"]),
            }
        )
    models.sort(key=lambda m: (m["module"], m["name"]))
    return models


def admin_sites():
    """admin.site (a LazyObject: unwrapped) plus any other AdminSite instances alive."""
    from django.contrib import admin

    from django.utils.functional import LazyObject, empty

    default = admin.site
    if isinstance(default, LazyObject) or type(default) is not admin.AdminSite:
        if getattr(default, "_wrapped", None) is empty:
            default._setup()
        default = getattr(default, "_wrapped", default)
    sites = [default] if isinstance(default, admin.AdminSite) else []
    for obj in gc.get_objects():
        try:
            if type(obj) is not admin.sites.DefaultAdminSite and isinstance(obj, admin.AdminSite):
                if all(obj._registry is not s._registry for s in sites):
                    sites.append(obj)
        except Exception:  # noqa: BLE001  (lazy objects can raise on isinstance)
            continue
    return sites


def dump_admin(spec):
    from django.apps import apps

    out = []
    if not apps.is_installed("django.contrib.admin"):
        log("django.contrib.admin not installed: no admin registrations")
        return out
    for site in admin_sites():
        for model, model_admin in site._registry.items():
            out.append(admin_item(model, type(model_admin), getattr(site, "name", None), spec))
    out.sort(key=lambda a: (a["model"], a["site"] or ""))
    return out


def main():
    spec = parse_spec()
    prepare_environment(spec)
    warnings.simplefilter("ignore")
    os.environ["DJANGO_SETTINGS_MODULE"] = spec["settings"]
    import django

    django.setup()
    from django.urls import get_resolver

    log("django", django.get_version(), "settings", spec["settings"])
    routes = walk_patterns(get_resolver().url_patterns, spec)
    models = dump_models(spec)
    admin = dump_admin(spec)
    extra = []
    try:
        from celery import current_app

        extra.append(current_app._get_current_object())
    except Exception:  # noqa: BLE001
        pass
    apps_found = find_celery_apps(spec, [])
    if not apps_found and extra and spec.get("celery_current_app", True):
        # fall back on the current app only when it was configured (i.e. not Celery's default)
        cur = extra[0]
        if cur.main or cur.conf.get("broker_url"):
            apps_found = [cur]
    jobs = celery_tasks(apps_found)
    emit(
        {
            "framework": "django",
            "app": spec.get("name"),
            "routes": routes,
            "models": models,
            "admin": admin,
            "jobs": [dict(j, kind="celery", own=is_own(j["module"] or "", spec) or is_own(j["name"], spec)) for j in jobs],
        }
    )


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs the steps of .github/workflows/crossport-portfolio.yml locally, as GitHub would, on
repositories copied from folders on disk: one `scan` job per matrix entry, then the `portfolio`
job on their artifacts. It reads the workflow file itself, so what is tested is what ships.

`run:` steps run in bash with the step's `env:` and GITHUB_ENV / GITHUB_STEP_SUMMARY files.
The `uses:` steps are emulated: checkout copies the repository's folder to the `path:` it names,
upload-artifact / download-artifact copy files into / out of an artifacts folder, setup-python
does nothing. An expression the emulator does not know, or a `uses:` it cannot emulate, fails
the run: the test must not pass by skipping a step.

usage: portfolio_workflow.py WORKFLOW WORKDIR NAME=FOLDER...   (crossport must be on PATH)
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(expr, ctx):
    """The few expressions the workflow uses: context lookups, `a || b`, fromJSON, !cancelled()."""
    expr = expr.strip()
    if expr == "!cancelled()":
        return True
    if "||" in expr:
        for part in expr.split("||"):
            v = evaluate(part, ctx)
            if v:
                return v
        return ""
    m = re.fullmatch(r"fromJSON\((.*)\)", expr)
    if m:
        import json

        return json.loads(evaluate(m.group(1), ctx))
    head, _, rest = expr.partition(".")
    if head in ctx and rest:
        table = ctx[head]
        if rest not in table:
            raise SystemExit(f"workflow: unknown expression {expr!r}")
        return table[rest]
    raise SystemExit(f"workflow: the emulator does not know the expression {expr!r}")


def substitute(text, ctx):
    if not isinstance(text, str):
        return text
    whole = EXPR.fullmatch(text.strip())
    if whole:
        return evaluate(whole.group(1), ctx)
    return EXPR.sub(lambda m: str(evaluate(m.group(1), ctx)), text)


def read_env_file(path):
    env = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    return env


def run_job(job_name, job, ctx, workspace, artifacts, summary):
    workspace.mkdir(parents=True, exist_ok=True)
    github_env = workspace / ".github_env"
    github_env.write_text("")
    for step in job["steps"]:
        ctx["env"] = read_env_file(github_env)
        if "uses" in step:
            action = step["uses"].split("@")[0]
            with_ = {k: substitute(v, ctx) for k, v in (step.get("with") or {}).items()}
            if action == "actions/checkout":
                source = ctx["repos"][with_["repository"]]
                shutil.copytree(source, workspace / with_["path"])
            elif action == "actions/setup-python":
                pass
            elif action == "actions/upload-artifact":
                dest = artifacts / with_["name"]
                for line in str(with_["path"]).split("\n"):
                    line = line.strip()
                    if not line:
                        continue
                    src = workspace / line
                    if src.is_dir():
                        shutil.copytree(src, dest, dirs_exist_ok=True)
                    else:
                        dest.mkdir(parents=True, exist_ok=True)
                        shutil.copy(src, dest / src.name)
            elif action == "actions/download-artifact":
                pattern = with_.get("pattern", "*")
                target = workspace / with_["path"]
                for a in sorted(artifacts.glob(pattern)):
                    shutil.copytree(a, target / a.name, dirs_exist_ok=True)
            else:
                raise SystemExit(f"workflow: the emulator cannot run {action}")
            continue
        script = substitute(step["run"], ctx)
        env = dict(os.environ)
        env.update({k: str(substitute(v, ctx)) for k, v in (step.get("env") or {}).items()})
        env.update(ctx["env"])
        env["GITHUB_ENV"] = str(github_env)
        env["GITHUB_STEP_SUMMARY"] = str(summary)
        name = step.get("name", script.splitlines()[0])
        print(f"[{job_name}] {name}", flush=True)
        r = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=workspace, env=env)
        if r.returncode != 0:
            raise SystemExit(f"workflow: step {name!r} of {job_name} failed ({r.returncode})")


def main():
    workflow, workdir, *pairs = sys.argv[1:]
    repos = dict(p.split("=", 1) for p in pairs)
    wf = YAML(typ="safe").load(Path(workflow).read_text())
    call = wf["on"]["workflow_call"]
    inputs = {k: v.get("default") for k, v in call["inputs"].items()}
    import json

    inputs["repositories"] = json.dumps(sorted(repos))
    # crossport is already on PATH: the install step only shows which one runs.
    inputs["install"] = "crossport --version"
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    artifacts = workdir / "artifacts"
    summary = workdir / "step_summary.md"
    summary.write_text("")
    base = {
        "inputs": inputs,
        "secrets": {"token": ""},
        "github": {"token": "local"},
        "repos": repos,
    }
    scan = wf["jobs"]["scan"]
    matrix = substitute(scan["strategy"]["matrix"]["repository"], base)
    assert len(matrix) == len(repos), matrix
    for i, repo in enumerate(matrix):
        ctx = dict(base, matrix={"repository": repo})
        run_job(f"scan {repo}", scan, ctx, workdir / f"scan-{i}", artifacts, workdir / "scan-summary.md")
    job = wf["jobs"]["portfolio"]
    assert job["needs"] == "scan"
    run_job("portfolio", job, dict(base), workdir / "portfolio", artifacts, summary)
    print(f"summary: {summary}")


if __name__ == "__main__":
    main()

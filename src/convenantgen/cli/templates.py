"""``convenantgen templates [copy NAME]``: the templates, their variables, and copies to edit."""

from __future__ import annotations

import shutil

from ..build.templates import specs, variable_paths, wording_paths
from ..errors import UsageError, did_you_mean
from ..read.templates import Templates, default_path
from ..text.wording import WORDING_FILE
from .common import project_of


def cmd_templates(args) -> int:

    project = project_of(args)
    templates = Templates.of(project)
    known = specs()
    words = list(args.words)
    if words[:1] == ["copy"]:
        if len(words) != 2:
            raise UsageError(
                "usage: convenantgen templates copy NAME (see: convenantgen templates)"
            )
        return _copy(templates, known, words[1], force=args.force)
    if len(words) > 1:
        raise UsageError("usage: convenantgen templates [NAME] | templates copy NAME")
    for name in words or sorted(known):
        if name not in known:
            raise UsageError(f"'{name}' is not a template.{did_you_mean(name, known)}")
        spec = known[name]
        own = templates.own(name)
        print(f"{name}  ({f'project: {own}' if own else 'default'})")
        print(f"  {spec.purpose}")
        paths = wording_paths() if name == WORDING_FILE else variable_paths(spec.variables)
        for line in paths:
            print(f"    {line}")
    return 0


def _copy(templates: Templates, known, name: str, *, force: bool) -> int:
    if name not in known:
        raise UsageError(f"'{name}' is not a template.{did_you_mean(name, known)}")
    if templates.project_dir is None:
        raise UsageError(
            "templates are copied into a project; create one with 'convenantgen init DIR'"
        )
    target = templates.project_dir / name
    if target.exists() and not force:
        raise UsageError(f"'{target}' already exists; --force replaces it with the default")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(default_path(name), tmp)
    tmp.replace(target)
    print(f"copied the default {name} to {target}; edit it there")
    return 0


def add_parser(sub) -> None:
    templates = sub.add_parser(
        "templates",
        help="list the templates and their variables; 'templates copy NAME' copies a default "
        "into the project for editing",
    )
    templates.add_argument(
        "words", nargs="*", metavar="[copy] NAME", help="a template name, or copy NAME"
    )
    templates.add_argument(
        "--force", action="store_true", help="with copy: replace the project's own"
    )
    templates.set_defaults(func=cmd_templates)

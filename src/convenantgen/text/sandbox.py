"""The one Jinja sandbox every template renders in: Word, wording and site pages.

Templates come from the project, so they are untrusted code: Jinja's sandbox keeps them from
Python's internals, and this class also bounds what they can cost. Output per render is capped
(:data:`MAX_OUTPUT` characters) and so is the time a render may take (:data:`MAX_SECONDS`,
checked as output is produced); ``*`` and ``**`` may not build huge strings, lists or numbers.
A template that loops without end stops with a message instead of filling the memory.
"""

from __future__ import annotations

import time
from typing import Any

from jinja2 import Template
from jinja2.exceptions import SecurityError, TemplateError, TemplateRuntimeError
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT = 20_000_000  # characters per rendered template (a Word body is a few MB at most)
MAX_SECONDS = 120.0
MAX_REPEAT = 100_000  # "x" * n, [..] * n
MAX_POWER = 10_000  # digits of a ** b, roughly


class RenderLimit(SecurityError):
    """A template went past the output, time or size limits."""


class LimitedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        parts: list[str] = []
        size = 0
        started = time.monotonic()
        try:
            for piece in self.root_render_func(ctx):
                size += len(piece)
                parts.append(piece)
                if size > MAX_OUTPUT:
                    raise RenderLimit(
                        f"the template produced more than {MAX_OUTPUT:,} characters (a loop "
                        "that does not end?)"
                    )
                if time.monotonic() - started > MAX_SECONDS:
                    raise RenderLimit(f"the template took more than {MAX_SECONDS:g} s")
        except RenderLimit:
            raise
        except TemplateError:
            self.environment.handle_exception()
        except RecursionError:
            # A macro that calls itself: Python's stack ends it; the caller names the template.
            raise RenderLimit(
                "the template calls itself without end (a recursive macro?)"
            ) from None
        except (OverflowError, MemoryError) as exc:
            # range(10**12) ("Range too big"), a number too large to show
            raise RenderLimit(str(exc) or type(exc).__name__) from None
        except Exception as exc:
            # 1/0, "a" + 1, int("x"): a mistake of the template, never a traceback.
            raise TemplateRuntimeError(f"{type(exc).__name__}: {exc}") from None
        return self.environment.concat(parts)  # type: ignore[attr-defined]


class Sandbox(SandboxedEnvironment):
    """Sandboxed, with limits on output, time, repetition and powers."""

    template_class = LimitedTemplate
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and (count > MAX_REPEAT or len(seq) * max(count, 0) > MAX_OUTPUT):
                    raise RenderLimit(f"repeating a text or list {count} times is not allowed")
        numbers = isinstance(left, int | float) and isinstance(right, int | float)
        if operator == "**" and numbers and abs(right) > MAX_POWER:
            raise RenderLimit(f"a power of {right} is not allowed")
        return super().call_binop(context, operator, left, right)

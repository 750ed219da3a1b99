"""`episode_description`: the template of what the feed says about each episode.

An episode's description says what it is: the article's lead, that a synthetic
voice reads it (unless `ai_content = false`, a human-read show), and where the
article was first published. The template is text with `{…}` fields, one sentence
a line; a line naming a field the episode has no value for (an article with no
`url`, no author) is left out, so no "source:" stands with nothing after it.
"""

from __future__ import annotations

import string

FIELDS = ("lead", "title", "author", "url")
"""The template's fields: the article's lead (its front matter `description`, else its
first paragraph), its title, its author (a person, a paper or an agency) and the
address it was published at (front matter `url`)."""

SYNTHETIC_VOICE = "يقرأ هذه الحلقةَ صوتٌ اصطناعي."
""""A synthetic voice reads this episode": said in every description unless the show
is read by a person."""
SOURCE_LINE = "المقال الأصلي: {url}"
""""The original article: <url>"."""

AI_TEMPLATE = f"{{lead}}\n{SYNTHETIC_VOICE}\n{SOURCE_LINE}"
HUMAN_TEMPLATE = f"{{lead}}\n{SOURCE_LINE}"


def default_template(ai_content: bool) -> str:
    """The template used when `episode_description` is not set."""
    return AI_TEMPLATE if ai_content else HUMAN_TEMPLATE


def fields_of(line: str) -> list[str]:
    """The names of the `{…}` fields in `line`, in order (`{{` and `}}` are braces)."""
    return [name for _, name, _, _ in string.Formatter().parse(line) if name is not None]


def template_problem(template: str) -> str | None:
    """What is wrong with `template` as an `episode_description`, or None."""
    known = ", ".join(f"{{{name}}}" for name in FIELDS)
    for line in template.splitlines():
        try:
            parsed = list(string.Formatter().parse(line))
        except ValueError as exc:
            return f"has an unmatched brace ({exc}); write a brace as {{{{ or }}}}"
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in FIELDS or spec or conversion:
                return f"may hold the fields {known} and no other {{…}} field, got {{{name}}}"
    return None


def fill(template: str, values: dict[str, str]) -> list[str]:
    """The template's lines with their fields filled in from `values`; a line with a
    field that has no value (missing or empty) is left out, and so is an empty line."""
    lines = []
    for line in template.splitlines():
        if all(values.get(name) for name in fields_of(line)):
            text = line.format_map({name: values[name] for name in fields_of(line)})
            if text.strip():
                lines.append(text)
    return lines

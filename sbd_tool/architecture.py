"""The layers of sbd-tool, lowest first: a module imports only from its own layer or those below.

``tests/test_architecture.py`` checks every import against this table, and docs/architecture.md
shows it as a picture generated here (``python -m sbd_tool.architecture`` prints it).
"""

from __future__ import annotations

ROOT = "sbd_tool"
# (layer, what it holds, modules: a name covers the module and, for a package, all inside it)
LAYERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "base",
        "plain helpers with no domain knowledge: problems, text cleaning, dates and 和暦, limits, safe YAML",
        (
            "sbd_tool",
            "sbd_tool.architecture",
            "sbd_tool.problems",
            "sbd_tool.text",
            "sbd_tool.wareki",
            "sbd_tool.dates",
            "sbd_tool.limits",
            "sbd_tool.safe_yaml",
            "sbd_tool.yaml_guards",
            "sbd_tool.procurement",
            "sbd_tool.document.kinds",
        ),
    ),
    ("content", "the questionnaire and requirement set from YAML, validated: the Catalogue", ("sbd_tool.content",)),
    (
        "answers",
        "one answers document read into typed form (a pydantic model), with located problems",
        ("sbd_tool.answers",),
    ),
    (
        "engine",
        "derivation, judgment conditions, levels with their trace, cloud split, what-if, parameters",
        ("sbd_tool.engine",),
    ),
    ("diagram", "the system overview diagram: draft, layout, routing, drawing", ("sbd_tool.diagram",)),
    (
        "document",
        "the document model and its renderers (Word, .xlsx, Markdown/HTML, bidder page)",
        ("sbd_tool.document",),
    ),
    ("assessment", "assess(catalogue, answers) and specification(): the one path", ("sbd_tool.assessment",)),
    (
        "compare",
        "what changed: between revisions, catalogue versions, a trainee and the model answer",
        ("sbd_tool.compare",),
    ),
    (
        "storage",
        "database models, migrations, the settings table, the catalogue-release store",
        ("sbd_tool.storage",),
    ),
    ("cli", "the command line: thin commands over the core", ("sbd_tool.cli",)),
    (
        "web",
        "the Flask app: feature blueprints, forms, templates; the web's own commands (web/server.py)",
        ("sbd_tool.web",),
    ),
    ("entry", "the sbd-tool command: the CLI's commands plus the web's", ("sbd_tool.main",)),
)


def layer_of(module: str) -> str | None:
    """The layer a module belongs to: the one naming it or its nearest enclosing package."""
    best: tuple[int, str] | None = None
    for layer, _, names in LAYERS:
        for name in names:
            inside = name != ROOT and module.startswith(name + ".")  # the root package names only itself
            if (module == name or inside) and (best is None or len(name) > best[0]):
                best = (len(name), layer)
    return best[1] if best else None


def mermaid() -> str:
    """The layers as a Mermaid flowchart, top layer first, each pointing at the one it builds on."""
    lines = ["flowchart TD"]
    ordered = list(reversed(LAYERS))
    for layer, what, _ in ordered:
        lines.append(f'    {layer}["{layer}<br/>{what}"]')
    for (upper, _, _), (lower, _, _) in zip(ordered, ordered[1:], strict=False):
        lines.append(f"    {upper} --> {lower}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(mermaid(), end="")

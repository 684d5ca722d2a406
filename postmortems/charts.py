"""The causal-factor chart as data: Mermaid text, reachability, and what a reader should be warned about.

The same Mermaid text is drawn on the review page and written into the Markdown
export, so it must be safe for both: every label is reduced to Mermaid's entity
codes (no raw quotes, angle brackets, backticks or line breaks), so nothing a
person typed can change the chart's syntax or reach a page as markup.
"""

from collections import defaultdict, deque

from postmortems.choices import FactorKind

LABEL_LIMIT = 90

# Mermaid node shapes by kind: events are boxes, conditions rounded, contributing factors hexagons.
SHAPES = {
    FactorKind.EVENT: ('["', '"]'),
    FactorKind.CONDITION: ('("', '")'),
    FactorKind.CONTRIBUTING: ('{{"', '"}}'),
}

CLASS_DEFS = (
    "classDef rootCause fill:#fde7e5,stroke:#b42318,stroke-width:3px,color:#5c1009",
    "classDef symptom fill:#e6effa,stroke:#1d5fb4,stroke-width:3px,color:#0b2a55",
    "classDef rootSymptom fill:#fdf1d6,stroke:#8a5a00,stroke-width:3px,color:#3d2800",
    "classDef factor fill:#ffffff,stroke:#5b6676,color:#1c2430",
)

# Characters that mean something to Mermaid (or to HTML) become #code; entities.
_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    ";": "#59;",
    "\\": "#92;",
}


def mermaid_label(text):
    """Return text as a one-line Mermaid label with every special character entity-coded."""
    flat = " ".join(str(text).split())
    if len(flat) > LABEL_LIMIT:
        flat = flat[: LABEL_LIMIT - 1].rstrip() + "…"
    return "".join(_ESCAPES.get(char, char) for char in flat) or "#160;"


def node_id(factor_id):
    return f"f{factor_id}"


def factor_class(factor):
    if factor.is_root_cause and factor.is_symptom:
        return "rootSymptom"
    if factor.is_root_cause:
        return "rootCause"
    if factor.is_symptom:
        return "symptom"
    return "factor"


def mermaid_chart(factors, links):
    """Return Mermaid flowchart text for factors (nodes) and links (cause → effect edges).

    Causes sit on the left, symptoms on the right; root causes and symptoms get
    their own colours (classDef), so the two are told apart at a glance.
    """
    lines = ["flowchart LR"]
    for factor in factors:
        opening, closing = SHAPES.get(factor.kind, SHAPES[FactorKind.EVENT])
        lines.append(
            f"  {node_id(factor.pk)}{opening}{mermaid_label(factor.description)}{closing}:::{factor_class(factor)}"
        )
    for link in links:
        lines.append(f"  {node_id(link.cause_id)} --> {node_id(link.effect_id)}")
    lines.extend(f"  {definition}" for definition in CLASS_DEFS)
    return "\n".join(lines) + "\n"


def path_exists(edges, *, start, goal):
    """Return True if following (cause, effect) edges from start reaches goal."""
    following = defaultdict(list)
    for cause, effect in edges:
        following[cause].append(effect)
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in following[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _reachable(edges, starts):
    following = defaultdict(list)
    for cause, effect in edges:
        following[cause].append(effect)
    seen, queue = set(starts), deque(starts)
    while queue:
        for nxt in following[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def chart_warnings(factors, links):
    """Return warnings, in words, about a chart that does not yet explain itself.

    A root cause with no path to any symptom explains nothing; a symptom that
    no root cause leads to is unexplained.
    """
    edges = [(link.cause_id, link.effect_id) for link in links]
    symptoms = {factor.pk for factor in factors if factor.is_symptom}
    roots = [factor for factor in factors if factor.is_root_cause]
    warnings = []
    for root in roots:
        if not (_reachable(edges, [root.pk]) & symptoms):
            warnings.append(f"Root cause “{root.description[:80]}” has no path to any symptom.")
    downstream_of_roots = _reachable(edges, [root.pk for root in roots])
    for factor in factors:
        if factor.is_symptom and factor.pk not in downstream_of_roots:
            warnings.append(f"Symptom “{factor.description[:80]}” has no root cause leading to it.")
    return warnings


def reading_order(factors, links):
    """Return factors ordered from causes to effects (a factor after everything that led to it), ties by id.

    The factor list reads like the chart: on a phone, where the drawing is too small, it *is* the chart.
    """
    by_id = {factor.pk: factor for factor in factors}
    waiting = dict.fromkeys(by_id, 0)
    following = defaultdict(list)
    for link in links:
        if link.cause_id in by_id and link.effect_id in by_id:
            following[link.cause_id].append(link.effect_id)
            waiting[link.effect_id] += 1
    ready = sorted(pk for pk, count in waiting.items() if count == 0)
    ordered = []
    while ready:
        pk = ready.pop(0)
        ordered.append(by_id[pk])
        for nxt in following[pk]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
                ready.sort()
    # A cycle cannot be saved, but never drop a factor if one slipped in.
    placed = {factor.pk for factor in ordered}
    return ordered + [factor for factor in factors if factor.pk not in placed]

"""Charts as SVG drawn on the server: no JavaScript, nothing to vendor, and they pass a CSP
without 'unsafe-inline' because colours come from classes in console.css, not style
attributes. Every text that reaches the SVG is escaped."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["columns", "hbars", "meter", "stacked"]


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg(width: float, height: float, css: str, label: str, body: str) -> Markup:
    return Markup(
        f'<svg class="chart {escape(css)}" viewBox="0 0 {_num(width)} {_num(height)}"'
        f' preserveAspectRatio="none" role="img" aria-label="{escape(label)}"'
        f' xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def stacked(segments: Sequence[tuple[str, int]], label: str) -> Markup:
    """One bar split by (name, count), each segment classed `s-<name>`; empty when all are 0."""
    total = sum(n for _, n in segments)
    width, height = 300.0, 14.0
    if not total:
        body = f'<rect class="empty" x="0" y="0" width="{_num(width)}" height="{_num(height)}"/>'
        return _svg(width, height, "stacked", f"{label}: no events", body)
    parts = []
    x = 0.0
    for name, n in segments:
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect class="s-{escape(name)}" x="{_num(x)}" y="0" width="{_num(w)}"'
            f' height="{_num(height)}"><title>{escape(name)}: {n} ({n / total:.0%})</title></rect>'
        )
        x += w
    return _svg(width, height, "stacked", label, "".join(parts))


def columns(values: Sequence[int], labels: Sequence[str], label: str) -> Markup:
    """A column per value, scaled to the largest; each titled with its label and value."""
    width, height = 240.0, 60.0
    top = max(values, default=0) or 1
    step = width / max(len(values), 1)
    gap = min(2.0, step / 4)
    parts = [
        f'<line class="axis" x1="0" y1="{_num(height)}" x2="{_num(width)}" y2="{_num(height)}"/>'
    ]
    for i, (value, name) in enumerate(zip(values, labels, strict=True)):
        h = height * value / top
        if value and h < 1:
            h = 1.0  # a single event stays visible beside thousands
        parts.append(
            f'<rect class="column" x="{_num(i * step + gap / 2)}" y="{_num(height - h)}"'
            f' width="{_num(step - gap)}" height="{_num(h)}">'
            f"<title>{escape(name)}: {value}</title></rect>"
        )
    return _svg(width, height, "columns", label, "".join(parts))


def meter(rate: float | None, label: str) -> Markup:
    """A filled bar for a share from 0 to 1; hatched when there is nothing to measure."""
    width, height = 100.0, 8.0
    if rate is None:
        body = f'<rect class="empty" x="0" y="0" width="{_num(width)}" height="{_num(height)}"/>'
        return _svg(width, height, "meter", f"{label}: no final events", body)
    rate = min(max(rate, 0.0), 1.0)
    body = (
        f'<rect class="track" x="0" y="0" width="{_num(width)}" height="{_num(height)}"/>'
        f'<rect class="fill" x="0" y="0" width="{_num(width * rate)}" height="{_num(height)}">'
        f"<title>{rate:.1%}</title></rect>"
    )
    return _svg(width, height, "meter", f"{label}: {rate:.1%}", body)


def hbars(items: Sequence[tuple[str, int]], label: str) -> Markup:
    """Horizontal bars with their labels and counts, for a short ranked list."""
    row, width, text_width = 16.0, 300.0, 110.0
    height = row * max(len(items), 1)
    top = max((n for _, n in items), default=0) or 1
    parts = []
    for i, (name, n) in enumerate(items):
        y = i * row
        w = (width - text_width - 40) * n / top
        shown = name if len(name) <= 16 else name[:15] + "\u2026"
        parts.append(
            f'<text class="label" x="0" y="{_num(y + 12)}">{escape(shown or "(none)")}</text>'
            f'<rect class="hbar" x="{_num(text_width)}" y="{_num(y + 3)}" width="{_num(w)}"'
            f' height="{_num(row - 6)}"><title>{escape(name or "(none)")}: {n}</title></rect>'
            f'<text class="value" x="{_num(text_width + w + 4)}" y="{_num(y + 12)}">{n}</text>'
        )
    return Markup(
        f'<svg class="chart hbars" viewBox="0 0 {_num(width)} {_num(height)}" role="img"'
        f' aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )

"""Ghost's Lexical JSON (``post.lexical``) to HTML, for the body parser.

Node shapes are Koenig's (github.com/TryGhost/Koenig, kg-default-nodes):
``root`` > ``paragraph`` / ``heading`` (``tag``) / ``quote`` / ``aside`` /
``list`` (``listType``, ``listitem``) with ``text`` (``format`` bits),
``link`` (``url``) and ``linebreak`` inline; Ghost's ``extended-*`` variants;
the cards ``image``, ``html``, ``markdown`` (as text), ``embed``,
``bookmark``, ``callout``, ``codeblock``, ``horizontalrule`` and
``paywall`` (where a gated article's members-only part starts). Unknown
nodes keep their children's text; unknown cards are dropped. Every string is
escaped here and the result is sanitised again when stored (api/bodies.py).
"""

import json
from html import escape
from typing import Any

# Lexical's TextNode format bits, outermost tag first.
FORMATS = [
    (1, "strong"),
    (2, "em"),
    (4, "s"),
    (8, "u"),
    (16, "code"),
    (32, "sub"),
    (64, "sup"),
]
MAX_DEPTH = 40
MAX_NODES = 20_000


class LexicalError(ValueError):
    """Not Lexical JSON: the post is refused with a 400."""


def to_html(lexical: str | dict[str, Any]) -> str:
    """The HTML of a Lexical document (a JSON string, as Ghost takes it).

    Raises:
        LexicalError: not JSON, no ``root``, or too deep or too big.
    """
    if isinstance(lexical, str):
        try:
            document = json.loads(lexical)
        except ValueError as error:
            raise LexicalError(f"lexical is not JSON: {error}") from error
    else:
        document = lexical
    root = document.get("root") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        raise LexicalError("lexical has no root node")
    renderer = _Renderer()
    return "\n".join(renderer.block(node, 0) for node in renderer.children(root, 0))


def _text(value: Any) -> str:
    return escape(value) if isinstance(value, str) else ""


def _attr(value: Any) -> str:
    return escape(value, quote=True) if isinstance(value, str) else ""


class _Renderer:
    def __init__(self) -> None:
        self.count = 0

    def children(self, node: dict[str, Any], depth: int) -> list[dict[str, Any]]:
        if depth > MAX_DEPTH:
            raise LexicalError("lexical nested too deeply")
        kids = node.get("children")
        if not isinstance(kids, list):
            return []
        self.count += len(kids)
        if self.count > MAX_NODES:
            raise LexicalError("lexical has too many nodes")
        return [kid for kid in kids if isinstance(kid, dict)]

    def inline(self, node: dict[str, Any], depth: int) -> str:
        return "".join(self.span(kid, depth + 1) for kid in self.children(node, depth))

    def span(self, node: dict[str, Any], depth: int) -> str:
        kind = node.get("type")
        if kind in ("text", "extended-text", "tk", "at-link-search"):
            html = _text(node.get("text"))
            bits = node.get("format")
            if isinstance(bits, int):
                for bit, tag in reversed(FORMATS):
                    if bits & bit:
                        html = f"<{tag}>{html}</{tag}>"
            return html
        if kind == "linebreak":
            return "<br>"
        if kind in ("link", "autolink", "at-link"):
            return f'<a href="{_attr(node.get("url"))}">{self.inline(node, depth)}</a>'
        # An unknown inline node: its text survives.
        return self.inline(node, depth)

    def block(self, node: dict[str, Any], depth: int) -> str:
        kind = node.get("type")
        if kind in ("paragraph", "extended-paragraph"):
            inner = self.inline(node, depth)
            return f"<p>{inner}</p>" if inner else ""
        if kind in ("heading", "extended-heading"):
            tag = node.get("tag")
            tag = tag if tag in ("h1", "h2", "h3", "h4", "h5", "h6") else "h2"
            return f"<{tag}>{self.inline(node, depth)}</{tag}>"
        if kind in ("quote", "extended-quote", "aside"):
            return f"<blockquote><p>{self.inline(node, depth)}</p></blockquote>"
        if kind == "list":
            return self.list(node, depth)
        return self.card(node, depth)

    def list(self, node: dict[str, Any], depth: int) -> str:
        tag = "ol" if node.get("listType") == "number" else "ul"
        items = []
        for item in self.children(node, depth):
            nested = [
                self.list(kid, depth + 1)
                for kid in self.children(item, depth + 1)
                if kid.get("type") == "list"
            ]
            text = "".join(
                self.span(kid, depth + 2)
                for kid in self.children(item, depth + 1)
                if kid.get("type") != "list"
            )
            items.append(f"<li>{text}{''.join(nested)}</li>")
        return f"<{tag}>{''.join(items)}</{tag}>"

    def card(self, node: dict[str, Any], depth: int) -> str:
        kind = node.get("type")
        if kind == "image":
            caption = node.get("caption")
            figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
            src, alt = _attr(node.get("src")), _attr(node.get("alt"))
            return (
                f'<figure class="kg-card kg-image-card"><img src="{src}"'
                f' alt="{alt}">{figcaption}</figure>'
            )
        if kind == "html":
            html = node.get("html")
            return html if isinstance(html, str) else ""
        if kind == "markdown":
            return "".join(
                f"<p>{_text(part)}</p>"
                for part in str(node.get("markdown") or "").split("\n\n")
                if part.strip()
            )
        if kind == "embed":
            url = _attr(node.get("url"))
            return f'<figure class="kg-card kg-embed-card" data-url="{url}"></figure>'
        if kind == "bookmark":
            meta = (
                node.get("metadata") if isinstance(node.get("metadata"), dict) else {}
            )
            title = meta.get("title") if isinstance(meta, dict) else None
            url = _attr(node.get("url"))
            return f'<p><a href="{url}">{_text(title) or url}</a></p>'
        if kind == "callout":
            emoji = _text(node.get("calloutEmoji"))
            text = node.get("calloutText")
            text = text if isinstance(text, str) else ""
            return f"<blockquote>{emoji} {text}</blockquote>"
        if kind == "codeblock":
            return f"<pre><code>{_text(node.get('code'))}</code></pre>"
        if kind == "horizontalrule":
            return "<hr>"
        if kind == "paywall":
            return "<!--members-only-->"
        return ""

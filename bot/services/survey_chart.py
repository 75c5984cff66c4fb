"""A survey's result as a bar chart (PNG bytes), drawn with matplotlib's Agg backend
(no display, safe in a server process): one bar per answer, the combined votes of every
group, stacked by group so each group's share is visible."""

from __future__ import annotations

import io
import textwrap

from bot.services.surveys import Results

MAX_STACKED = 8  # more groups than this are drawn as one bar per answer


def plain(text: str) -> str:
    """`text` drawn as it is: matplotlib reads what stands between two "$" as math (and
    fails on e.g. "$^$"), so every "$" of a person's text is escaped."""
    return text.replace("$", r"\$")


def bar_chart(res: Results, title: str, voters_label: str) -> bytes:
    """PNG of the result: horizontal bars per answer; `voters_label` names the x axis."""
    # Imported here, not at start-up: matplotlib takes a while to load (and builds its
    # font cache on a first run), and only /enkater draws.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    labels = [plain(textwrap.shorten(o, 40, placeholder="…")) for o in res.survey.options]
    fig, ax = plt.subplots(figsize=(7, 1.2 + 0.55 * len(labels)), dpi=100)
    try:
        positions = list(range(len(labels)))[::-1]
        sent = [p for p in res.polls if p.is_sent]
        if 1 < len(sent) <= MAX_STACKED:
            left = [0] * len(labels)
            for poll in sent:
                values = (poll.counts + [0] * len(labels))[: len(labels)]
                ax.barh(positions, values, left=left, label=plain(poll.group_name))
                left = [a + b for a, b in zip(left, values, strict=True)]
            ax.legend(fontsize=7, loc="lower right")
        else:
            ax.barh(positions, res.counts, color="#1f5fa8")
        for y, n in zip(positions, res.counts, strict=True):
            ax.text(n, y, f" {n}", va="center", fontsize=9)
        ax.set_yticks(positions, labels, fontsize=9)
        ax.set_xlabel(voters_label)
        ax.set_title(plain(textwrap.shorten(title, 70, placeholder="…")), fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole voters only
        ax.set_xlim(0, max([*res.counts, 1]) * 1.15)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)

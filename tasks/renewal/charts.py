"""The four charts of a renewal report, drawn with matplotlib from the figures dict (tasks/renewal/report.py).

Object-oriented API only (matplotlib.figure.Figure with the Agg canvas): no pyplot, no global figure state, so
charts can be drawn from several threads. Each chart is 7 inches wide, the width it is printed at in the PDF,
with no type smaller than 9 pt. Met and missed, gains and shortfalls, state and federal differ by hatching and
by their labels as well as by colour. The PNG bytes are the same for the same figures.
"""

from decimal import Decimal
from io import BytesIO
from textwrap import fill

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

WIDTH = 7.0  # inches, the PDF's chart width
DPI = 160
MET, MISSED, TARGET = "#2e7d32", "#c62828", "#111111"
EXPECTED, ACHIEVED = "#5f6b7a", "#1f3a5f"
STATE, FEDERAL = "#1f3a5f", "#e0a526"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STYLE = {"font.size": 9.5, "axes.titlesize": 11, "axes.labelsize": 9.5, "xtick.labelsize": 9, "ytick.labelsize": 9,
         "legend.fontsize": 9, "text.parse_math": False}  # "$" is a dollar sign, not mathtext


def month_label(month: str) -> str:
    """'2025-10' -> 'Oct 2025'."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def dollars(value: Decimal | float, cents: bool = True) -> str:
    return f"${value:,.2f}" if cents else f"${value:,.0f}"


def short_dollars(value: float) -> str:
    """$11.07M, $840K, $12,950 for a label on a bar."""
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.2f}M"
    if abs(value) >= 1e5:
        return f"${value / 1e3:,.0f}K"
    return f"${value:,.0f}"


def millions(value: float, _=None) -> str:
    return f"${value / 1e6:,.1f}M" if value else "$0"


def _figure(height: float, layout: str | None = "constrained") -> Figure:
    return Figure(figsize=(WIDTH, height), dpi=DPI, layout=layout)


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _styled(draw):
    """Draw with the report's type sizes (rc values are read when the text is created)."""
    def chart(figures: dict) -> bytes:
        with rc_context(STYLE):
            return draw(figures)
    chart.__doc__ = draw.__doc__
    chart.__name__ = draw.__name__
    return chart


@_styled
def outcomes_chart(figures: dict) -> bytes:
    """(a) Each outcome's percent against its target: a bar per outcome, the target as a black mark."""
    outcomes = figures["outcomes"]
    figure = _figure(1.5 + 0.75 * len(outcomes))
    ax = figure.add_subplot()
    rows = list(range(len(outcomes)))[::-1]
    for row, outcome in zip(rows, outcomes):
        value = float(outcome["percent"]) if outcome["percent"] is not None else 0.0
        met = outcome["met"]
        ax.barh(row, value, height=0.55, color={True: MET, False: MISSED}.get(met, EXPECTED), edgecolor="black",
                linewidth=0.6, hatch="//" if met is False else None)
        if outcome["target"] is not None:
            target = float(outcome["target"])
            ax.plot([target, target], [row - 0.38, row + 0.38], color=TARGET, linewidth=2.5)
        shown = f"{outcome['percent']}%" if outcome["percent"] is not None else "no data"
        target = f"{outcome['target']}%" if outcome["target"] is not None else "none"
        verdict = {True: "met", False: "MISSED"}.get(met, "no result")
        ax.text(103, row, f"{shown} (target {target})\n{verdict}", va="center", ha="left", fontsize=9.5,
                fontweight="bold" if met is False else "normal")
    ax.set_yticks(rows, [f"{fill(o['label'], 30)}\n{o['paragraph'].replace('13 CSR ', '')}" for o in outcomes])
    ax.set_xlim(0, 160)
    ax.set_xticks(range(0, 101, 20))
    ax.spines["bottom"].set_bounds(0, 100)
    ax.set_xlabel("Percent of children (%)", x=100 / 160 / 2)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    figure.suptitle("Outcomes against their targets")
    figure.legend(handles=[Patch(facecolor=MET, edgecolor="black", label="Met (solid)"),
                           Patch(facecolor=MISSED, edgecolor="black", hatch="//", label="Missed (hatched)"),
                           Line2D([], [], color=TARGET, linewidth=2.5, label="Target (black mark)")],
                  loc="outside lower center", ncols=3, frameon=False)
    return _png(figure)


@_styled
def permanency_chart(figures: dict) -> bytes:
    """(b) Expected against achieved permanency, month by month: bars achieved, a stepped line expected."""
    months = figures["incentive"]["months"]
    labels = [month_label(m["month"]) for m in months]
    achieved = [m["achieved"] for m in months]
    expected = [float(m["expected"]) for m in months]
    figure = _figure(3.3)
    ax = figure.add_subplot()
    x = list(range(len(months)))
    bars = ax.bar(x, achieved, width=0.65, color=ACHIEVED, label="Achieved (bars)")
    for label in ax.bar_label(bars, labels=[str(a) for a in achieved], padding=2, fontsize=9):
        label.set(zorder=5, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})  # over the dashed line
    ax.step([x[0] - 0.5, *x, x[-1] + 0.5], [expected[0], *expected, expected[-1]], where="mid", color=MISSED,
            linewidth=2, linestyle="--", label=f"Expected (dashed line), {months[0]['expected']} a month"
            if len(set(expected)) == 1 else "Expected (dashed line)")
    ax.set_xticks(x, [label.replace(" ", "\n") for label in labels])
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.set_ylim(0, max(achieved + expected) * 1.25)
    ax.set_ylabel("Children reaching permanency")
    ax.set_title("Expected and achieved permanency by month")
    ax.legend(loc="upper left", ncols=2, frameon=False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(figure)


@_styled
def incentive_chart(figures: dict) -> bytes:
    """(c) The incentive build-up: the monthly differences as a waterfall to their sum and the children paid
    for (left); the amount, the appropriation cap and the payment in dollars (right)."""
    incentive = figures["incentive"]
    months = incentive["months"]
    figure = _figure(3.6)
    left, right = figure.subplots(1, 2, width_ratios=[2, 1.2])
    running = Decimal(0)
    for i, month in enumerate(months):
        difference = Decimal(month["difference"])
        gain = difference >= 0
        left.bar(i, float(difference), bottom=float(running), width=0.7, color=MET if gain else MISSED,
                 edgecolor="black", linewidth=0.5, hatch=None if gain else "//")
        running += difference
        left.plot([i + 0.35, i + 0.65], [float(running)] * 2, color="#777777", linewidth=0.8)
    total = Decimal(incentive["sum_of_differences"])
    paid = incentive["children_paid"]
    n = len(months)
    ends = (n + 0.5, n + 2.0)  # the sum and the children paid for, set apart from the months
    left.bar(ends, [float(total), paid], width=0.9, color=[ACHIEVED, EXPECTED], edgecolor="black", linewidth=0.5)
    for x, label, value in zip(ends, (str(total), str(paid)), (float(total), paid)):
        left.text(x, value, label, ha="center", va="bottom" if value >= 0 else "top", fontsize=9)
    left.axhline(0, color="black", linewidth=0.8)
    left.set_xticks([*range(n), *ends], [MONTHS[int(m["month"][5:]) - 1][:1] for m in months] + ["Sum", "Paid"])
    left.set_ylabel("Children above expected\n(cumulative)")
    left.set_xlabel("Months of the contract year (gains solid, shortfalls hatched)")
    left.set_title("Sum of monthly differences, children paid for", fontsize=10)
    low, high = left.get_ylim()
    span = max(high, 0) - min(low, 0) or 1.0
    left.set_ylim(min(low, 0) - (0.1 * span if float(total) < 0 else 0), max(high, 0) + 0.12 * span)
    left.grid(axis="y", color="#dddddd", linewidth=0.6)
    left.set_axisbelow(True)
    left.spines[["top", "right"]].set_visible(False)

    amount, payment = float(incentive["amount"]), float(incentive["payment"])
    cap = float(incentive["appropriation"]) if incentive["appropriation"] is not None else None
    bars = [("Amount", amount, EXPECTED, ""), ("Cap", cap, "white", ".."), ("Payment", payment, ACHIEVED, "")]
    bars = [bar for bar in bars if bar[1] is not None]
    top = max(amount, payment, min(cap or 0, 2 * max(amount, payment))) * 1.2 or float(incentive["monthly_rate"])
    drawn = right.bar(range(len(bars)), [min(value, top) for _, value, _, _ in bars], width=0.65,
                      color=[colour for _, _, colour, _ in bars], hatch=[hatch for *_, hatch in bars],
                      edgecolor="black", linewidth=0.8)
    right.bar_label(drawn, labels=[short_dollars(value) + ("\n(off scale)" if value > top else "")
                                   for _, value, _, _ in bars], padding=2, fontsize=9)
    right.set_xticks(range(len(bars)), [name for name, *_ in bars])
    right.set_ylim(0, top * 1.15)
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"${v:,.0f}"))
    right.set_ylabel("Dollars ($)")
    capped = ", capped" if payment < amount else ""
    right.set_title(f"{paid} x {dollars(Decimal(incentive['monthly_rate']))}{capped}", fontsize=10)
    right.spines[["top", "right"]].set_visible(False)
    figure.suptitle("Incentive build-up, " + incentive["paragraph"].replace("13 CSR ", ""), fontsize=11)
    return _png(figure)


@_styled
def funding_chart(figures: dict) -> bytes:
    """(d) The state and federal split by category: stacked horizontal bars, amounts labelled."""
    rows = [*figures["funding"], {"category": "Total", **figures["funding_total"]}]
    figure = _figure(1.2 + 0.45 * len(rows))
    ax = figure.add_subplot()
    y = list(range(len(rows)))[::-1]
    state = [float(r["state"]) for r in rows]
    federal = [float(r["federal"]) for r in rows]
    ax.barh(y, state, height=0.6, color=STATE, edgecolor="black", linewidth=0.5, label="State (solid)")
    ax.barh(y, federal, left=state, height=0.6, color=FEDERAL, edgecolor="black", linewidth=0.5, hatch="..",
            label="Federal (dotted)")
    widest = max(s + f for s, f in zip(state, federal)) or 1.0
    for row, s, f, r in zip(y, state, federal, rows):
        ax.text(s + f + widest * 0.015, row, f"state {short_dollars(s)}, federal {short_dollars(f)}", va="center",
                fontsize=9, fontweight="bold" if r["category"] == "Total" else "normal")
    ax.set_yticks(y, [r["category"] for r in rows])
    ax.set_xlim(0, widest * 1.7)
    ax.set_xticks([tick for tick in ax.get_xticks() if 0 <= tick <= widest * 1.05])
    ax.set_xlim(0, widest * 1.7)
    ax.xaxis.set_major_formatter(FuncFormatter(millions))
    ax.spines["bottom"].set_bounds(0, max(ax.get_xticks()))
    ax.set_xlabel("Dollars ($ millions)", x=max(ax.get_xticks()) / (widest * 1.7) / 2)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    figure.suptitle("State and federal shares by funding category")
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    return _png(figure)


CHARTS = (("outcomes", "Outcomes against their targets", outcomes_chart),
          ("permanency", "Expected and achieved permanency by month", permanency_chart),
          ("incentive", "Incentive build-up", incentive_chart),
          ("funding", "State and federal split", funding_chart))


def charts(figures: dict) -> dict[str, bytes]:
    """name -> PNG bytes of the four charts, in report order."""
    return {name: draw(figures) for name, _, draw in CHARTS}

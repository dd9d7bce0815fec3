"""Numbers for the server-drawn bar chart (templates/includes/bar_chart.html)."""

# The longest bar is this many units long: each bar's SVG is a viewBox 100 units wide that the
# stylesheet stretches over the chart's bar column.
BAR_SPAN = 100


def bar_rows(counts, labels):
    """Chart rows for every (key, label) in `labels`, zero counts included so the chart keeps
    its shape. Each row has key, label, count, percent (of the total) and width (of the longest
    bar, 0 to BAR_SPAN)."""
    total = sum(counts.values())
    largest = max(counts.values(), default=0)
    return [
        {
            "key": key,
            "label": label,
            "count": counts.get(key, 0),
            "percent": round(100 * counts.get(key, 0) / total) if total else 0,
            "width": round(BAR_SPAN * counts.get(key, 0) / largest) if largest else 0,
        }
        for key, label in labels
    ]

"""Numbers for the server-drawn bar chart (templates/includes/bar_chart.html)."""

# The longest bar fills this many SVG units; each row is ROW_HEIGHT units tall.
BAR_SPAN = 240
ROW_HEIGHT = 24


def bar_rows(counts, labels):
    """Chart rows for every (key, label) in `labels`, zero counts included so the chart keeps
    its shape. Each row has key, label, count, percent, width (SVG units) and y."""
    total = sum(counts.values())
    largest = max(counts.values(), default=0)
    rows = []
    for index, (key, label) in enumerate(labels):
        count = counts.get(key, 0)
        rows.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "percent": round(100 * count / total) if total else 0,
                "width": round(BAR_SPAN * count / largest) if largest else 0,
                "y": index * ROW_HEIGHT,
            }
        )
    return rows


def chart_height(rows):
    return len(rows) * ROW_HEIGHT

"""An SVG of on-wire throughput in 100 ms buckets across schedule switches, with the configured rate as a step
line; one panel per flow, logarithmic rate axis (the 200× schedule spans more than two decades)."""
import math
from xml.sax.saxutils import escape

WIDTH, PANEL, LEFT, RIGHT, TOP, BOTTOM = 900, 230, 70, 20, 34, 34


def render(panels, bucket):
    height = PANEL * len(panels) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{WIDTH}" height="{height}" fill="white"/>']
    for index, (title, started, samples, done, work, non_work) in enumerate(panels):
        parts.append(_panel(index * PANEL, title, started, samples, done, work, non_work, bucket))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _panel(y0, title, started, samples, done, work, non_work, bucket):
    t_end = samples[-1]["t"] - started
    lo = min(work, non_work) / 4
    hi = max(work, non_work) * 4
    plot_w, plot_h = WIDTH - LEFT - RIGHT, PANEL - TOP - BOTTOM

    def x(t):
        return LEFT + plot_w * t / t_end

    def y(bits):
        bits = min(max(bits, lo), hi)
        return y0 + TOP + plot_h * (1 - (math.log10(bits) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))

    out = [f'<text x="{LEFT}" y="{y0 + 20}" font-weight="bold">{escape(title)}</text>',
           f'<rect x="{LEFT}" y="{y0 + TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>']
    decade = 10 ** math.floor(math.log10(lo))
    while decade <= hi:
        for mult in (1, 2, 5):
            value = decade * mult
            if lo <= value <= hi:
                out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                           f'stroke="#eee"/>')
                out.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{_label(value)}</text>')
        decade *= 10
    for second in range(0, int(t_end) + 1):
        out.append(f'<text x="{x(second):.1f}" y="{y0 + TOP + plot_h + 16}" text-anchor="middle">{second} s</text>')
    for start, end, _, _, _ in done:
        out.append(f'<rect x="{x(start - started):.1f}" y="{y0 + TOP}" width="{max(1, x(end - started) - x(start - started)):.1f}" '
                   f'height="{plot_h}" fill="#f4d35e" opacity="0.6"/>')
    # configured rate: work until the first switch finished, then each switch's rate
    steps, rate, t = [], work, 0.0
    for start, end, new_rate, _, _ in done:
        steps.append((t, end - started, rate))
        t, rate = end - started, new_rate
    steps.append((t, t_end, rate))
    path = " ".join(f"M{x(a):.1f},{y(r):.1f} H{x(c):.1f}" if i == 0 else f"V{y(r):.1f} H{x(c):.1f}"
                    for i, (a, c, r) in enumerate(steps))
    out.append(f'<path d="{path}" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="6,3"/>')
    points = []
    for a, c in zip(samples, samples[1:]):
        sent = c["bytes"] - a["bytes"] if c["handle"] == a["handle"] else c["bytes"]
        points.append(f'{x((a["t"] + c["t"]) / 2 - started):.1f},{y(sent * 8 / (c["t"] - a["t"])):.1f}')
    out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>')
    lx = LEFT + plot_w - 330
    out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{y0 + 16}" y2="{y0 + 16}" stroke="#1f77b4" stroke-width="2"/>'
               f'<text x="{lx + 28}" y="{y0 + 20}">on wire, {int(bucket * 1000)} ms buckets</text>'
               f'<line x1="{lx + 190}" x2="{lx + 214}" y1="{y0 + 16}" y2="{y0 + 16}" stroke="#d62728" '
               f'stroke-width="2" stroke-dasharray="6,3"/><text x="{lx + 218}" y="{y0 + 20}">configured rate</text>')
    return "\n".join(out)


def _label(bits):
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if bits >= size:
            value = bits / size
            return (f"{value:.0f}" if value >= 1 and value == int(value) else f"{value:g}") + f" {unit}bit/s"
    return f"{bits:g} bit/s"

"""Charts for Slack: text bars that scale to the peak, and a real PNG."""

from dashboards.charts import created_vs_completed_png, text_bar, text_bars


def test_a_text_bar_scales_to_the_peak_in_half_blocks():
    assert text_bar(10, peak=10, width=10) == "█" * 10
    assert text_bar(5, peak=10, width=10) == "█" * 5
    assert text_bar(1, peak=20, width=10) == "▌"  # small but never invisible
    assert text_bar(0, peak=10) == "" and text_bar(3, peak=0) == ""


def test_text_bars_line_up_labels_and_values_in_a_code_block():
    drawn = text_bars([("Mon", 4), ("Tuesday", 2), ("Wed", 0)], width=4)
    lines = drawn.splitlines()
    assert lines[0] == "```" and lines[-1] == "```"
    assert lines[1] == "Mon     ████ 4"
    assert lines[2] == "Tuesday ██   2"
    assert lines[3] == "Wed          0"


def test_the_chart_is_a_png_image():
    png = created_vs_completed_png(["Mon", "Tue"], [3, 1], [2, 4], title="Created vs completed")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000

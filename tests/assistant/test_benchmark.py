import io

from demo.assistant_bench import report_assistant_accuracy


def test_the_benchmark_prints_the_held_out_accuracy():
    out = io.StringIO()
    report_assistant_accuracy(out)
    line = out.getvalue().splitlines()[0]
    assert line.startswith("Assistant parser, held-out requests: ")
    assert "/33 (" in line and "ms a request" in line

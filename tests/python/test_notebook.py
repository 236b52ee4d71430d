"""examples/explore.ipynb, executed headlessly by a real Jupyter kernel (nbclient, ipykernel).

The kernel runs in this interpreter's environment, where smtpcodes is installed. The notebook
is run as it is (a DataFrame when pandas is installed) and once more with pandas hidden, so
that both of its table branches are known to work.
"""

import importlib.util

import pytest

from conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

pytestmark = pytest.mark.notebook

NOTEBOOK = ROOT / "examples" / "explore.ipynb"


def execute(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return nb


def html_outputs(nb):
    return [
        o.data["text/html"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == "execute_result" and "text/html" in o.get("data", {})
    ]


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    # nbformat 4.5 wants an id on every cell (and fills in missing ones, with a warning)
    ids = [cell.get("id") for cell in nb.cells]
    assert None not in ids and len(set(ids)) == len(ids), ids
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


def test_notebook_shows_codes_and_comparisons_as_html(tmp_path):
    nb = execute(tmp_path)
    html = html_outputs(nb)
    pages = [h for h in html if h.lstrip().startswith("<article")]
    assert any("421" in h and "Service Not Available" in h for h in pages), "lookup(421)"
    assert any("Mailbox Unavailable" in h for h in pages), "the smtplib reply"
    assert any("504" in h and "421" in h and "Beschreibung" in h for h in pages), "compare"
    replies = [h for h in pages if "smtpcodes-reply" in h]
    assert any("452" in h and "4.2.2" in h and "retry" in h for h in replies), "parse_reply"
    scans = [h for h in html if "smtpcodes-scan" in h]
    assert any("Mailbox Unavailable" in h and "give-up" in h for h in scans), "scan"
    if importlib.util.find_spec("pandas") is not None:
        import smtpcodes

        permanent = smtpcodes.codes(5)
        (table,) = [h for h in html if "<table" in h and "dataframe" in h]
        assert "%d rows" % len(permanent) in table
        assert ">%s<" % permanent[0].code in table and ">%s<" % permanent[-1].code in table


def test_notebook_works_without_pandas(tmp_path, monkeypatch):
    blocker = tmp_path / "no-pandas" / "pandas"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('pandas is hidden by the test')\n")
    monkeypatch.setenv("PYTHONPATH", str(blocker.parent))
    nb = execute(tmp_path)
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    (result,) = [o for o in last.outputs if o.output_type == "execute_result"]
    text = result.data["text/plain"]
    assert text.startswith("[{'code': '500'") and "'code': '550'" in text
    assert "'code': '5.7.1'" in text

"""load(), loaded databases, SMTPCODES_DATA and the errors of data files."""

import gc
import os
import pickle
import subprocess
import sys
import weakref

import pytest

import smtpcodes
from conftest import VECTORS

OVERRIDE = VECTORS / "data" / "valid" / "override-421.txt"
LANGUAGE = VECTORS / "data" / "valid" / "language.txt"
BROKEN = VECTORS / "data" / "invalid" / "duplicate-code.txt"


def site_code(path):
    """The code a valid vector file adds beyond the built-in database."""
    codes = [line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
             if line.startswith("Code:")]
    added = [c for c in codes if c not in smtpcodes.database]
    assert added, "%s adds no code" % path.name
    return added[0]


def test_load_overlays_the_builtin_database():
    db = smtpcodes.load(OVERRIDE)
    added = site_code(OVERRIDE)
    assert db.lookup(added).code == added
    assert added not in smtpcodes.database, "the default database is unchanged"
    assert len(db) == len(smtpcodes.database) + 1
    assert db.lookup(250).name == smtpcodes.lookup(250).name
    assert db.lookup(421) == smtpcodes.lookup(421), "same code, so equal"
    assert db.lookup(421) is not smtpcodes.lookup(421), "but each database has its objects"
    assert db[421] is db.lookup("421")
    assert repr(db) == "<Database %r, %d entries>" % (str(OVERRIDE), len(db))


def english_labels():
    """A Language record for "en" with the built-in labels: a file loaded alone needs one."""
    labels = smtpcodes.compare(421, 504).labels
    fields = ("Description", "When", "Fix", "Differences", "Usage", "Learn-More")
    return "Language: en\nLanguage-Name: English\n" + "".join(
        "%s-Label: %s\n" % pair for pair in zip(fields, labels)
    )


def test_load_alone(tmp_path):
    path = tmp_path / "alone.txt"
    path.write_text(OVERRIDE.read_text() + "\n" + english_labels(), encoding="utf-8")
    db = smtpcodes.load(path, alone=True)
    assert len(db) == sum(1 for line in OVERRIDE.read_text().splitlines()
                          if line.startswith("Code:"))
    assert db.languages() == ("en",)
    assert [c.code for c in db] == ["299", "421"]
    with pytest.raises(smtpcodes.DataError, match="'en'"):
        smtpcodes.load(OVERRIDE, alone=True)
    with pytest.raises(smtpcodes.UnknownCodeError):
        db.lookup(250)
    with pytest.raises(TypeError):
        smtpcodes.load(OVERRIDE, alone=1)


def test_loaded_database_has_every_method():
    db = smtpcodes.load(LANGUAGE)
    assert "nl" in db.languages()
    cmp = db.compare(421, 504, lang="nl")
    assert cmp.lang == "nl" and cmp.labels.description == "Beschrijving"
    assert db.codes(5) and all(c.klass == 5 for c in db.codes(5))
    assert db.lookup_closest("5.7.650")[0].entry == "X.7.0"
    assert db.lookup("5.7.1").to_html().startswith("<article")
    with pytest.raises(smtpcodes.UnknownLanguageError):
        smtpcodes.compare(421, 504, lang="nl")


def test_path_like_and_bytes_paths():
    assert len(smtpcodes.load(str(OVERRIDE))) == len(smtpcodes.load(os.fsencode(OVERRIDE)))


def test_codes_of_a_loaded_database_pickle_with_it():
    db = smtpcodes.load(OVERRIDE)
    added = site_code(OVERRIDE)
    codes = [db.lookup(added), db.lookup("5.7.1"), db.lookup(421)]
    again = pickle.loads(pickle.dumps(codes))
    assert again == codes
    assert again[0].name == codes[0].name
    assert again[0]._source is again[1]._source, "the file is loaded once per pickle"
    cmp = db.compare(added, 421)
    assert pickle.loads(pickle.dumps(cmp)) == cmp
    assert pickle.loads(pickle.dumps(db)).path == db.path


def test_a_loaded_database_is_freed_when_unused():
    db = smtpcodes.load(OVERRIDE)
    code = db.lookup(421)
    cmp = db.compare(421, 504)
    source = weakref.ref(code._source)
    del db
    gc.collect()
    assert source() is not None, "its codes keep it alive"
    assert code.to_text().startswith("SMTP 421") and str(cmp).startswith("SMTP 421")
    del code, cmp
    assert source() is None, "no reference cycle: freed without the garbage collector"


def test_data_error_names_file_line_and_column():
    with pytest.raises(smtpcodes.DataError) as info:
        smtpcodes.load(BROKEN)
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, smtpcodes.Error)
    assert error.filename == str(BROKEN) and error.line > 0 and error.column > 0
    assert "duplicate code" in error.reason
    assert str(error) == "%s:%d:%d: %s" % (BROKEN, error.line, error.column, error.reason)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        smtpcodes.load(tmp_path / "missing.txt")


def test_directory_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        smtpcodes.load(tmp_path)


def test_nul_in_a_path_is_a_value_error():
    with pytest.raises(ValueError):
        smtpcodes.load("data\0file.txt")


def test_wrong_path_type():
    with pytest.raises(TypeError):
        smtpcodes.load(42)


@pytest.mark.parametrize(
    "content, line",
    [
        (b"Code: 297\nName: x\n", 1),
        (b"\xff\xfe garbage\n", 1),
        (b"Code: 421\nName: \xc3\x28\n", 2),
        (b"", None),
    ],
)
def test_broken_or_empty_files(tmp_path, content, line):
    path = tmp_path / "site.txt"
    path.write_bytes(content)
    if line is None:
        assert len(smtpcodes.load(path)) == len(smtpcodes.database), "empty: nothing added"
        return
    with pytest.raises(smtpcodes.DataError) as info:
        smtpcodes.load(path)
    assert info.value.line == line


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


def test_smtpcodes_data_is_honoured_at_import():
    added = site_code(OVERRIDE)
    done = run_python(
        "import smtpcodes; c = smtpcodes.lookup(%r); print(c.code, smtpcodes.database.path)"
        % added,
        SMTPCODES_DATA=str(OVERRIDE),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [added, str(OVERRIDE)]


def test_empty_smtpcodes_data_means_builtin():
    done = run_python("import smtpcodes; print(smtpcodes.database)", SMTPCODES_DATA="")
    assert done.returncode == 0, done.stderr
    assert "built-in" in done.stdout


def test_broken_smtpcodes_data_fails_the_import_clearly():
    done = run_python("import smtpcodes", SMTPCODES_DATA=str(BROKEN))
    assert done.returncode == 1
    assert "smtpcodes.DataError: %s:" % BROKEN in done.stderr


def test_missing_smtpcodes_data_fails_the_import_clearly(tmp_path):
    done = run_python("import smtpcodes", SMTPCODES_DATA=str(tmp_path / "none.txt"))
    assert done.returncode == 1
    assert "FileNotFoundError" in done.stderr

"""The sidebar's focus picker: first the province (or the central government, or all), then the instansi in it."""

from tests.conftest import run_page


def _ids(at, key):
    return list(at.selectbox(key=key).options)


def test_the_instansi_list_holds_only_the_focus_province():
    at = run_page("app.py", lang="id", instansi="kota-cilegon", tahun="2022")
    assert at.selectbox(key="frame_group").value == "Banten"
    labels = _ids(at, "frame_instansi")
    assert len(labels) == 9  # Banten's nine governments, not all 683 instansi
    assert "Kota Cilegon · Banten" in labels and all(label.endswith(" · Banten") for label in labels)
    assert at.selectbox(key="frame_instansi").value == "kota-cilegon"


def test_changing_the_province_moves_the_focus_to_that_province_and_the_url_follows():
    at = run_page("app.py", lang="id", instansi="kota-cilegon", tahun="2022")
    at.selectbox(key="frame_group").set_value("Jawa Barat").run()
    assert not at.exception
    assert at.selectbox(key="frame_instansi").value == "provinsi-jawa-barat"  # the province's own government
    assert at.query_params["instansi"] == "provinsi-jawa-barat"
    assert all(label.endswith(" · Jawa Barat") for label in _ids(at, "frame_instansi"))
    at.selectbox(key="frame_instansi").set_value("kota-bandung").run()
    assert at.query_params["instansi"] == "kota-bandung"
    assert at.selectbox(key="frame_group").value == "Jawa Barat"


def test_all_searches_every_instansi_and_keeps_the_focus():
    at = run_page("app.py", lang="en", instansi="kota-cilegon", tahun="2022")
    group = at.selectbox(key="frame_group")
    assert group.options[0] == "All (search 683 instansi)"
    group.set_value("*").run()
    assert at.selectbox(key="frame_instansi").value == "kota-cilegon"
    assert len(_ids(at, "frame_instansi")) == 683


def test_a_central_agency_opens_in_the_central_group():
    at = run_page("app.py", lang="id", instansi="kota-cilegon", tahun="2022")
    at.selectbox(key="frame_group").set_value("").run()
    central = at.selectbox(key="frame_instansi")
    assert at.selectbox(key="frame_group").options[-1] == "Instansi pusat"
    assert central.value == at.query_params["instansi"]
    assert all(" · " not in label for label in central.options)  # no province after a central agency's name
    focus = central.value
    fresh = run_page("app.py", lang="id", instansi=focus, tahun="2022")
    assert fresh.selectbox(key="frame_group").value == ""

"""Properties of the hub's pure parts: the visible fallback, and a signature that no changed byte passes."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corredor.infohub import bundle
from corredor.infohub.languages import HUB_LANGUAGE_CODES, pick

languages = st.sampled_from(HUB_LANGUAGE_CODES)
texts = st.dictionaries(languages, st.text(min_size=1).filter(str.strip), max_size=5)


@given(texts, languages)
def test_a_text_is_shown_whenever_one_exists_and_a_fallback_always_says_so(
    given_texts: dict, lang: str
) -> None:
    shown = pick(given_texts, lang)
    if not given_texts:
        assert shown.text == ""
        return
    assert shown.text == given_texts[shown.language]
    assert (shown.language == lang) == (lang in given_texts)
    assert bool(shown.fallback_note) == (shown.language != lang)


@given(st.data())
def test_no_changed_byte_of_a_signed_bundle_is_accepted(data: st.DataObject) -> None:
    payload = bundle.payload_json({"sequence": 1, "content": {"note": "Peñas Blancas"}})
    raw = bundle.envelope(payload)
    outer = json.loads(raw)
    text = outer["payload"]
    at = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.characters(codec="utf-8").filter(lambda c: c != text[at]))
    outer["payload"] = text[:at] + replacement + text[at + 1 :]
    with pytest.raises(bundle.BundleError) as refused:
        bundle.open_bundle(json.dumps(outer).encode())
    assert refused.value.status == 403  # the signature, not a later check

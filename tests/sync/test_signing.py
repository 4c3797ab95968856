"""Request signing: any change to what was signed makes the signature fail; only the key's holder signs."""

from hypothesis import given
from hypothesis import strategies as st

from corredor.sync import signing

texts = st.text(max_size=40)


@given(key=st.text(min_size=1, max_size=64), path=texts, timestamp=texts, body=st.binary(max_size=200))
def test_the_signature_holds_for_exactly_what_was_signed(
    key: str, path: str, timestamp: str, body: bytes
) -> None:
    given_signature = signing.signature(key, method="POST", path=path, timestamp=timestamp, body=body)
    assert signing.signature_valid(
        key, given_signature, method="post", path=path, timestamp=timestamp, body=body
    )
    assert not signing.signature_valid(
        key, given_signature, method="POST", path=path, timestamp=timestamp, body=body + b"x"
    )
    assert not signing.signature_valid(
        key, given_signature, method="POST", path=path + "x", timestamp=timestamp, body=body
    )
    assert not signing.signature_valid(
        key, given_signature, method="POST", path=path, timestamp=timestamp + "1", body=body
    )
    assert not signing.signature_valid(
        key + "x", given_signature, method="POST", path=path, timestamp=timestamp, body=body
    )
    assert not signing.signature_valid(key, "", method="POST", path=path, timestamp=timestamp, body=body)


def test_keys_are_new_each_time() -> None:
    assert signing.new_key() != signing.new_key()
    assert len(signing.new_key()) == 64

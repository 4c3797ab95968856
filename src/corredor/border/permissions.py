"""Who may read and change the border's records. One rule for crossings, wherever they are read (the list,
one crossing, a traveller's page, the desk's history): officers and supervisors see the crossings of their own
post; administrators see every post's. A traveller's status (in the country, until when) is derived from every
crossing and shown to whoever may see the traveller: the officer needs it to decide."""

from typing import Any

from corredor.core.permissions import permit_personal_data, permit_supervise, visible_post_codes


def crossing_posts(user: Any) -> list[str] | None:
    """The posts whose crossings `user` may read; None means every post. Refuses roles without personal
    data."""
    permit_personal_data(user)
    return visible_post_codes(user)


def permit_stay_change(user: Any, entry_post: str) -> None:
    """Extensions and changes of status: a supervisor of the post where the stay was granted, or an
    administrator (a supervisor at another post refers the case there)."""
    permit_supervise(user, entry_post)

"""A published text cannot track its readers: images load only from Kabinet itself."""

from __future__ import annotations

from django.test import override_settings

from kabinet.core.markdown import render


def test_an_image_from_another_site_becomes_a_link_to_it():
    html = render("Итоги: ![график](https://tracker.example/pixel.png?reader=marina)")

    assert "<img" not in html
    assert 'href="https://tracker.example/pixel.png?reader=marina"' in html
    assert ">график</a>" in html


def test_an_image_without_alt_text_links_with_its_address():
    html = render("![](http://tracker.example/p.gif)")

    assert "<img" not in html
    assert ">http://tracker.example/p.gif</a>" in html


def test_a_protocol_relative_image_is_another_site_too():
    html = render("![x](//tracker.example/p.gif)")

    assert "<img" not in html


def test_an_image_stored_in_kabinet_is_shown():
    html = render("![схема](/files/12/)")

    assert '<img src="/files/12/" alt="схема">' in html


@override_settings(SITE_URL="https://kabinet.agency.example")
def test_an_image_on_kabinets_own_address_is_shown_and_a_lookalike_is_not():
    own = render("![a](https://kabinet.agency.example/files/1/)")
    lookalike = render("![a](https://kabinet.agency.example.evil.example/files/1/)")

    assert "<img" in own
    assert "<img" not in lookalike


def test_a_raw_html_image_tag_never_loads_either():
    html = render('<img src="https://tracker.example/p.gif">')

    assert "<img" not in html

"""Post captions assembled from pre-built pools, with their readability and quality scores.

Pools are formatted once per group of brands (a few thousand strings); each post then only
draws indices, and Arrow joins the pieces in C++. Readability uses Kandel-Moles for French and
Flesch reading ease for English on the caption's sentences (hashtags and links excluded); the
quality index follows seed 001 (+1 proofread, +5 illustrated, +2 relevant link, +3 layout).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import join, take
from cadran.sources.demo.platforms import FORMATS, LANGUAGES, PLATFORMS, TOPICS
from cadran.sources.demo.sampling import pick
from cadran.sources.demo.spec import BoolArray, FloatArray, IntArray
from cadran.sources.demo.vocabulary import LINK_PATHS, SECTORS, product_forms
from cadran.sources.demo.wording import BODIES, CALLS, OPENINGS, TOPIC_HASHTAGS

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_VOWELS = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]+", re.IGNORECASE)
_SENTENCE = re.compile(r"[.!?…]+")
_HASHTAGS = np.array([(0, 2), (3, 6), (1, 3), (0, 2), (3, 5), (0, 3)])  # per platform, min-max
_PARAGRAPHS = np.array([True, True, True, False, False, True])  # blank lines between blocks
_CALL_CHANCE = np.array([0.85, 0.85, 0.85, 0.4, 0.85, 0.85])
_LINK_CHANCE = np.array([1.0, 0.0, 1.0, 0.9, 0.0, 0.8])  # Instagram and TikTok: link in bio
_TOPIC_LINK = np.array([0.45, 0.7, 0.55, 0.15, 0.2])
_UNILLUSTRATED = (FORMATS.index("text"), FORMATS.index("poll"))


def text_stats(text: str, language: str) -> tuple[int, int, int]:
    """Words, sentences and syllables of ``text`` (vowel groups, silent final e dropped)."""
    words = _WORD.findall(text)
    syllables = 0
    for word in words:
        groups = len(_VOWELS.findall(word))
        lower = word.lower()
        silent = lower.endswith(("e", "es")) if language == "fr" else lower.endswith("e")
        syllables += max(1, groups - 1 if silent and groups > 1 else groups)
    return len(words), max(1, len(_SENTENCE.findall(text))), syllables


def _fill(templates: tuple[str, ...], brand: str, product: tuple[str, str]) -> list[str]:
    """Templates filled with the brand and one product (bare name, name with article)."""
    return [t.format(brand=brand, product=product[0], the_product=product[1]) for t in templates]


@dataclass(frozen=True, eq=False)
class _Pool:
    """Strings with, per string, words / sentences / syllables, and index ranges per key."""

    strings: pa.Array
    stats: IntArray  # (strings, 3)
    start: IntArray
    count: IntArray


def _pool(entries: list[list[str]], languages: list[str], shape: tuple[int, ...]) -> _Pool:
    flat = [text for group in entries for text in group]
    stats = np.array(
        [
            text_stats(text, lang)
            for group, lang in zip(entries, languages, strict=True)
            for text in group
        ]
    )
    count = np.array([len(group) for group in entries], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    return _Pool(
        pa.array(flat, type=pa.string()), stats, start.reshape(shape), count.reshape(shape)
    )


@dataclass(frozen=True, eq=False)
class CaptionPools:
    """Caption pieces of one group's brands: openings and bodies per (brand, language, topic)."""

    openings: _Pool
    bodies: _Pool
    calls: _Pool  # per (language, link in bio)
    tags: _Pool  # per (brand, language): brand and sector hashtags
    topic_tags: pa.Array  # per (language, topic)
    links: _Pool  # per brand

    @classmethod
    def build(cls, blueprint: Blueprint, group: Group) -> CaptionPools:
        """Format the pools of ``group``'s brands."""
        brands = blueprint.brands
        openings, bodies, keys = [], [], []
        tags, tag_keys, links = [], [], []
        for brand in range(group.brand_start, group.brand_stop):
            sector = SECTORS[int(brands.sector[brand])]
            name = brands.names[brand]
            for lang in LANGUAGES:
                products = [product_forms(p, lang) for p in sector.products[lang]]
                for topic in TOPICS:
                    # One pool per product, so that the opening and the body of a caption
                    # speak about the same product.
                    for product in products:
                        keys.append(lang)
                        openings.append(_fill(OPENINGS[lang][topic], name, product))
                        bodies.append(_fill(BODIES[lang][topic], name, product))
                tags.append([f"#{brands.slugs[brand]}", *sector.hashtags[lang]])
                tag_keys.append(lang)
            links.append([f"https://{brands.domains[brand]}/{path}" for path in LINK_PATHS])
        variants = len(SECTORS[0].products["fr"])
        shape = (group.brand_stop - group.brand_start, len(LANGUAGES), len(TOPICS), variants)
        return cls(
            openings=_pool(openings, keys, shape),
            bodies=_pool(bodies, keys, shape),
            # Calls to action per (language, has a link in bio): "Lien en bio" only where it is.
            calls=_pool(
                [list(CALLS[lang][skip:]) for lang in LANGUAGES for skip in (1, 0)],
                [lang for lang in LANGUAGES for _ in (1, 0)],
                (len(LANGUAGES), 2),
            ),
            tags=_pool(tags, tag_keys, shape[:2]),
            topic_tags=pa.array([TOPIC_HASHTAGS[lang][t] for lang in LANGUAGES for t in TOPICS]),
            links=_pool(links, ["en"] * len(links), (len(links),)),
        )

    def compose(
        self,
        rng: np.random.Generator,
        brand: IntArray,
        language: IntArray,
        topic: IntArray,
        platform: IntArray,
        fmt: IntArray,
        campaign: IntArray,
        slugs: tuple[str, ...],
    ) -> tuple[pa.Array, FloatArray, FloatArray]:
        """Caption, readability and quality score per post (``brand`` local to the group)."""
        n = len(brand)
        product = rng.integers(0, self.openings.start.shape[-1], n)
        key = (brand, language, topic, product)
        opening = pick(rng, self.openings.start[key], self.openings.count[key])
        body = pick(rng, self.bodies.start[key], self.bodies.count[key])
        bio = (_LINK_CHANCE[platform] == 0).astype(np.int64)
        call = pick(rng, self.calls.start[language, bio], self.calls.count[language, bio])
        has_call = rng.random(n) < _CALL_CHANCE[platform]
        has_link = rng.random(n) < _LINK_CHANCE[platform] * _TOPIC_LINK[topic]
        stats = self.openings.stats[opening] + self.bodies.stats[body]
        stats = stats + self.calls.stats[call] * has_call[:, None]
        words, sentences, syllables = (stats[:, i].astype(np.float64) for i in range(3))
        french = language == LANGUAGES.index("fr")
        readability = np.where(
            french,
            207.0 - 1.015 * words / sentences - 73.6 * syllables / words,
            206.835 - 1.015 * words / sentences - 84.6 * syllables / words,
        )
        separator = pa.array(
            np.where(_PARAGRAPHS[platform], "\n\n", " ").astype(object), type=pa.string()
        )
        head = join([take(self.openings.strings, opening), take(self.bodies.strings, body)], " ")
        link = self._links(rng, brand, platform, campaign, slugs, ~has_link)
        hashtags, tag_count = self._hashtags(rng, brand, language, topic, platform)
        text = pc.binary_join_element_wise(
            head,
            take(self.calls.strings, call, ~has_call),
            link,
            hashtags,
            separator,
            null_handling="skip",
        )
        layout = has_call & (_PARAGRAPHS[platform] | ((tag_count >= 1) & (tag_count <= 5)))
        quality = (
            (rng.random(n) < 0.85) * 1.0
            + ~np.isin(fmt, _UNILLUSTRATED) * 5.0
            + has_link * 2.0
            + layout * 3.0
        )
        return text, np.round(readability, 1).astype(np.float64), quality.astype(np.float64)

    def _links(
        self,
        rng: np.random.Generator,
        brand: IntArray,
        platform: IntArray,
        campaign: IntArray,
        slugs: tuple[str, ...],
        absent: BoolArray,
    ) -> pa.Array:
        """Links to the brand's site, tagged with utm parameters (campaign when there is one)."""
        base = pick(rng, self.links.start[brand], self.links.count[brand])
        code = platform * (len(slugs) + 1) + campaign + 1
        codes, inverse = np.unique(code, return_inverse=True)
        suffixes = [
            f"?utm_source={PLATFORMS[c // (len(slugs) + 1)]}&utm_medium=social"
            + (f"&utm_campaign={slugs[c % (len(slugs) + 1) - 1]}" if c % (len(slugs) + 1) else "")
            for c in codes.tolist()
        ]
        link = join(
            [take(self.links.strings, base), take(pa.array(suffixes, pa.string()), inverse)]
        )
        return pc.if_else(pa.array(absent), pa.scalar(None, pa.string()), link)

    def _hashtags(
        self,
        rng: np.random.Generator,
        brand: IntArray,
        language: IntArray,
        topic: IntArray,
        platform: IntArray,
    ) -> tuple[pa.Array, IntArray]:
        """Up to six distinct hashtags per post: the pillar's tag first, then brand and sector."""
        low, high = _HASHTAGS[platform, 0], _HASHTAGS[platform, 1]
        count = low + (rng.random(len(brand)) * (high - low + 1)).astype(np.int64)
        start = self.tags.start[brand, language]
        size = self.tags.count[brand, language]
        offset = rng.integers(0, 1 << 30, len(brand))
        # The first tag is never NULL ("" when there are no tags): pyarrow 26 drops the rows of
        # binary_join_element_wise whose parts are all NULL when nulls are skipped.
        first = take(self.topic_tags, language * len(TOPICS) + topic)
        columns = [pc.if_else(pa.array(count < 1), pa.scalar("", pa.string()), first)]
        for slot in range(1, int(_HASHTAGS[:, 1].max())):
            index = start + (offset + slot) % size
            columns.append(take(self.tags.strings, index, count <= slot))
        joined = pc.binary_join_element_wise(*columns, " ", null_handling="skip")
        return pc.if_else(pa.array(count == 0), pa.scalar(None, pa.string()), joined), count

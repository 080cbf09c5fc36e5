"""The people around a group's brands: their handles and what they write, as pooled strings.

Each brand gets a community of regular commenters (a few of whom write a lot: picks are skewed
toward the start of the pool) and a wider public that mentions it. Message templates are filled
once per brand; rows only draw indices into these pools.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cadran.sources.demo.blueprint import Blueprint, Group
from cadran.sources.demo.columns import dictionary
from cadran.sources.demo.phrasebook import KINDS, LABELS, MENTIONS, MESSAGES
from cadran.sources.demo.platforms import LANGUAGES
from cadran.sources.demo.spec import BoolArray, IntArray, rng_for
from cadran.sources.demo.vocabulary import (
    FIRST_NAMES,
    HANDLE_SUFFIXES,
    LAST_NAMES,
    SECTORS,
    product_forms,
)

COMMUNITY_SIZE = 400  # regular commenters per brand
PUBLIC_SIZE = 250  # people who mention the brand


@dataclass(frozen=True, eq=False)
class Ranges:
    """Entries and, per key, the range of entries that belong to it.

    ``strings`` holds each distinct text once (a dictionary with repeated values would break
    consumers such as pandas); entry ``i`` is ``strings[codes[i]]``.
    """

    strings: pa.Array
    codes: IntArray
    start: IntArray
    count: IntArray

    def dictionary(self, entries: IntArray) -> pa.Array:
        """Dictionary-encoded strings of ``entries``."""
        return dictionary(self.codes[entries], self.strings)


@dataclass(frozen=True, eq=False)
class Community:
    """Pools of one group: message and mention texts (with labels) and author handles."""

    messages: Ranges  # per (brand, language, kind)
    message_label: IntArray
    message_question: BoolArray
    mentions: Ranges  # per (brand, language, label)
    authors: Ranges  # per brand: commenters
    public: Ranges  # per brand: people who mention it

    @classmethod
    def build(cls, blueprint: Blueprint, group: Group) -> Community:
        """Fill the pools of ``group``'s brands."""
        rng = rng_for(blueprint.spec, "pools", group.index, 1)
        brands = blueprint.brands
        texts, labels, sizes = [], [], []
        mention_texts: list[str] = []
        mention_sizes: list[int] = []
        authors, publics = [], []
        for brand in range(group.brand_start, group.brand_stop):
            sector = SECTORS[int(brands.sector[brand])]
            name = brands.names[brand]
            for lang in LANGUAGES:
                products = [product_forms(p, lang) for p in sector.products[lang]]
                for kind in KINDS:
                    templates = MESSAGES[lang][kind]
                    for label, template in templates:
                        texts.append(_fill(rng, template, name, products))
                        labels.append(LABELS.index(label))
                    sizes.append(len(templates))
                for label in LABELS:
                    templates_m = MENTIONS[lang][label]
                    mention_texts.extend(_fill(rng, t, name, products) for t in templates_m)
                    mention_sizes.append(len(templates_m))
            authors.append(handles(rng, COMMUNITY_SIZE))
            publics.append(handles(rng, PUBLIC_SIZE))
        width = group.brand_stop - group.brand_start
        flat_authors = [h for pool in authors for h in pool]
        flat_public = [h for pool in publics for h in pool]
        return cls(
            messages=_ranges(texts, sizes, (width, len(LANGUAGES), len(KINDS))),
            message_label=np.array(labels, dtype=np.int64),
            message_question=np.array(["?" in text for text in texts]),
            mentions=_ranges(mention_texts, mention_sizes, (width, len(LANGUAGES), len(LABELS))),
            authors=_ranges(flat_authors, [COMMUNITY_SIZE] * width, (width,)),
            public=_ranges(flat_public, [PUBLIC_SIZE] * width, (width,)),
        )


def _fill(
    rng: np.random.Generator, template: str, brand: str, products: list[tuple[str, str]]
) -> str:
    bare, full = products[int(rng.integers(len(products)))]
    friend = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
    return template.format(brand=brand, product=bare, the_product=full, friend=friend)


def _ranges(strings: list[str], sizes: list[int], shape: tuple[int, ...]) -> Ranges:
    count = np.array(sizes, dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    distinct: dict[str, int] = {}
    codes = np.array([distinct.setdefault(text, len(distinct)) for text in strings], dtype=np.int64)
    values = pa.array(list(distinct), type=pa.string())
    return Ranges(values, codes, start.reshape(shape), count.reshape(shape))


def handles(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` plausible personal handles (camille.martin, lucas_92, jade.roux_photo...)."""
    first = rng.integers(0, len(FIRST_NAMES), count)
    last = rng.integers(0, len(LAST_NAMES), count)
    style = rng.integers(0, 4, count)
    number = rng.integers(1, 100, count)
    suffix = rng.integers(0, len(HANDLE_SUFFIXES), count)
    out = []
    for f, la, s, num, suf in zip(first, last, style, number, suffix, strict=True):
        given, family = FIRST_NAMES[f], LAST_NAMES[la]
        if s == 0:
            out.append(f"{given}.{family}")
        elif s == 1:
            out.append(f"{given}_{num:02d}")
        elif s == 2:
            out.append(f"{given}{family}{HANDLE_SUFFIXES[suf]}")
        else:
            out.append(f"{family}.{given}{num}")
    return out

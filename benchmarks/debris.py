"""How much scrape debris the .txt reader leaves in what is read aloud, over real articles.

    python benchmarks/debris.py [--sample N] [--seed S]

Takes N articles at random (seeded) from the SaudiNewsNet archive
(`NASHRA_NEWS_CORPUS`, as in `news_words.py`), writes each as a scraped `.txt`
(the title, a blank line, the content) and reads it with nashra's reader. It
counts the articles whose spoken text (title and paragraphs) still holds each
kind of debris, and the articles with an author. Run it with another source
tree first on `PYTHONPATH` to compare two versions of the reader.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from collections import Counter
from pathlib import Path

from news_words import articles

from nashra.errors import NashraError
from nashra.readers.text import read_text

# What must never be read aloud, by kind.
DEBRIS = {
    "link to the story": re.compile(r"رابط الخبر|رابط المقال"),
    "contact boilerplate": re.compile(r"للتواصل (?:مع الكاتب|[أا]رسل)|لمراسلة الكاتب|ثم الرسالة"),
    "e-mail or handle": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\[email"),
    "HTML entity": re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE),
    "presentation form": re.compile("[\ufb50-\ufdff\ufe70-\ufefe]"),
    "news-service credit": re.compile(r"\*\s*(?:خدمة|بالاتفاق مع)"),
    "tag list": re.compile(r"(?:^|[.!؟] )سمات(?: [^\s.!؟،]+)+$"),
    "agency end mark": re.compile(r"«انتهى»|انتهى\s*/|^[0-9]{1,2}:[0-9]{2} ت م$"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    every = list(articles())
    sample = random.Random(args.seed).sample(every, min(args.sample, len(every)))
    left: Counter[str] = Counter()
    authors = unreadable = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        for item in sample:
            path.write_text(f"{item.get('title', '')}\n\n{item.get('content', '')}", "utf-8")
            try:
                article = read_text(path)
            except NashraError:
                unreadable += 1
                continue
            authors += article.author is not None
            spoken = [article.title] + [p for s in article.sections for p in s.paragraphs]
            for kind, pattern in DEBRIS.items():
                if any(pattern.search(text) for text in spoken):
                    left[kind] += 1
    read = len(sample) - unreadable
    print(f"articles: {len(sample)} sampled, {read} read, {unreadable} with no text")
    print(f"with an author: {authors} ({authors / read:.1%})")
    print("articles still reading debris aloud, by kind:")
    for kind in DEBRIS:
        print(f"  {kind:22} {left[kind]:5}")
    print(f"  {'any':22} {sum(left.values()):5} (counting an article once per kind)")


if __name__ == "__main__":
    main()

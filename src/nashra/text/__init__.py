"""Text preparation that every engine shares: Arabic made ready to be spoken.

- `normalize`: the pipeline of small pure `str -> str` functions; `invisible`: the
  invisible characters scraped text carries;
- `numbers`, `number_words`, `counted_nouns` (with `counted_nouns.toml`): numbers said in
  words, with the agreement Arabic gives them;
- `sentences`: sentences and engine-sized chunks, cut outside phrases (`phrases`);
  `diacritize`: short vowels (text2tashkeel's adapter); `lexicon`: the project's
  pronunciation lexicon, the built-in news lexicon and the hamzas writers leave out;
  `names`: names said without tanween; `verbs`: news verbs read by their context.

May import: `storage` and `core`. Never an engine: what only one engine needs lives in its
package.
"""

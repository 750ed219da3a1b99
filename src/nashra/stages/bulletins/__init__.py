"""The bulletin (النشرة): one episode per closed period, made from its articles' clips.

- `periods`: which bulletin each article belongs to; `dates`: a bulletin's date in Arabic;
- `build`: the stage; `mixing`: its audio; `publish`: `bulletin.xml` and its companions.

May import: the other stages and every layer below `stages`. Never the server or the CLI.
"""

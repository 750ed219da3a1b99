"""The bulletin (النشرة): one episode per closed period, made from its articles' clips."""

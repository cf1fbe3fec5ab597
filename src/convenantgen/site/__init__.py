"""Site: the public website from the site context: page sources (``pages``), the MkDocs or
Zensical build (``engine``), the Atom feed, open data, the theme and the MkDocs hook."""

"""jieba's accurate-mode cut, faster: shared with the site's search index, so it lives in
:mod:`epaper_contract.fastcut`; this name stays for the converter's imports."""

from epaper_contract.fastcut import FastCut

__all__ = ["FastCut"]

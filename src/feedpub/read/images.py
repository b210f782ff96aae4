"""A post's image: from front matter, else a page bundle's featured image, else the first in its body; its file's
size when the site serves it."""

from __future__ import annotations

import functools
import mimetypes
import os
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from stat import S_ISLNK, S_ISREG
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from feedpub.models import Image, ImageMemo, ReadSettings
from feedpub.plain_files import resolved
from feedpub.read.front_matter import as_text
from feedpub.read.plain import IMAGE_KEYS
from feedpub.read.templates import BodyHtml
from feedpub.text import strip_xml_invalid
from feedpub.urls import absolute_url, has_scheme, site_path_url

_MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
}


# Where a mapping names its image, in the order asked.
_IMAGE_MAPPING_KEYS = ("path", "url", "src", "image", "overlay_image", "teaser")


def image_of(
    settings: ReadSettings,
    metadata: Mapping[str, Any],
    lazy_html: BodyHtml,
    post_url: str,
    bundle: Path | None,
    memo: ImageMemo,
    resources_url: str = "",
    resources_served: bool = True,
    site_wide_keys: frozenset[str] = frozenset(),
    media_path: Callable[[str], str] | None = None,
) -> Image | None:
    """The post's image: front matter's, a bundle's featured file, else the body's first. A bundle's own files are
    served under `resources_url` ("": the post's URL), or not at all (`resources_served` false: none of them is
    the image); the body's other links are the page's, relative to `post_url`. `site_wide_keys`: the keys of
    `metadata` the site's defaults give, not the post (Image.site_wide). `media_path`: where the theme's pages show
    an image the post names without a scheme (Placed.media_path); None: as above."""
    resources_url = resources_url or post_url
    folders = ((bundle, resources_url),) if bundle and resources_served else ()
    for key in IMAGE_KEYS:
        value = metadata.get(key)
        if isinstance(value, list):  # Hugo's `images: [a.jpg, b.jpg]`: the first is the post's image
            value = value[0] if value else None
        if isinstance(value, dict):
            # `image:` with a path or url (jekyll-feed's, Jekyll SEO's); `cover:` with an image (Hugo's PaperMod);
            # `header:` with an image, an overlay or a teaser (Jekyll's Minimal Mistakes).
            src = next((as_text(value[k]) for k in _IMAGE_MAPPING_KEYS if value.get(k)), "")
            alt = as_text(value.get("alt"))
        else:
            src, alt = as_text(value), ""
        if src:
            if bundle and not has_scheme(src) and not src.startswith("/") and _in_bundle(bundle, src):
                # Hugo resolves a bundle's own image (a page resource) against where its resources are served.
                if not resources_served:
                    return None
                return _make_image(settings, absolute_url(src, resources_url) or "", alt, folders, memo)
            # Front matter paths are site paths ("/assets/x.jpg" or "assets/x.jpg"), not relative to the post, their
            # dot segments resolved as jekyll-feed's absolute_url resolves them; but a Hugo theme prints one that
            # starts "./" or "../" as written (Stack's `image: "../../images/x.webp"`), and the page's reader
            # finds it from the page, under a site path too (/blog/posts/a/ -> /blog/images/x.webp).
            if media_path is not None and not has_scheme(src):
                site_wide = key in site_wide_keys
                return _media_image(settings, media_path(src), alt, folders, memo, site_wide=site_wide)
            if has_scheme(src):
                site_src = src
            elif settings.posts.generator == "hugo" and src.startswith(("./", "../")):
                site_src = absolute_url(src, post_url) or ""
            else:
                site_src = site_path_url(src, settings.url)
            return _make_image(settings, site_src, alt, folders, memo, site_wide=key in site_wide_keys)
    if bundle is not None and resources_served and (name := _featured_resource(bundle)) is not None:
        return _make_image(settings, absolute_url(quote(name), resources_url) or "", "", folders, memo)
    # Imported here: with its scanners' patterns (~11 ms), only by a run that reads a post with no image named.
    from feedpub.read import prefix

    found = prefix.first_image(lazy_html)
    if found:
        src, alt = found
        # "/x" in a body is taken as a site path, like front matter's, unless it already starts with the site's
        # path (a resolved {{ site.baseurl }}): then it is a path from the host's root, as HTML means.
        site_path = urlsplit(settings.url).path
        as_site_path = src.startswith("/") and not src.startswith(("//", site_path))
        own_file = bundle is not None and not has_scheme(src) and not src.startswith("/") and _in_bundle(bundle, src)
        if own_file and not resources_served:
            return None
        # A bundle's own file is where its resources are served (uglyURLs: posts/b/pic.png, not beside b.html).
        base = resources_url if own_file else post_url
        if media_path is not None and not has_scheme(src):
            return _media_image(settings, media_path(src), alt, folders, memo, in_body=True)
        url = absolute_url(settings.url + src.lstrip("/") if as_site_path else src, base)
        return _make_image(settings, url, alt, folders, memo, in_body=True) if url else None
    return None


def _media_image(
    settings: ReadSettings,
    path: str,
    alt: str,
    folders: tuple[tuple[Path, str], ...],
    memo: ImageMemo,
    in_body: bool = False,
    site_wide: bool = False,
) -> Image | None:
    """The image a theme's page shows at `path` (Placed.media_path): a CDN's URL as it is; a site path only where
    its file is under static_dir. A page showing one that is not has a broken image (Chirpy joins its subpath to a
    path from the root too), which no sitemap or enclosure should name."""
    if has_scheme(path):
        return _make_image(settings, path, alt, folders, memo, in_body, site_wide)
    image = _make_image(settings, site_path_url(path, settings.url), alt, folders, memo, in_body, site_wide)
    return image if image is not None and image.length else None


# The files a page bundle's image resources are: Hugo's image media types, by extension.
_RESOURCE_IMAGES = frozenset(
    (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff", ".svg", ".ico", ".heic", ".heif")
)


def _featured_resource(bundle: Path) -> str | None:
    """The image Hugo's own Open Graph and Twitter Card templates take for a page without `images`: among the image
    files of its bundle's folder (not below it), by name, the first with "feature" in its name, else with "cover" or
    "thumbnail" (observed with 0.111.3: any case, names sorted as bytes, `images/feature.jpg` not taken)."""
    try:
        names = sorted(os.listdir(bundle))
    except OSError:
        return None
    images = [
        name
        for name in names
        if not name.startswith(".")
        and os.path.splitext(name)[1].lower() in _RESOURCE_IMAGES
        and os.path.isfile(os.path.join(bundle, name))
    ]
    for words in (("feature",), ("cover", "thumbnail")):
        if found := next((name for name in images if any(word in name.lower() for word in words)), None):
            return found
    return None


def _in_bundle(bundle: Path, src: str) -> bool:
    """Whether `src` names a file of the bundle (a Hugo page resource); odd names are simply not."""
    try:
        candidate = resolved(bundle / unquote(src.split("#")[0].split("?")[0]))
        return candidate.is_relative_to(bundle.resolve()) and candidate.is_file()
    except (OSError, ValueError):
        return False


def _make_image(
    settings: ReadSettings,
    src: str,
    alt: str,
    folders: tuple[tuple[Path, str], ...],
    memo: ImageMemo,
    in_body: bool = False,
    site_wide: bool = False,
) -> Image | None:
    """The image at `src`, resolved once per run (`memo`): its file's size is looked up under the folders.
    `in_body`, `site_wide`: Image's; made once too, not copied for each post that shows it."""
    key = (src, alt, folders, in_body, site_wide)
    if key not in memo:
        memo[key] = _resolve_image(settings, src, alt, folders, in_body, site_wide)
    return memo[key]


def _resolve_image(
    settings: ReadSettings,
    src: str,
    alt: str,
    folders: tuple[tuple[Path, str], ...],
    in_body: bool,
    site_wide: bool,
) -> Image | None:
    url = absolute_url(src, settings.url)
    if url is None or not url.startswith(("http://", "https://")):
        return None
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    mime = _MIME_TYPES.get(suffix) or mimetypes.guess_type(f"x{suffix}")[0]
    length = None
    # Only a picture's size is looked up: `image: /.env` must not tell the world how large a secret is.
    if mime is not None and mime.startswith("image/"):
        length = next((n for folder, base in folders if (n := _file_size(folder, base, url))), None)
        length = length or _file_size(settings.static_dir, settings.url, url)
    return Image(url, mime, length, strip_xml_invalid(alt), in_body, site_wide)


def _file_size(folder: Path, base_url: str, url: str) -> int | None:
    """Size of the file under `folder` (served at `base_url`) that serves `url`; never fetched."""
    if not url.startswith(base_url):
        return None
    relative = unquote(urlsplit(url).path[len(urlsplit(base_url).path) :])
    parent, name = os.path.split(os.path.join(folder, relative))
    try:
        # os.path, not pathlib, and the folder's realpath remembered: this runs for every post of a cold build.
        candidate = os.path.join(_real_folder(parent), name)
        info = os.lstat(candidate)
        if S_ISLNK(info.st_mode):
            candidate = os.path.realpath(candidate)
            info = os.stat(candidate)
    except (OSError, ValueError):
        return None
    base = _real_folder(str(folder)).rstrip(os.sep) + os.sep
    if not (candidate.startswith(base) and S_ISREG(info.st_mode)):
        return None
    return info.st_size or None


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """realpath of a folder, remembered: posts share a few image folders, and realpath stats every component."""
    return os.path.realpath(folder)

"""Liquid (Jekyll) and shortcodes (Hugo) in post bodies: resolved as the site generator would, or left literal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from feedpub.config import load_config
from feedpub.models import Post, Site
from feedpub.read.collect import collect
from feedpub.read.post import Reader, load_body_html
from feedpub.read.templates import expand
from feedpub.render.build import content_html
from tests.conftest import DATA, NOW

TEMPLATES = DATA / "templates"
# A page-relative figure (a Hugo page resource) resolves against the post's URL, in the content and as its image.
HARBOUR = "https://example.kr/blog/2024/01/03/hugo_figure_and_highlight/harbour.jpg"


def _site(tmp_path: Path, templates: str) -> Site:
    """A site served under a path, https://example.kr/blog/, whose posts are the templates fixtures."""
    posts = tmp_path / "_posts"
    shutil.copytree(TEMPLATES, posts)
    (tmp_path / "config.toml").write_text(
        f"""
[site]
url = "https://example.kr/blog/"
title = "Example blog"
[posts]
dirs = ["_posts"]
templates = "{templates}"
""",
        encoding="utf-8",
    )
    return load_config(tmp_path / "config.toml")


def _posts(tmp_path: Path, templates: str) -> tuple[Site, dict[str, Post]]:
    site = _site(tmp_path, templates)
    collection = collect(site.read_settings(), NOW)
    assert not collection.rejected
    return site, {Path(p.source).name: p for p in collection.posts}


def _content(site: Site, post: Post) -> str:
    return content_html(post, load_body_html(site.read_settings(), post), site.url)


@pytest.fixture
def liquid(tmp_path: Path) -> tuple[Site, dict[str, Post]]:
    return _posts(tmp_path, "liquid")


@pytest.fixture
def hugo(tmp_path: Path) -> tuple[Site, dict[str, Post]]:
    return _posts(tmp_path, "hugo")


def test_jekyll_new_sample_post_highlight_becomes_escaped_code(liquid: tuple[Site, dict[str, Post]]) -> None:
    site, posts = liquid
    content = _content(site, posts["jekyll_welcome_post.markdown"])
    assert "{%" not in content
    assert (
        "<pre><code>def print_hi(name)\n"
        '  puts "Hi, #{name}" if name != "&lt;none&gt;"\n'
        "end\nprint_hi('Tom')\n#=&gt; prints 'Hi, Tom' to STDOUT.\n</code></pre>"
    ) in content
    assert '<a href="https://jekyllrb.com/docs/home">Jekyll docs</a>' in content  # Markdown around it still renders


def test_highlight_keeps_its_language_before_cleaning(liquid: tuple[Site, dict[str, Post]]) -> None:
    site, _ = liquid
    text = "{% highlight ruby linenos %}\nx = 1 < 2 && {{ y }}\n{% endhighlight %}"
    assert (
        expand(text, "liquid", site.read_settings())
        == '<pre><code class="language-ruby">x = 1 &lt; 2 &amp;&amp; {{ y }}\n</code></pre>'
    )


@pytest.mark.parametrize(
    ("liquid_text", "expected"),
    [
        ("{{ site.baseurl }}/assets/x.png", "/blog/assets/x.png"),
        ("{{ site.url }}{{ site.baseurl }}/", "https://example.kr/blog/"),
        ('{{ "/assets/x.png" | relative_url }}', "/blog/assets/x.png"),
        ("{{ 'x.png' | relative_url }}", "/blog/x.png"),
        ("{{ '/x' | absolute_url }}", "https://example.kr/blog/x"),
        ("{{ 'https://cdn.example.com/x' | relative_url }}", "https://cdn.example.com/x"),
        ("{{ page.title }} on {{ site.title }}", "A &amp; B on Example blog"),
        ("a{{ site.unknown }}b{{ page.date | date: '%Y' }}c{{ 'x' | upcase }}d", "abcd"),
        ("a {%- include x.html -%} b", "ab"),
        ("{% raw %}{{ page.title }} {% if x %}{% endraw %}", "{{ page.title }} {% if x %}"),
        ("a{% comment %}secret {{ x }}{% endcomment %}b", "ab"),
        ("[old]({% post_url 2024-01-02-slug %}) and [new]({% link _posts/2024-01-02-slug.md %})", "old and new"),
        ('<a class="x" href="{% post_url 2024-01-02-slug %}">old</a>', "old"),
        ("{% post_url 2024-01-02-slug %}", ""),
        ("{% if page.x %}kept{% else %}also kept{% endif %}", "keptalso kept"),
        ("left {{ unclosed and {% unclosed", "left {{ unclosed and {% unclosed"),
    ],
    ids=[
        "baseurl",
        "site-url",
        "relative-url",
        "relative-url-no-slash",
        "absolute-url",
        "relative-url-absolute-input",
        "page-and-site-title",
        "unknown-outputs-removed",
        "include-never-read-and-whitespace-control",
        "raw",
        "comment",
        "markdown-cross-references",
        "html-cross-reference",
        "bare-cross-reference",
        "conditionals-keep-every-branch",
        "unclosed-stays-literal",
    ],
)
def test_liquid_forms(liquid: tuple[Site, dict[str, Post]], liquid_text: str, expected: str) -> None:
    site, _ = liquid
    assert expand(liquid_text, "liquid", site.read_settings(), "A & B") == expected


def test_liquid_urls_resolve_in_content_excerpt_and_first_image(liquid: tuple[Site, dict[str, Post]]) -> None:
    site, posts = liquid
    post = posts["liquid_baseurl_image.html"]
    assert post.image is not None and post.image.url == "https://example.kr/blog/assets/first.png"
    excerpt = Reader(site.read_settings(), records=False).excerpt(post)
    assert excerpt == "Liquid URLs in an HTML post: a picture on Example blog, see also the older post."
    content = _content(site, post)
    assert '<a href="https://example.kr/blog/about/">Example blog</a>' in content
    assert '<img src="https://example.kr/blog/assets/second.png" alt="Second">' in content
    assert "see also the older post.</p>" in content
    assert "Read the guide and write {{ page.title }} or {% if x %} literally." in content
    assert "ignored.png" not in content and "A note" not in content


@pytest.mark.parametrize(
    ("shortcode", "expected"),
    [
        (
            '{{< figure src="x.jpg" alt="An \\"x\\"" caption="Cap & co" >}}',
            '<figure><img src="x.jpg" alt="An &quot;x&quot;"><figcaption>Cap &amp; co</figcaption></figure>',
        ),
        ("{{< figure src=x.jpg >}}", '<figure><img src="x.jpg" alt=""></figure>'),
        (
            "{{< highlight go >}}\nif a < b {}\n{{< /highlight >}}",
            '<pre><code class="language-go">if a &lt; b {}\n</code></pre>',
        ),
        (
            "{{< youtube dQw4w9WgXcQ >}}",
            '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a>',
        ),
        ('{{< youtube id="bad id\\"><script>" >}}', ""),
        ('[a]({{< ref "a.md" >}}) [b]({{< relref "/posts/b" >}})', "a b"),
        ("{{% notice %}}inner{{% /notice %}}{{< gist x 1 >}}", "inner"),
        ('{{</* figure src="x" */>}} {{%/* x */%}}', '{{< figure src="x" >}} {{% x %}}'),
        ("{{ .Title }} {% raw %}", "{{ .Title }} {% raw %}"),
    ],
    ids=["figure", "figure-bare", "highlight", "youtube", "youtube-bad-id", "ref", "unknown", "escaped", "not-hugo"],
)
def test_hugo_shortcodes(hugo: tuple[Site, dict[str, Post]], shortcode: str, expected: str) -> None:
    site, _ = hugo
    assert expand(shortcode, "hugo", site.read_settings()) == expected


def test_hugo_post_content_and_first_image(hugo: tuple[Site, dict[str, Post]]) -> None:
    site, posts = hugo
    post = posts["hugo_figure_and_highlight.md"]
    assert post.image is not None and post.image.url == HARBOUR
    assert post.image.alt == "The harbour at night"
    content = _content(site, post)
    assert "{{<" not in content.replace("{{&lt;", "") and "{{%" not in content
    assert (
        f'<figure><img src="{HARBOUR}" alt="The harbour at night">'
        "<figcaption>Lanterns &amp; boats</figcaption></figure>"
    ) in content
    assert '\t\tfmt.Println("{{&lt; not a shortcode &gt;}}")' in content  # code inside highlight is untouched
    assert "<p>See the first trip and the plan.</p>" in content
    assert "Kept: the text inside an unknown shortcode." in content
    assert 'To write a shortcode: {{&lt; figure src="x.jpg" &gt;}}.' in content


def test_none_leaves_templates_literal(tmp_path: Path) -> None:
    site, posts = _posts(tmp_path, "none")
    html_post = posts["liquid_baseurl_image.html"]
    content = _content(site, html_post)
    assert html_post.image is not None and "{{ site.baseurl }}/assets/first.png" in html_post.image.url
    assert "{% highlight ruby %}" in _content(site, posts["jekyll_welcome_post.markdown"])
    assert "{{&lt; figure" in _content(site, posts["hugo_figure_and_highlight.md"])
    assert "{{ page.title }}" in content

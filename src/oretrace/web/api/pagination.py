"""Lists come in pages of 50 (``?page=2``, ``?page_size=`` up to 500), with the total and the links."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
